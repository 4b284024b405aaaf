"""The drafts tray: posts without a time, dragged onto the calendar to schedule them."""
