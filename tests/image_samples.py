"""Sample pictures for the image-snippet tests: PNG files made here, and assets in a data dir."""

from __future__ import annotations

import hashlib
import random
import struct
import zlib
from pathlib import Path


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
