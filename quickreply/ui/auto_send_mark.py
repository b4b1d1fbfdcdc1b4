"""How every list shows a snippet that sends at once (auto_send): a ⏎ icon and a tooltip.

One look in the tray menu, the palette and the manager, so an agent knows before choosing it
that the reply goes to the buyer without a chance to read it over.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap

from quickreply.core.i18n import tr
from quickreply.core.library.model import Snippet

_MARK = "⏎"


def auto_send_tooltip() -> str:
    """The tooltip of an auto-send snippet."""
    return tr("Sends at once: Enter is pressed after inserting")


def auto_send_icon() -> QIcon:
    """A small ⏎ icon drawn once (no image file to ship)."""
    pixmap = QPixmap(16, 16)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setPen(QColor("#c0392b"))
    font = QFont()
    font.setPixelSize(14)
    font.setBold(True)
    painter.setFont(font)
    painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, _MARK)
    painter.end()
    return QIcon(pixmap)


def tooltip_for(snippet: Snippet, text: str) -> str:
    """`text` (e.g. the start of the body), with the auto-send warning first when it applies."""
    return f"{auto_send_tooltip()}\n{text}" if snippet.auto_send else text
