"""Images on the clipboard: one picture (or a picture with text and HTML) that reports its reads.

A pasted image goes out as `image/png` bytes we give explicitly (the file's own PNG bytes, or the
picture re-encoded as PNG) plus Qt's image data, from which Qt makes the platform's native
formats (the bitmap formats on Windows, other image types on X11). Like text, the data is handed
out lazily, so `retrieveData` tells the paste's `PasteReads` when the target read it.

`combined` parts carry HTML with the picture embedded as a data URL, for targets that paste HTML
with images in one go; `rich_copy` is the palette's copy-only item (first image and the text).
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMimeData
from PySide6.QtGui import QImage

from quickreply.core.errors import QuickReplyError
from quickreply.core.i18n import tr
from quickreply.platform.clipboard_reads import PasteReads
from quickreply.platform.windows import clipboard_formats as windows_formats

if TYPE_CHECKING:
    from quickreply.platform.clipboard import Clipboard

PNG_FORMAT = "image/png"
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class ClipboardImage:
    """A picture ready for the clipboard: its PNG bytes and the decoded image."""

    png: bytes
    image: QImage

    @classmethod
    def load(cls, path: Path) -> ClipboardImage:
        """Read the image file at `path` (PNG, JPEG, GIF's first frame, WebP if Qt reads it).

        Raises QuickReplyError when the file is missing or not a picture Qt can read.
        """
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise QuickReplyError(
                tr("The image {name} is missing ({error})", name=path.name, error=exc.strerror)
            ) from exc
        image = QImage.fromData(data)
        if image.isNull():
            raise QuickReplyError(tr("The image {name} cannot be read", name=path.name))
        png = data if data.startswith(_PNG_SIGNATURE) else png_bytes(image)
        return cls(png, image)


def png_bytes(image: QImage) -> bytes:
    """Return `image` encoded as PNG."""
    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, b"PNG")
    buffer.close()
    return bytes(array.data())


def text_html(text: str) -> str:
    """Return `text` as HTML: escaped, line breaks kept."""
    return html.escape(text).replace("\n", "<br>")


def image_html(picture: ClipboardImage) -> str:
    """Return an <img> element that carries `picture` itself (a PNG data URL)."""
    encoded = base64.b64encode(picture.png).decode("ascii")
    return f'<img src="data:{PNG_FORMAT};base64,{encoded}">'


def fill(
    data: QMimeData, picture: ClipboardImage | None, text: str = "", html_text: str = ""
) -> QMimeData:
    """Put `picture` (PNG bytes and image data), `text` and `html_text` on `data`; return it."""
    if picture is not None:
        data.setImageData(picture.image)
        data.setData(PNG_FORMAT, QByteArray(picture.png))
    if html_text:
        data.setHtml(html_text)
    if text:
        data.setText(text)
    return data


class ReportingImageMimeData(QMimeData):
    """An image (optionally with text and HTML) that tells `reads` when another program reads it."""

    def __init__(
        self,
        picture: ClipboardImage | None,
        reads: PasteReads,
        clipboard: Clipboard,
        text: str = "",
        html_text: str = "",
    ) -> None:
        super().__init__()
        fill(self, picture, text, html_text)
        self._reads = reads
        self._clipboard = clipboard

    def retrieveData(self, mimetype: str, preferred_type: Any) -> Any:  # noqa: N802 - Qt override
        """Hand the data out and report the read (not our own reads, not Windows' markers)."""
        if not self._clipboard.reading_ourselves and not windows_formats.is_marker_format(mimetype):
            self._reads.note_read(mimetype)
        return super().retrieveData(mimetype, preferred_type)


def combined(
    pictures: list[ClipboardImage], text: str, images_first: bool
) -> tuple[ClipboardImage | None, str]:
    """Return the first picture and the HTML of one combined paste: every picture embedded and
    the text, in the snippet's order."""
    parts = [image_html(p) for p in pictures]
    body = [*parts, text_html(text)] if images_first else [text_html(text), *parts]
    return (pictures[0] if pictures else None), "<br>".join(b for b in body if b)


def rich_copy(picture: ClipboardImage | None, text: str) -> QMimeData:
    """The palette's copy-only item: the first picture and the text as one clipboard item."""
    html_text = text_html(text)
    if picture is not None:
        html_text = image_html(picture) + ("<br>" + html_text if text else "")
    return fill(QMimeData(), picture, text, html_text)
