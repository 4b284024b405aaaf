"""The window shell and what runs it: the main window, its menus and shortcuts, the operation runner and the
undo history, the one change relay, the connection to Late, the sync bridge, the tray and error reporting."""
