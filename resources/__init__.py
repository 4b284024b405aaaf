"""Data files shipped inside the wheel (icons, desktop entry, AppStream metadata).

Read them with :func:`latecal.resources_path`-style helpers built on ``importlib.resources``,
never with paths relative to the repository.
"""
