"""Windows clipboard formats: what a snapshot copies back, and how our data is marked.

A snapshot copies only an allow list (text, Unicode text, HTML, RTF, PNG/DIB images, file drops)
in that order of value, and stops when a time budget is spent: the private formats programs
put alongside (Ole Private Data, Object Descriptor, EMF, Link Source ...) are slow to render,
hold the GIL while Qt converts them, and cannot be restored meaningfully anyway.

Our own data carries ExcludeClipboardContentFromMonitorProcessing and
CanIncludeInClipboardHistory = 0 (and CanUploadToCloudClipboard = 0): Windows clipboard history
(Win+V), cloud clipboard and well-behaved clipboard managers then neither store nor read it, so
the first read we see is more likely the target's. Reads of these marker formats never count.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from PySide6.QtCore import QMimeData

QT_WIN_MIME = 'application/x-qt-windows-mime;value="{}"'
IMAGE_MIME = "application/x-qt-image"

# Qt's names for the formats we keep, most valuable first.
SNAPSHOT_FORMATS = (
    "text/plain",  # CF_UNICODETEXT / CF_TEXT
    "text/html",  # "HTML Format"
    QT_WIN_MIME.format("Rich Text Format"),
    "text/uri-list",  # CF_HDROP: files copied in Explorer
    QT_WIN_MIME.format("PNG"),
    IMAGE_MIME,  # CF_DIB / CF_DIBV5
)
SNAPSHOT_BUDGET_MS = 150

_ZERO_DWORD = (0).to_bytes(4, "little")
MARKER_FORMATS = {
    QT_WIN_MIME.format("ExcludeClipboardContentFromMonitorProcessing"): _ZERO_DWORD,
    QT_WIN_MIME.format("CanIncludeInClipboardHistory"): _ZERO_DWORD,
    QT_WIN_MIME.format("CanUploadToCloudClipboard"): _ZERO_DWORD,
}


def is_marker_format(mime: str) -> bool:
    """True for our privacy markers: reading them is Windows checking, not the target pasting."""
    return mime in MARKER_FORMATS


def snapshot_plan(available: Sequence[str]) -> list[str]:
    """Return the allowed formats among `available`, most valuable first."""
    present = set(available)
    return [fmt for fmt in SNAPSHOT_FORMATS if fmt in present]


def copy_within_budget(
    available: Sequence[str],
    read: Callable[[str], object],
    budget_ms: int = SNAPSHOT_BUDGET_MS,
    clock_ms: Callable[[], float] = lambda: time.monotonic() * 1000,
) -> dict[str, object]:
    """Read the planned formats in order until `budget_ms` is spent; the first always is read."""
    start = clock_ms()
    copied: dict[str, object] = {}
    for fmt in snapshot_plan(available):
        if copied and clock_ms() - start > budget_ms:
            break
        copied[fmt] = read(fmt)
    return copied


def snapshot(source: QMimeData, budget_ms: int = SNAPSHOT_BUDGET_MS) -> QMimeData | None:
    """Copy the allowed formats of `source` (a clipboard's data) within the budget, or None."""

    def read(fmt: str) -> object:
        return source.imageData() if fmt == IMAGE_MIME else source.data(fmt)

    copied = copy_within_budget(source.formats(), read, budget_ms)
    if not copied:
        return None
    copy = QMimeData()
    for fmt, data in copied.items():
        if fmt == IMAGE_MIME:
            copy.setImageData(data)
        else:
            copy.setData(fmt, data)  # type: ignore[arg-type]
    return copy


def mark_private(data: QMimeData) -> None:
    """Add the markers that keep `data` out of clipboard history, cloud and monitors."""
    for fmt, value in MARKER_FORMATS.items():
        data.setData(fmt, value)
