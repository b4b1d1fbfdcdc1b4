"""Rules 13 and 15 (Windows parts): privacy markers on our data, allow-listed snapshot formats
within a time budget, marker reads never counted as the target's read."""

from __future__ import annotations

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QImage

from quickreply.platform.clipboard import ReportingMimeData
from quickreply.platform.clipboard_reads import PasteReads
from quickreply.platform.windows.clipboard_formats import (
    IMAGE_MIME,
    MARKER_FORMATS,
    QT_WIN_MIME,
    copy_within_budget,
    mark_private,
    snapshot,
    snapshot_plan,
)

RTF = QT_WIN_MIME.format("Rich Text Format")
PRIVATE = [QT_WIN_MIME.format(name) for name in ("Ole Private Data", "Object Descriptor", "Link Source", "Embed Source")]  # fmt: skip


def test_private_formats_are_skipped_and_the_rest_ordered_by_value() -> None:
    available = [
        *PRIVATE,
        "image/x-emf",
        IMAGE_MIME,
        RTF,
        "text/html",
        "text/plain",
        "text/uri-list",
    ]
    assert snapshot_plan(available) == ["text/plain", "text/html", RTF, "text/uri-list", IMAGE_MIME]


def test_snapshot_stops_when_the_time_budget_is_spent() -> None:
    clock = [0.0]
    read: list[str] = []

    def slow_read(fmt: str) -> bytes:
        read.append(fmt)
        clock[0] += 100  # each format takes 100 ms to render
        return b"x"

    copied = copy_within_budget(
        ["text/plain", "text/html", RTF, IMAGE_MIME],
        slow_read,
        budget_ms=150,
        clock_ms=lambda: clock[0],
    )
    assert read == ["text/plain", "text/html"]
    assert list(copied) == ["text/plain", "text/html"]


def test_first_format_is_always_copied_even_when_slow() -> None:
    copied = copy_within_budget(["text/plain"], lambda _f: b"a", budget_ms=0, clock_ms=lambda: 1e9)
    assert copied == {"text/plain": b"a"}


def test_snapshot_of_real_mime_data_keeps_only_allowed_formats() -> None:
    source = QMimeData()
    source.setText("agent's own text")
    source.setHtml("<b>agent</b>")
    source.setImageData(QImage(2, 2, QImage.Format.Format_RGB32))
    for fmt in PRIVATE:
        source.setData(fmt, b"\x01\x02")
    copy = snapshot(source)
    assert copy is not None
    assert copy.text() == "agent's own text" and copy.html() == "<b>agent</b>"
    assert copy.hasImage()
    assert not any(copy.hasFormat(fmt) for fmt in PRIVATE)


def test_empty_or_private_only_clipboard_snapshots_to_none() -> None:
    source = QMimeData()
    source.setData(PRIVATE[0], b"x")
    assert snapshot(source) is None


class _NotReadingOurselves:
    """The part of Clipboard that ReportingMimeData asks: is this our own read?"""

    reading_ourselves = False


def test_our_data_is_marked_out_of_history_and_monitors() -> None:
    data = ReportingMimeData("亲，您好", PasteReads(), _NotReadingOurselves())  # type: ignore[arg-type]
    mark_private(data)
    exclude = QT_WIN_MIME.format("ExcludeClipboardContentFromMonitorProcessing")
    history = QT_WIN_MIME.format("CanIncludeInClipboardHistory")
    assert data.hasFormat(exclude) and data.hasFormat(history)
    assert bytes(data.data(history)) == b"\x00\x00\x00\x00"  # a DWORD 0


def test_reading_the_markers_is_not_the_target_reading() -> None:
    reads = PasteReads()
    reads.open()  # the paste keys go out: reads count from now on
    data = ReportingMimeData("亲，您好", reads, _NotReadingOurselves())  # type: ignore[arg-type]
    mark_private(data)
    for fmt in MARKER_FORMATS:
        data.data(fmt)
    assert not reads.read
    assert data.text() == "亲，您好"
    assert reads.read  # the text read counts
