"""Every sentence and label the user reads, composed from core's values: Qt-free, in one place, ready for
translation. Views lay these out; they never compose a sentence of their own."""
