"""PySide6 layer: tray, palette, manager, statistics and dialogs. Thin: widgets call the controller."""
