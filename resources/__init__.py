"""Data files shipped inside the wheel as `latecal.resources`: the app icon (SVG and hicolor PNGs), the
freedesktop .desktop entry and the AppStream metainfo.

Read them through :mod:`latecal.resources_access`, never with paths relative to the
repository: the same calls then work from a wheel, an editable install and the PyInstaller bundle.
"""
