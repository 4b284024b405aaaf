"""The process opts out of core dumps at start, before the API key is read: a core file would hold the key.

``RLIMIT_CORE`` 0 stops the kernel writing a core file; on Linux, ``PR_SET_DUMPABLE`` 0 also keeps the memory
from a crash handler (systemd-coredump, apport, which ignore the limit) and from ptrace by other processes of
the same user. Either may be missing (Windows has no ``resource``; macOS no ``prctl``): then it is skipped.
"""

from __future__ import annotations

import sys

PR_SET_DUMPABLE = 4  # <linux/prctl.h>


def forbid_core_dumps() -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ImportError, ValueError, OSError):
        pass
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
        except (OSError, AttributeError):
            pass
