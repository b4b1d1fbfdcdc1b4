"""Images of snippets, stored by content in ``<data dir>/assets/<sha256>.<ext>``.

A snippet holds only references ("<sha256>.<ext>"): the same picture attached twice is stored
once, and a reference names exactly one set of bytes. The format is read from the bytes (never
the file name), and the pixel size from the header, so no image library is needed in core.
Unreferenced assets are removed by `collect_garbage`, which the library store runs after deletes,
updates and pack changes; an asset younger than the grace period is spared, because another
process may have just added it for a snippet it is about to save.
"""

from __future__ import annotations

import hashlib
import os
import re
import struct
import time
from pathlib import Path
from typing import NamedTuple

from quickreply.core.errors import QuickReplyError, ValidationError
from quickreply.core.i18n import tr
from quickreply.core.library.atomic import atomic_write_bytes, remove_stale_temp_files

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_IMAGES = 9  # per snippet, as many as a chat message takes
MAX_IMAGE_SIDE = 8000  # pixels, width and height each
GC_GRACE_S = 600.0
FOLDER = "assets"
EXTENSIONS = ("png", "jpg", "gif", "webp")
REF_PATTERN = re.compile(r"^[0-9a-f]{64}\.(?:png|jpg|gif|webp)$")


class ImageInfo(NamedTuple):
    """What an asset's header says: its format (the file extension), pixel size, and byte size."""

    ext: str
    width: int
    height: int
    size: int


def is_ref(ref: object) -> bool:
    """Whether `ref` is a well-formed asset reference: 64 lowercase hex digits, a dot, a format."""
    return isinstance(ref, str) and REF_PATTERN.match(ref) is not None


def ref_problem(ref: object) -> str | None:
    """Return why `ref` is not a well-formed asset reference, or None."""
    if is_ref(ref):
        return None
    shown = str(ref)[:80]
    return tr(
        "image reference '{ref}' is not <sha256>.<png|jpg|gif|webp>",
        ref=shown,
    )


def image_problems(images: object) -> list[str]:
    """Return what is wrong with a snippet's image list on its own (its count, each ref's form)."""
    if not isinstance(images, (list, tuple)):
        return [tr("images must be a list of image references")]
    problems = [p for p in (ref_problem(ref) for ref in images) if p]
    if len(images) > MAX_IMAGES:
        problems.append(
            tr(
                "{count} images; a snippet may have at most {limit}",
                count=len(images),
                limit=MAX_IMAGES,
            )
        )
    return problems


def image_info(data: bytes, name: str = "image") -> ImageInfo:
    """Return the format and pixel size of `data`, or raise ValidationError naming `name` and why:
    too large, not a PNG/JPEG/GIF/WebP, a damaged header, or too many pixels."""
    if len(data) > MAX_IMAGE_BYTES:
        raise _too_large(name, len(data))
    ext = _format(data)
    if ext is None:
        raise ValidationError(tr("{name}: not a PNG, JPEG, GIF or WebP image", name=name))
    size = _dimensions(ext, data)
    if size is None:
        raise ValidationError(tr("{name}: the image header is damaged", name=name))
    width, height = size
    if not (0 < width <= MAX_IMAGE_SIDE and 0 < height <= MAX_IMAGE_SIDE):
        raise ValidationError(
            tr(
                "{name}: {width}x{height} pixels; an image may be at most {limit}x{limit}",
                name=name,
                width=width,
                height=height,
                limit=MAX_IMAGE_SIDE,
            )
        )
    return ImageInfo(ext, width, height, len(data))


def ref_for(data: bytes, name: str = "image") -> str:
    """Return the asset reference of `data` after checking it (image_info's errors)."""
    info = image_info(data, name)
    return f"{hashlib.sha256(data).hexdigest()}.{info.ext}"


