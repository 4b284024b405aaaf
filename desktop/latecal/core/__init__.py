"""Qt-free domain: posts and statuses, platform rules, text composition, validation and calendar geometry."""
