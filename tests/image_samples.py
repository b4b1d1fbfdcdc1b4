"""Small real images made in pure Python (PNG through zlib) and minimal headers of the other
formats, for the asset tests and benchmarks/images.py."""

from __future__ import annotations

import random
import struct
import zlib


def png_bytes(width: int = 4, height: int = 3, seed: int = 0) -> bytes:
    """Return a valid RGB PNG of random pixels; different seeds give different bytes."""
    rng = random.Random(seed)
    rows = b"".join(b"\0" + rng.randbytes(width * 3) for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def jpeg_header(width: int, height: int) -> bytes:
    """Return the start of a baseline JPEG (SOI, an APP0 segment, SOF0) with this size."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof0 + b"\xff\xd9"


def gif_header(width: int, height: int) -> bytes:
    """Return a GIF89a header with this logical screen size."""
    return b"GIF89a" + struct.pack("<HH", width, height) + b"\0\0\0;"


def webp_lossless_header(width: int, height: int) -> bytes:
    """Return a RIFF/WEBP VP8L header with this size."""
    bits = (width - 1) | ((height - 1) << 14)
    body = b"VP8L" + struct.pack("<I", 5) + b"\x2f" + struct.pack("<I", bits)
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WEBP" + body