class AssetStore:
    """The content-addressed image files of one data dir."""

    def __init__(self, data_dir: Path, grace_s: float = GC_GRACE_S) -> None:
        self.folder = Path(data_dir) / FOLDER
        self.grace_s = grace_s

    def add_bytes(self, data: bytes, name: str = "image") -> str:
        """Store `data` (checked by image_info) and return its reference; storing the same bytes
        again writes nothing and returns the same reference."""
        ref = ref_for(data, name)
        path = self.folder / ref
        if path.is_file():
            os.utime(path)  # fresh again: a collection running now spares it
            return ref
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # as private as the data dir
        atomic_write_bytes(path, data)
        return ref

    def add_file(self, path: Path) -> str:
        """Store the image file at `path` and return its reference; raise QuickReplyError when it
        cannot be read, or ValidationError when it is not an image within the limits."""
        path = Path(path)
        try:
            if not path.is_file():
                raise QuickReplyError(tr("{path}: no such image file", path=path))
            if path.stat().st_size > MAX_IMAGE_BYTES:
                raise _too_large(path.name, path.stat().st_size)
            data = path.read_bytes()
        except OSError as exc:
            raise QuickReplyError(
                tr("cannot read {path}: {reason}", path=path, reason=exc.strerror or exc)
            ) from exc
        return self.add_bytes(data, path.name)

    def path_for(self, ref: str) -> Path:
        """Return the file of `ref`; raise ValidationError for a malformed reference (a path
        trick such as ``../library.json`` never leaves the assets folder)."""
        problem = ref_problem(ref)
        if problem:
            raise ValidationError(problem)
        return self.folder / ref

    def exists(self, ref: str) -> bool:
        """Whether `ref` is well formed and its file is stored."""
        return is_ref(ref) and (self.folder / ref).is_file()

    def read(self, ref: str) -> bytes:
        """Return the bytes of `ref`; raise QuickReplyError when it is missing."""
        try:
            return self.path_for(ref).read_bytes()
        except OSError as exc:
            raise QuickReplyError(
                tr("image {ref} is missing from {folder}", ref=ref, folder=self.folder)
            ) from exc

    def describe(self, ref: str) -> ImageInfo:
        """Return the format, pixel size and byte size of the stored image `ref`."""
        return image_info(self.read(ref), ref)

    def refs(self) -> set[str]:
        """Return the references of every stored asset (temp files and strangers left out)."""
        try:
            return {p.name for p in self.folder.iterdir() if is_ref(p.name) and p.is_file()}
        except OSError:  # no folder yet, or not one: nothing of ours to list
            return set()

    def _temp_files(self) -> list[Path]:
        try:
            return list(self.folder.glob(".*.tmp"))
        except OSError:
            return []

    def collect_garbage(self, referenced: set[str]) -> list[str]:
        """Remove the stored assets not in `referenced` (older than the grace period), and temp
        files a crashed writer left; return the removed references. A referenced asset is never
        removed."""
        for target in {t.name[1:].rsplit(".", 2)[0] for t in self._temp_files()}:
            remove_stale_temp_files(self.folder / target)  # ".<ref>.<random>.tmp", a minute old
        cutoff = time.time() - self.grace_s
        removed = []
        for ref in sorted(self.refs() - referenced):
            path = self.folder / ref
            try:
                if path.stat().st_mtime <= cutoff:
                    path.unlink()
                    removed.append(ref)
            except OSError:
                continue  # gone already, or held by another program: the next collection
        return removed


def _too_large(name: str, size: int) -> ValidationError:
    return ValidationError(
        tr(
            "{name}: {size:.1f} MB; an image may be at most {limit} MB",
            name=name,
            size=size / 1_048_576,
            limit=MAX_IMAGE_BYTES // 1_048_576,
        )
    )


def _format(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def _dimensions(ext: str, data: bytes) -> tuple[int, int] | None:
    """Width and height from the header bytes, or None when they cannot be read."""
    try:
        if ext == "png":
            if data[12:16] != b"IHDR":
                return None
            width, height = struct.unpack(">II", data[16:24])
            return int(width), int(height)
        if ext == "gif":
            width, height = struct.unpack("<HH", data[6:10])
            return int(width), int(height)
        if ext == "jpg":
            return _jpeg_dimensions(data)
        return _webp_dimensions(data)
    except struct.error:
        return None


_JPEG_FRAMES = {*range(0xC0, 0xD0)} - {0xC4, 0xC8, 0xCC}  # SOF markers (not DHT, JPG, DAC)


def _jpeg_dimensions(data: bytes) -> tuple[int, int] | None:
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # no length
            pos += 2
            continue
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        if marker in _JPEG_FRAMES:
            height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
            return int(width), int(height)
        if length < 2:
            return None
        pos += 2 + length
    return None


def _webp_dimensions(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8 " and data[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and data[20:21] == b"\x2f":
        (bits,) = struct.unpack("<I", data[21:25])
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X":
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return width, height
    return None
