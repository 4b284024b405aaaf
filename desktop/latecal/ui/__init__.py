"""Everything Qt lives here: windows, calendar scenes, editor, dialogs and the Qt bridges to the core."""
