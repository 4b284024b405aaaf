"""Ending the app when the window system goes away (an X server that dies, a crashed session).

Two parts of Qt can notice first. Qt's event dispatcher stops the event loop, and ``app.run`` ends the session
from there. Or an Xlib call (a window being shown, for instance) meets the broken connection first: libX11
then calls its I/O error handler, which must not return, and Qt's own handler prints and calls ``exit(1)``.
``end_on_x11_io_error`` replaces that handler so both paths end alike: a line saying why, exit code 3. Nothing
is lost by ending from inside the handler: every edit was committed to SQLite when it was made, and SQLite
replays its write-ahead log at the next start.
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys

log = logging.getLogger(__name__)

#: Xlib's ``int (*XIOErrorHandler)(Display *)``
_IO_ERROR_HANDLER = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p)
#: the installed callback: ctypes frees a callback that nothing references, and Xlib would call freed memory
_installed: list[object] = []


def report_display_lost() -> None:
    log.error("The connection to the display was lost; Late Calendar stops")
    print("latecal: the connection to the display was lost", file=sys.stderr, flush=True)


def end_on_x11_io_error(exit_code: int) -> bool:
    """Make a broken X connection found by Xlib end the process with ``exit_code``, after saying why.
    Call it once Qt has connected (after ``QApplication``): Qt installs its handler when it connects.
    False if there is no libX11 in the process to hook (Qt's xcb plugin loads it)."""
    try:
        xlib = ctypes.CDLL("libX11.so.6", mode=os.RTLD_NOLOAD)
    except OSError:
        return False

    def on_io_error(_display: int) -> int:
        report_display_lost()
        logging.shutdown()  # flush the log file: os._exit skips interpreter shutdown
        os._exit(exit_code)  # returning would let Xlib call exit(1); unwinding through Qt's C++ frames is not possible

    callback = _IO_ERROR_HANDLER(on_io_error)
    _installed[:] = [callback]
    xlib.XSetIOErrorHandler.restype = ctypes.c_void_p
    xlib.XSetIOErrorHandler.argtypes = [_IO_ERROR_HANDLER]
    xlib.XSetIOErrorHandler(callback)
    return True
