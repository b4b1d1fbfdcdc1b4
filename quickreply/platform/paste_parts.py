"""The clipboard items one insertion pastes, in order: each image, then the text (or the reverse),
or a single combined item (HTML with the images embedded, the first image and the plain text).

An image file that is missing or unreadable is left out with a problem for the agent; the text
always goes in.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QMimeData

from quickreply.core.errors import QuickReplyError
from quickreply.platform.clipboard import ReportingMimeData
from quickreply.platform.clipboard_image import ClipboardImage, ReportingImageMimeData, combined
from quickreply.platform.clipboard_reads import PasteReads

if TYPE_CHECKING:
    from quickreply.platform.clipboard import Clipboard
    from quickreply.platform.inject import InsertRequest


@dataclass(frozen=True)
class PastePart:
    """One clipboard item to paste: text, an image, or an image with text and HTML."""

    clipboard: Clipboard
    text: str = ""
    picture: ClipboardImage | None = None
    html_text: str = ""
    images: int = 0  # pictures this part carries (counted once the target read it)

    def data(self, reads: PasteReads) -> QMimeData:
        """Return fresh clipboard data for this part that reports its reads to `reads`."""
        if self.picture is None and not self.html_text:
            return ReportingMimeData(self.text, reads, self.clipboard)
        return ReportingImageMimeData(
            self.picture, reads, self.clipboard, self.text, self.html_text
        )


@dataclass
class PasteParts:
    """The parts of one insertion, and what could not be included."""

    parts: list[PastePart] = field(default_factory=list)
    problems: tuple[str, ...] = ()
    text_last: bool = True  # the caret keys of {{cursor}} only make sense after the text

    def __iter__(self) -> Iterator[PastePart]:
        return iter(self.parts)

    def __len__(self) -> int:
        return len(self.parts)


def paste_parts(request: InsertRequest, clipboard: Clipboard) -> PasteParts:
    """Return what `request` pastes, in order (its images loaded now, each from its file)."""
    pictures: list[ClipboardImage] = []
    problems: list[str] = []
    for path in request.images:
        try:
            pictures.append(ClipboardImage.load(path))
        except QuickReplyError as exc:
            problems.append(str(exc))
    images_first = request.image_order == "images_first"
    if not pictures:
        return PasteParts([PastePart(clipboard, request.text)], tuple(problems))
    if request.combine_images:
        first, html_text = combined(pictures, request.text, images_first)
        part = PastePart(clipboard, request.text, first, html_text, len(pictures))
        return PasteParts([part], tuple(problems))
    image_parts = [PastePart(clipboard, picture=p, images=1) for p in pictures]
    text_parts = [PastePart(clipboard, request.text)] if request.text else []
    ordered = [*image_parts, *text_parts] if images_first else [*text_parts, *image_parts]
    return PasteParts(ordered, tuple(problems), text_last=images_first or not text_parts)
