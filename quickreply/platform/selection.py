"""Reading the buyer's message for a suggestion, without disturbing the agent's clipboard.

Sources, in order: the selected text (X11: the PRIMARY selection, read directly, so the clipboard
is never touched); on Windows, which has no selection buffer, a copy of the selection made with
Ctrl+C through the clipboard adapter, which puts the previous clipboard back exactly; else the
clipboard's text if it changed (outside QuickReply) within the last minute; else nothing.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QClipboard, QGuiApplication

from quickreply.core.hotkey import parse_hotkey
from quickreply.platform.clipboard import Clipboard
from quickreply.platform.keys import KeySender

RECENT_CLIPBOARD_S = 60.0  # clipboard text this fresh counts as the message the agent copied
COPY_WAIT_MS = 300  # how long the copy on Windows may take to reach the clipboard
MAX_CHARS = 2000  # a message longer than this is cut (a whole page selected by mistake)


@dataclass(frozen=True)
class BuyerMessage:
    """The text found and where it came from: "selection", "copy", "clipboard" or "" (none)."""

    text: str
    source: str


class SelectionReader:
    """Finds the buyer's message when the suggest hotkey is pressed (on the Qt main thread)."""

    def __init__(
        self,
        clipboard: Clipboard,
        keys: KeySender,
        platform: str = sys.platform,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.clipboard = clipboard
        self.keys = keys
        self.platform = platform
        self._clock = clock

    def read(self) -> BuyerMessage:
        """Return the selected (or freshly copied) text, stripped; empty when there is none."""
        text = self._selected()
        if text:
            return BuyerMessage(text, "selection")
        if self.platform == "win32":
            text = self._copied()
            if text:
                return BuyerMessage(text, "copy")
        changed = self.clipboard.outside_change_at()
        if changed is not None and self._clock() - changed <= RECENT_CLIPBOARD_S:
            text = _clean(self.clipboard.text())
            if text:
                return BuyerMessage(text, "clipboard")
        return BuyerMessage("", "")

    def _selected(self) -> str:
        board = QGuiApplication.clipboard()
        if board is None or not board.supportsSelection():
            return ""
        return _clean(board.text(QClipboard.Mode.Selection))

    def _copied(self) -> str:
        # the suggest hotkey's own modifiers may still be down: Ctrl+Shift+C is not a copy
        self.keys.release_held_modifiers()
        return _clean(
            self.clipboard.copy_selection(
                lambda: self.keys.send_combo(parse_hotkey("ctrl+c")), COPY_WAIT_MS
            )
        )


def _clean(text: str) -> str:
    return text.strip()[:MAX_CHARS]
