"""The asset store: content addressing, formats read from the bytes, limits, garbage collection."""

from __future__ import annotations

import hashlib
import os
import time

import pytest

from quickreply.core.errors import QuickReplyError, ValidationError
from quickreply.core.library.assets import (
    MAX_IMAGE_BYTES,
    AssetStore,
    image_info,
    is_ref,
)
from tests.image_samples import gif_header, jpeg_header, png_bytes, webp_lossless_header


def test_add_bytes_names_the_file_by_its_sha256_and_format(tmp_path):
    data = png_bytes(5, 7)
    ref = AssetStore(tmp_path).add_bytes(data)
    assert ref == f"{hashlib.sha256(data).hexdigest()}.png"
    assert (tmp_path / "assets" / ref).read_bytes() == data


def test_adding_the_same_image_twice_stores_it_once(tmp_path):
    assets = AssetStore(tmp_path)
    source = tmp_path / "chart.bin"  # the name says nothing: the bytes decide
    source.write_bytes(png_bytes(seed=3))
    assert assets.add_file(source) == assets.add_bytes(png_bytes(seed=3))
    assert len(assets.refs()) == 1


@pytest.mark.parametrize(
    "data, ext, size",
    [
        (png_bytes(12, 34), "png", (12, 34)),
        (jpeg_header(640, 480), "jpg", (640, 480)),
        (gif_header(20, 10), "gif", (20, 10)),
        (webp_lossless_header(300, 200), "webp", (300, 200)),
    ],
)
def test_format_and_pixel_size_come_from_the_header(data, ext, size):
    info = image_info(data)
    assert (info.ext, info.width, info.height, info.size) == (ext, *size, len(data))


def test_a_file_that_is_not_an_image_is_refused_by_name(tmp_path):
    fake = tmp_path / "chart.png"
    fake.write_bytes(b"%PDF-1.7 not an image")
    with pytest.raises(ValidationError, match="chart.png: not a PNG, JPEG, GIF or WebP"):
        AssetStore(tmp_path).add_file(fake)
    assert AssetStore(tmp_path).refs() == set()


def test_too_many_pixels_is_refused():
    with pytest.raises(ValidationError, match="8001x10 pixels"):
        image_info(png_bytes(1, 1)[:16] + (8001).to_bytes(4, "big") + (10).to_bytes(4, "big"))


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "big.png"
    with big.open("wb") as handle:
        handle.truncate(MAX_IMAGE_BYTES + 1)
    with pytest.raises(ValidationError, match="at most 10 MB"):
        AssetStore(tmp_path).add_file(big)


def test_a_missing_file_is_one_clear_error(tmp_path):
    with pytest.raises(QuickReplyError, match="no such image file"):
        AssetStore(tmp_path).add_file(tmp_path / "nope.png")


@pytest.mark.parametrize(
    "ref",
    ["../library.json", "A" * 64 + ".png", "0" * 64 + ".bmp", "0" * 64, "/etc/passwd", ""],
)
def test_malformed_references_are_refused(tmp_path, ref):
    assert not is_ref(ref)
    assert not AssetStore(tmp_path).exists(ref)
    with pytest.raises(ValidationError):
        AssetStore(tmp_path).path_for(ref)


def test_garbage_collection_removes_only_unreferenced_assets(tmp_path):
    assets = AssetStore(tmp_path, grace_s=0)
    kept, dropped = assets.add_bytes(png_bytes(seed=1)), assets.add_bytes(png_bytes(seed=2))
    (assets.folder / ".x.png.123.tmp").write_bytes(b"half")  # a writer's temp file: not ours
    assert assets.collect_garbage({kept}) == [dropped]
    assert assets.exists(kept) and not assets.exists(dropped)
    assert (assets.folder / ".x.png.123.tmp").exists()


def test_garbage_collection_spares_an_asset_just_added(tmp_path):
    assets = AssetStore(tmp_path, grace_s=600)
    fresh = assets.add_bytes(png_bytes(seed=1))
    old = assets.add_bytes(png_bytes(seed=2))
    past = time.time() - 3600
    os.utime(assets.path_for(old), (past, past))
    assert assets.collect_garbage(set()) == [old]
    assert assets.exists(fresh)


def test_adding_again_makes_an_old_unreferenced_asset_fresh(tmp_path):
    assets = AssetStore(tmp_path, grace_s=600)
    ref = assets.add_bytes(png_bytes(seed=1))
    past = time.time() - 3600
    os.utime(assets.path_for(ref), (past, past))
    assets.add_bytes(png_bytes(seed=1))
    assert assets.collect_garbage(set()) == []


def test_describe_gives_pixels_and_bytes(tmp_path):
    assets = AssetStore(tmp_path)
    data = png_bytes(9, 4)
    info = assets.describe(assets.add_bytes(data))
    assert (info.width, info.height, info.size) == (9, 4, len(data))


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n",  # the signature and nothing else
        png_bytes()[:20],  # cut inside IHDR
        b"\xff\xd8\xff\xe0\x00",  # a JPEG cut in its first segment
        b"\xff\xd8\xff\xe0\x00\x00" + b"\x00" * 10,  # a segment length below 2
        b"RIFF\x00\x00\x00\x00WEBPVP8 ",  # a WebP without its frame header
        gif_header(0, 10),  # no width
    ],
)
def test_damaged_headers_are_refused_with_a_clear_error(data):
    with pytest.raises(ValidationError, match="damaged|pixels"):
        image_info(data, "x")


def test_garbage_collection_removes_a_crashed_writers_old_temp_file(tmp_path):
    assets = AssetStore(tmp_path, grace_s=0)
    kept = assets.add_bytes(png_bytes(seed=1))
    stale, fresh = assets.folder / f".{'0' * 64}.png.abc.tmp", assets.folder / ".x.png.1.tmp"
    stale.write_bytes(b"half")
    fresh.write_bytes(b"half")
    past = time.time() - 3600
    os.utime(stale, (past, past))
    assets.collect_garbage({kept})
    assert not stale.exists() and fresh.exists() and assets.exists(kept)
