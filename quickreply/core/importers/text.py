"""Reading a text file whose encoding is not known: detected from its bytes, never the locale.

Order: a byte-order mark (UTF-8, UTF-16) wins; then strict UTF-8; then GB18030, which is a
superset of GBK and GB2312, the encodings Chinese Excel and the shop platforms write CSV in.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from quickreply.core.errors import ValidationError

MAX_IMPORT_BYTES = 64 * 1024 * 1024  # far above any phrase library; refuses a mistaken disk image

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def read_bytes(path: Path) -> bytes:
    """Return the file's bytes; raise ValidationError when it is missing, unreadable or huge."""
    try:
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise ValidationError(
                f"{path.name}: {size // (1024 * 1024)} MB is too large to be a phrase file"
            )
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise ValidationError(f"{path}: no such file") from exc
    except OSError as exc:
        raise ValidationError(f"{path}: cannot be read ({exc.strerror or exc})") from exc


def detect_encoding(data: bytes) -> str:
    """Return the encoding of `data`: utf-8-sig, utf-16, utf-8 or gb18030.

    Raises ValidationError when the bytes are none of them (a binary file, say).
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            "the file is not text in UTF-8 or GBK/GB18030 (is it a binary file?)"
        ) from exc
    return "gb18030"


def decode(data: bytes, where: str) -> tuple[str, str]:
    """Return (text, encoding) for `data`; raise ValidationError naming `where` when undecodable."""
    try:
        encoding = detect_encoding(data)
        text = data.decode(encoding)
    except (ValidationError, UnicodeDecodeError) as exc:
        raise ValidationError(f"{where}: {exc}") from exc
    if "\x00" in text:
        raise ValidationError(f"{where}: the file is not text (it holds NUL bytes)")
    return text, encoding


def read_text(path: Path) -> str:
    """Return the text of `path` in its detected encoding; raise ValidationError otherwise."""
    return decode(read_bytes(path), path.name)[0]
