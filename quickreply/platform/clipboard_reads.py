"""Who reads our clipboard, and when the reading is over: the evidence a paste rests on.

A paste is a conversation, not one read. Chromium answers Ctrl+V with TARGETS, the text, about ten
more TARGETS, the text again and a few TARGETS, over 15-30 ms, and throws the paste away if the
clipboard owner changes before it is done. Clipboard managers read every new clipboard at once,
and our own `{{clipboard}}` lookup reads it too. So a `PasteReads` counts only the target's text
reads after the paste keys went out, and is *settled* once the target has read and then been
quiet for a while: only then may the clipboard change back.

On X11 a native event filter sees each SelectionRequest before Qt answers it, with the
requestor's window: the target's own X client made the request if the window ids share the
client's resource base (X hands every client one id range). Elsewhere (Windows delayed rendering,
Qt's offscreen platform) the requestor is unknown and every text read after the paste keys counts.
"""

from __future__ import annotations

import ctypes
import time
from typing import Any

from PySide6.QtCore import QAbstractNativeEventFilter, QByteArray, QCoreApplication

# A target that read must be left alone this long after its first read, and this long after its
# last request (TARGETS included) before the clipboard may change back (measured: Chromium's
# paste conversation spans 15-30 ms with gaps under 10 ms; see docs/insertion.md).
MIN_HOLD_MS = 150
QUIET_MS = 60

_XCB_SELECTION_REQUEST = 30
_TEXT_PREFIXES = ("text/", "UTF8_STRING", "STRING", "TEXT", "COMPOUND_TEXT")
_IMAGE_PREFIXES = ("image/", "application/x-qt-image", "PNG", "CF_DIB")


class _SelectionRequest(ctypes.Structure):
    """xcb_selection_request_event_t."""

    _fields_ = [
        ("response_type", ctypes.c_uint8),
        ("pad0", ctypes.c_uint8),
        ("sequence", ctypes.c_uint16),
        ("time", ctypes.c_uint32),
        ("owner", ctypes.c_uint32),
        ("requestor", ctypes.c_uint32),
        ("selection", ctypes.c_uint32),
        ("target", ctypes.c_uint32),
        ("property", ctypes.c_uint32),
    ]


def is_text_format(mimetype: str) -> bool:
    """True for the formats a chat box pastes as text."""
    return mimetype.startswith(_TEXT_PREFIXES)


def is_paste_format(mimetype: str) -> bool:
    """True for the formats a chat box pastes: text, HTML or an image."""
    return is_text_format(mimetype) or mimetype.startswith(_IMAGE_PREFIXES)


class PasteReads:
    """The reads of one pasted part (text, HTML or image): the target's, after the paste keys, by requestor if known."""

    def __init__(
        self, target: int | None = None, client_mask: int = 0, *, image: bool = False
    ) -> None:
        """`target`: the window we paste into (None: any reader counts); `client_mask`: the X
        server's resource-id mask (0 where requestors are unknown); `image`: the part is an
        image, so image reads count too (a text part's count only text reads)."""
        self._counts = is_paste_format if image else is_text_format
        self._target = target
        self._mask = client_mask
        self._open = False  # reads count only once the paste keys are about to go out
        self.first_read_ns: int | None = None
        self.last_request_ns: int | None = None
        self.foreign_reads = 0  # reads by other programs (clipboard managers), never counted
        self._requestor: int | None = None  # of the X request being answered right now

    def open(self) -> None:
        """Start counting: the paste keys go out next."""
        self._open = True

    def note_request(self, requestor: int) -> None:
        """An X SelectionRequest from window `requestor` is about to be answered (any target)."""
        self._requestor = requestor
        if self._open and self._from_target(requestor):
            self.last_request_ns = time.perf_counter_ns()

    def note_read(self, mimetype: str) -> None:
        """Our data was handed out in `mimetype` to the requestor noted last (or an unknown one)."""
        requestor, self._requestor = self._requestor, None
        if not self._open or not self._counts(mimetype):
            return
        if requestor is not None and not self._from_target(requestor):
            self.foreign_reads += 1
            return
        now = time.perf_counter_ns()
        if self.first_read_ns is None:
            self.first_read_ns = now
        self.last_request_ns = now

    @property
    def read(self) -> bool:
        """True once the target has read the text."""
        return self.first_read_ns is not None

    def settled(self) -> bool:
        """True once the target has read and let the clipboard be for QUIET_MS (MIN_HOLD_MS in all)."""
        if self.first_read_ns is None or self.last_request_ns is None:
            return False
        now = time.perf_counter_ns()
        return (
            now - self.first_read_ns >= MIN_HOLD_MS * 1_000_000
            and now - self.last_request_ns >= QUIET_MS * 1_000_000
        )

    def _from_target(self, requestor: int) -> bool:
        if self._target is None or not self._mask:
            return True
        return (requestor & ~self._mask) == (self._target & ~self._mask)


class SelectionRequestSpy(QAbstractNativeEventFilter):
    """Tells the current `PasteReads` who sends each X SelectionRequest, before Qt answers it."""

    def __init__(self) -> None:
        super().__init__()
        self.reads: PasteReads | None = None

    def nativeEventFilter(  # noqa: N802 - Qt override
        self, eventType: QByteArray | bytes | bytearray | memoryview, message: Any
    ) -> object:
        """Look at xcb SelectionRequest events; never swallow one."""
        reads = self.reads
        kind = eventType.data() if isinstance(eventType, QByteArray) else bytes(eventType)
        address = int(message) if message is not None else 0  # a shiboken VoidPtr (len 0)
        if reads is not None and kind == b"xcb_generic_event_t" and address:
            event = _SelectionRequest.from_address(address)
            if event.response_type & 0x7F == _XCB_SELECTION_REQUEST:
                reads.note_request(event.requestor)
        return False, 0

    def install(self) -> None:
        """Install on the running Qt application."""
        app = QCoreApplication.instance()
        if app is not None:
            app.installNativeEventFilter(self)
