"""What every room builds on: the message bar, colours, the display zone, the settings registry, icons, the
drag-and-drop format of post ids, and awaiting a dialog without a nested event loop."""
