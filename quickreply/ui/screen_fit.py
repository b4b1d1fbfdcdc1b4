"""Windows sized to the screen they open on: a wanted size, shrunk to the available geometry
(a 1366×768 laptop minus the taskbar), and placed fully on that screen."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

_MARGIN = 40  # room for the window frame and title bar


def available_geometry(widget: QWidget) -> QRect | None:
    """The usable part (without taskbars) of the screen `widget` is on, or None without screens."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else None


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize `widget` to `width`×`height`, or less where the screen is smaller, and centre it
    on the available geometry so that no edge is off screen."""
    area = available_geometry(widget)
    if area is None:
        widget.resize(width, height)
        return
    w = max(200, min(width, area.width() - _MARGIN))
    h = max(150, min(height, area.height() - _MARGIN))
    widget.resize(w, h)
    widget.move(area.x() + (area.width() - w) // 2, area.y() + (area.height() - h) // 2)
