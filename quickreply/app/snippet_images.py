"""Which image files an insertion pastes: the snippet's images, as the application's rule allows.

Images go in only in paste mode (typing cannot carry a picture) and not where the rule or the
`image_paste_mode` setting says "text_only". A missing asset file is left out with a notice; the
text is inserted all the same.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from quickreply.core.app_rules import AppBehaviour
from quickreply.core.errors import QuickReplyError
from quickreply.core.i18n import tr
from quickreply.core.library.atomic import atomic_write_bytes
from quickreply.core.library.model import Snippet


@dataclass(frozen=True)
class ImagePlan:
    """The image files to paste, how, and what the agent should be told."""

    paths: tuple[Path, ...] = ()
    combine: bool = False
    missing: tuple[str, ...] = ()  # references whose file is gone
    skipped_for_typing: bool = False  # the app types instead of pasting: images left out


def asset_path(data_dir: Path, ref: str) -> Path:
    """Return where the asset `ref` ("<sha256>.<ext>") lives in `data_dir`."""
    return data_dir / "assets" / Path(ref).name


def plan_images(snippet: Snippet, behaviour: AppBehaviour, data_dir: Path) -> ImagePlan:
    """Return the image files `snippet` pastes into an application that behaves as `behaviour`."""
    if not snippet.images or behaviour.image_paste_mode == "text_only":
        return ImagePlan()
    if behaviour.insert_mode == "type":
        return ImagePlan(skipped_for_typing=True)
    paths = [asset_path(data_dir, ref) for ref in snippet.images]
    present = tuple(p for p in paths if p.is_file())
    missing = tuple(ref for ref, p in zip(snippet.images, paths, strict=True) if not p.is_file())
    return ImagePlan(present, behaviour.image_paste_mode == "combined", missing)


def missing_notice(title: str, missing: tuple[str, ...]) -> str:
    """What to tell the agent when images of snippet `title` are missing (the text went in)."""
    return tr(
        "“{title}”: {count} image(s) are missing from the library and were not pasted; the text "
        "was inserted.",
        title=title,
        count=len(missing),
    )


def typing_notice() -> str:
    """What to tell the agent (once) when an application that types instead of pasting gets an
    image snippet."""
    return tr(
        "This application gets snippets typed, not pasted, so their images are left out; only "
        "the text is typed."
    )


# Until core/library/assets.py (AssetStore) lands from the assets work: the same contract, small.
_MAX_IMAGE_BYTES = 10 * 1024 * 1024
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
)


def store_image(data_dir: Path, data: bytes) -> str:
    """Store an image's bytes content-addressed in `data_dir`'s assets; return its reference.

    Raises QuickReplyError for data that is not a PNG, JPEG, GIF or WebP picture, or too large.
    """
    if len(data) > _MAX_IMAGE_BYTES:
        raise QuickReplyError(tr("The image is larger than 10 MB"))
    ext = next((e for sig, e in _SIGNATURES if data.startswith(sig)), None)
    if ext is None and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        ext = "webp"
    if ext is None:
        raise QuickReplyError(tr("Not a picture QuickReply can paste (PNG, JPEG, GIF or WebP)"))
    ref = f"{hashlib.sha256(data).hexdigest()}.{ext}"
    path = asset_path(data_dir, ref)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, data)
    return ref


def store_image_file(data_dir: Path, source: Path) -> str:
    """Store the image file `source` as an asset; return its reference (QuickReplyError if not)."""
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise QuickReplyError(
            tr("Cannot read {name} ({error})", name=source.name, error=exc.strerror)
        ) from exc
    return store_image(data_dir, data)
