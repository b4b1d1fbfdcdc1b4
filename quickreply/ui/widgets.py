"""Small widgets shared by the windows and dialogs."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel


def error_label() -> QLabel:
    """Return a label for problems the user must fix: red, wrapped, selectable (to copy)."""
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
