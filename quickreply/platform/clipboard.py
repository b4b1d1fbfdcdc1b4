"""The system clipboard through Qt: save, put text that reports when it is read, restore.

Qt hands clipboard data out lazily on X11 (SelectionRequest) and Windows (OLE delayed rendering):
`QMimeData.retrieveData` runs exactly when another application reads the clipboard. That is the
signal we wait for before restoring the agent's own clipboard, instead of guessing with a delay.
Our own reads (the `{{clipboard}}` value, the snapshot) are not reported; `PasteReads` decides
which of the others are the target's (quickreply/platform/clipboard_reads.py).
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QClipboard, QGuiApplication, QImage

from quickreply.platform.clipboard_reads import PasteReads, SelectionRequestSpy
from quickreply.platform.windows import clipboard_formats as windows_formats

# Formats Qt synthesises or that are meaningless to copy back (X11 bookkeeping targets).
_SKIPPED_FORMATS = ("TARGETS", "MULTIPLE", "TIMESTAMP", "SAVE_TARGETS")


class ReportingMimeData(QMimeData):
    """Plain text for the clipboard that tells `reads` each time another program reads it."""

    def __init__(self, text: str, reads: PasteReads, clipboard: Clipboard) -> None:
        super().__init__()
        self.setText(text)
        self._reads = reads
        self._clipboard = clipboard

    def retrieveData(self, mimetype: str, preferred_type: Any) -> Any:  # noqa: N802 - Qt override
        """Hand the text out and report the read (unless we are reading it ourselves, or it is
        Windows checking our privacy markers)."""
        if not self._clipboard.reading_ourselves and not windows_formats.is_marker_format(mimetype):
            self._reads.note_read(mimetype)
        return super().retrieveData(mimetype, preferred_type)


class Clipboard:
    """Clipboard adapter used only by the injector: the one place that writes the clipboard."""

    def __init__(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard is None:
            raise RuntimeError("Qt has no clipboard on this platform")
        self._clipboard: QClipboard = clipboard
        self._ours: QMimeData | None = None  # what we last put on the clipboard
        self._own_reads = 0
        self.changes = 0  # times another program changed the clipboard (Qt's dataChanged)
        self._outside_change: float | None = None  # time.monotonic() of another program's copy
        clipboard.dataChanged.connect(self._count_change)
        self._spy: SelectionRequestSpy | None = None
        self.client_mask = 0  # the X server's resource-id mask: tells requestors apart
        if QGuiApplication.platformName() == "xcb":
            self.client_mask = _x_client_mask()
            self._spy = SelectionRequestSpy()
            self._spy.install()

    @property
    def reading_ourselves(self) -> bool:
        """True while we read the clipboard ourselves: not a read by another program."""
        return self._own_reads > 0

    def outside_change_at(self) -> float | None:
        """Return when (time.monotonic) the clipboard last changed other than by QuickReply."""
        return self._outside_change

    def copy_selection(self, send_copy: Callable[[], None], timeout_ms: int) -> str:
        """Copy the focused window's selection with `send_copy` (its Ctrl+C), return the text,
        and put the previous clipboard back exactly; empty when nothing was copied in time."""
        from quickreply.platform.event_loop import wait_until

        before, changed_at, changes = self.snapshot(), self._outside_change, self.changes
        send_copy()
        if not wait_until(lambda: self.changes != changes, timeout_ms):
            return ""
        text = self.text()
        self._ours = self._clipboard.mimeData()  # the copy is ours to replace
        self.restore(before)
        self._outside_change = changed_at  # our own copy is not the agent's
        return text

    def text(self) -> str:
        """Return the clipboard's current text (empty when it holds none)."""
        with self._ourselves():
            return self._clipboard.text()

    def snapshot(self) -> QMimeData | None:
        """Copy everything the clipboard holds now (every format Qt can read), or None if empty."""
        with self._ourselves():
            source = self._clipboard.mimeData()
            if source is None:
                return None
            if sys.platform == "win32":
                return windows_formats.snapshot(source)  # allow list within a time budget
            formats = [f for f in source.formats() if not f.startswith(_SKIPPED_FORMATS)]
            if not formats:
                return None
            copy = QMimeData()
            for fmt in formats:
                copy.setData(fmt, source.data(fmt))
            return copy

    def holds_ours(self) -> bool:
        """True if the clipboard still holds what we last put there (on X11: we own the selection)."""
        return self._ours is not None and self._clipboard.mimeData() is self._ours

    def copy(self, text: str) -> None:
        """The agent's explicit "copy only": leave `text` on the clipboard, on purpose."""
        self._ours = None
        self._clipboard.setText(text)

    def copy_data(self, data: QMimeData) -> None:
        """The agent's explicit "copy only" of a rich item (image and text): left there on purpose."""
        self._ours = None
        self._clipboard.setMimeData(data)

    def put_reporting_text(self, text: str, reads: PasteReads) -> bool:
        """Put `text` on the clipboard, its reads reported to `reads`; return whether it holds it."""
        return self.put_reporting(ReportingMimeData(text, reads, self), reads)

    def put_reporting(self, data: QMimeData, reads: PasteReads) -> bool:
        """Put `data` (which reports its reads to `reads`) on the clipboard; return whether it
        holds it."""
        self._ours = data
        if sys.platform == "win32":
            windows_formats.mark_private(self._ours)  # out of Win+V history and monitors
        if self._spy is not None:
            self._spy.reads = reads
        self._clipboard.setMimeData(self._ours)
        return self.holds_ours()

    def restore(self, snapshot: QMimeData | None) -> bool:
        """Put back what `snapshot` saved (clearing the clipboard when it was empty), but only if
        the clipboard still holds our text: a copy made meanwhile is left alone. Return whether
        it restored."""
        if not self.holds_ours():
            self._ours = None
            return False
        self._ours = snapshot
        if snapshot is None:
            self._clipboard.clear()
        else:
            self._clipboard.setMimeData(snapshot)
        return True

    def release(self) -> None:
        """Before exit: put what we last set back as data Qt itself made.

        Qt destroys the clipboard's data after Python has shut down; data made from Python then
        calls into a dead interpreter (a crash on Quit). The agent's text or image is kept; other
        formats go, as they would anyway on X11 when the owner exits. A clipboard another program
        has taken since is left alone.
        """
        if not self.holds_ours():
            return
        ours, self._ours = self._ours, None
        assert ours is not None
        if ours.hasImage():
            image = ours.imageData()  # a QImage, or the encoded bytes when only those were set
            if not isinstance(image, QImage):
                image = QImage.fromData(ours.data("image/png"))
            self._clipboard.setImage(image)
        elif ours.hasText():
            self._clipboard.setText(ours.text())
        else:
            self._clipboard.clear()

    def _count_change(self) -> None:
        self.changes += 1
        if self._clipboard.mimeData() is not self._ours:
            self._outside_change = time.monotonic()

    @contextlib.contextmanager
    def _ourselves(self) -> Iterator[None]:
        self._own_reads += 1
        try:
            yield
        finally:
            self._own_reads -= 1


def _x_client_mask() -> int:
    """Return the X server's resource-id mask (0 if the display cannot be asked)."""
    from quickreply.platform.errors import BackendUnavailableError
    from quickreply.platform.x11 import open_display

    try:
        display = open_display()
    except BackendUnavailableError:
        return 0
    try:
        return int(display.display.info.resource_id_mask)
    finally:
        display.close()


def read_text_once() -> str:
    """Read the clipboard's text from a process without a running app (the command line).

    Raises QuickReplyError when there is no display to read it from.
    """
    from quickreply.core.errors import QuickReplyError
    from quickreply.platform.display import display_problem

    problem = display_problem()
    if problem:
        raise QuickReplyError(
            f"{{{{clipboard}}}} needs the clipboard: {problem}; or give --var clipboard=TEXT"
        )
    app = QGuiApplication.instance() or QGuiApplication([])
    clipboard = app.clipboard() if isinstance(app, QGuiApplication) else None
    return clipboard.text() if clipboard is not None else ""
