"""The post editor, one window per post, in sections (accounts, text, media, when, conflict, feedback, results),
its autosave and crash restore, and the manager that opens one editor per post."""
