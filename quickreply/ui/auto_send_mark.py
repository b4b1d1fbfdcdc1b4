"""How every list shows a snippet that sends at once (auto_send): a ⏎ icon and a tooltip.

One look in the tray menu, the palette and the manager, so an agent knows before choosing it
that the reply goes to the buyer without a chance to read it over.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap

from quickreply.core.i18n import tr
from quickreply.core.library.model import Snippet


def auto_send_tooltip() -> str:
    """The tooltip of an auto-send snippet."""
    return tr("Sends at once: Enter is pressed after inserting")


@cache
def auto_send_icon() -> QIcon:
    """A small ⏎ (return arrow) icon, drawn once with lines: no image file to ship, and no font
    to load while the tray menu is first built (the first text drawn costs about 10 ms)."""
    pixmap = QPixmap(16, 16)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor("#c0392b"), 2))
    arrow = QPainterPath()
    arrow.moveTo(13, 2)
    arrow.lineTo(13, 10)
    arrow.lineTo(3, 10)
    arrow.moveTo(7, 6)
    arrow.lineTo(3, 10)
    arrow.lineTo(7, 14)
    painter.drawPath(arrow)
    painter.end()
    return QIcon(pixmap)


def tooltip_for(snippet: Snippet, text: str) -> str:
    """`text` (e.g. the start of the body), with the auto-send warning first when it applies."""
    return f"{auto_send_tooltip()}\n{text}" if snippet.auto_send else text
