"""PySide6 widgets only: tray, palette, manager, editor, statistics, settings and dialogs. Widgets
call the controller's methods (app) and read core types; they never reach into platform adapters.
"""
