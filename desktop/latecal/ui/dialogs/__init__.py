"""Dialogs opened from the window: the welcome and key dialog, settings, about."""
