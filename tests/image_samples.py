"""Small real images made in pure Python (PNG through zlib) and minimal headers of the other
formats, for the asset tests and benchmarks/images.py; sample pictures and assets in a data dir
for the image insertion tests and benchmarks/image_insert.py."""

from __future__ import annotations

import hashlib
import random
import struct
import zlib
from pathlib import Path


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


def make_png(width: int, height: int, seed: int = 0, noise: bool = False) -> bytes:
    """Return an RGB PNG: stripes of a colour chosen by `seed`, or random pixels with `noise`
    (random pixels do not compress: a 260x260 picture is about 200 KB)."""
    rng = random.Random(seed)
    colour = bytes(rng.randrange(256) for _ in range(3))
    rows = []
    for y in range(height):
        if noise:
            pixels = rng.randbytes(width * 3)
        else:
            pixels = (colour if (y // 4) % 2 else b"\xff\xff\xff") * width
        rows.append(b"\x00" + pixels)
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def add_asset(data_dir: Path, png: bytes) -> str:
    """Store `png` as a content-addressed asset in `data_dir`; return its reference."""
    ref = f"{hashlib.sha256(png).hexdigest()}.png"
    folder = data_dir / "assets"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ref).write_bytes(png)
    return ref


def pixel_hash(width: int, height: int, rgba: bytes) -> str:
    """The hash both sides of an end-to-end test compare: size and RGBA pixels."""
    return hashlib.sha256(f"{width}x{height}:".encode() + rgba).hexdigest()[:16]
