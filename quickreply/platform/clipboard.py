"""The system clipboard through Qt: save, put text that reports when it is read, restore.

Qt hands clipboard data out lazily on X11 (SelectionRequest) and Windows (OLE delayed rendering):
`QMimeData.retrieveData` runs exactly when another application reads the clipboard. That is the
signal we wait for before restoring the agent's own clipboard, instead of guessing with a delay.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QClipboard, QGuiApplication, QImage

# Formats Qt synthesises or that are meaningless to copy back (X11 bookkeeping targets).
_SKIPPED_FORMATS = ("TARGETS", "MULTIPLE", "TIMESTAMP", "SAVE_TARGETS")


class ReportingMimeData(QMimeData):
    """Plain text for the clipboard that calls `on_read` each time another program reads it."""

    def __init__(self, text: str, on_read: Callable[[], None]) -> None:
        super().__init__()
        self.setText(text)
        self._on_read = on_read

    def retrieveData(self, mimetype: str, preferred_type: Any) -> Any:  # noqa: N802 - Qt override
        """Hand the text out and report the read."""
        self._on_read()
        return super().retrieveData(mimetype, preferred_type)


class Clipboard:
    """Clipboard adapter used only by the injector: the one place that writes the clipboard."""

    def __init__(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard is None:
            raise RuntimeError("Qt has no clipboard on this platform")
        self._clipboard: QClipboard = clipboard
        self._ours: QMimeData | None = None  # what we last put on the clipboard
        self._outside_change: float | None = None  # time.monotonic() of another program's copy
        self._changes = 0
        clipboard.dataChanged.connect(self._changed)

    def _changed(self) -> None:
        self._changes += 1
        if self._clipboard.mimeData() is not self._ours:
            self._outside_change = time.monotonic()

    def outside_change_at(self) -> float | None:
        """Return when (time.monotonic) the clipboard last changed other than by QuickReply."""
        return self._outside_change

    def copy_selection(self, send_copy: Callable[[], None], timeout_ms: int) -> str:
        """Copy the focused window's selection with `send_copy` (its Ctrl+C), return the text,
        and put the previous clipboard back exactly; empty when nothing was copied in time."""
        from quickreply.platform.inject import wait_until

        before, changed_at, changes = self.snapshot(), self._outside_change, self._changes
        send_copy()
        if not wait_until(lambda: self._changes != changes, timeout_ms):
            return ""
        text = self._clipboard.text()
        self.restore(before)
        self._outside_change = changed_at  # our own copy is not the agent's
        return text

    def text(self) -> str:
        """Return the clipboard's current text (empty when it holds none)."""
        return self._clipboard.text()

    def snapshot(self) -> QMimeData | None:
        """Copy everything the clipboard holds now (every format Qt can read), or None if empty."""
        source = self._clipboard.mimeData()
        if source is None:
            return None
        formats = [f for f in source.formats() if not f.startswith(_SKIPPED_FORMATS)]
        if not formats:
            return None
        copy = QMimeData()
        for fmt in formats:
            copy.setData(fmt, source.data(fmt))
        return copy

    def copy(self, text: str) -> None:
        """The agent's explicit "copy only": leave `text` on the clipboard, on purpose."""
        self._ours = None
        self._clipboard.setText(text)

    def put_reporting_text(self, text: str, on_read: Callable[[], None]) -> None:
        """Put `text` on the clipboard; `on_read` is called when another program reads it."""
        self._ours = ReportingMimeData(text, on_read)
        self._clipboard.setMimeData(self._ours)

    def restore(self, snapshot: QMimeData | None) -> None:
        """Put back what `snapshot` saved (clearing the clipboard when it was empty)."""
        self._ours = snapshot
        if snapshot is None:
            self._clipboard.clear()
        else:
            self._clipboard.setMimeData(snapshot)

    def release(self) -> None:
        """Before exit: put what we last set back as data Qt itself made.

        Qt destroys the clipboard's data after Python has shut down; data made from Python then
        calls into a dead interpreter (a crash on Quit). The agent's text or image is kept; other
        formats go, as they would anyway on X11 when the owner exits. A clipboard another program
        has taken since is left alone.
        """
        ours, self._ours = self._ours, None
        if ours is None or self._clipboard.mimeData() is not ours:
            return
        if ours.hasImage():
            self._clipboard.setImage(QImage(ours.imageData()))
        elif ours.hasText():
            self._clipboard.setText(ours.text())
        else:
            self._clipboard.clear()
