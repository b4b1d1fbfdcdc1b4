"""Image snippet figures (issue 16, core half): opening a library of 1,000 image snippets, and
installing a signed pack that carries 200 images. The images are random PNGs made in pure Python.

Run: python benchmarks/images.py
"""

from __future__ import annotations

import hashlib
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from nacl.signing import SigningKey

from quickreply.core.library.model import Snippet
from quickreply.core.library.store import LibraryStore
from quickreply.core.packs.file import pack_bytes
from quickreply.core.packs.format import parse_pack
from quickreply.core.packs.manage import install_from
from quickreply.core.packs.signing import PublicKey
from quickreply.core.packs.subscriptions import SubscriptionBook
from tests.image_samples import png_bytes

SNIPPETS = 1_000
PACK_IMAGES = 200
RUNS = 7


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def library_with_images(folder: Path, with_images: bool) -> Path:
    """A library of SNIPPETS snippets, each with two images of its own and one shared image."""
    store = LibraryStore(folder / "library.json")
    shared = store.assets.add_bytes(png_bytes(16, 16, seed=10**9)) if with_images else ""
    snippets = []
    for n in range(SNIPPETS):
        images: tuple[str, ...] = ()
        if with_images:
            own = [store.assets.add_bytes(png_bytes(16, 16, seed=2 * n + k)) for k in (0, 1)]
            images = (*own, shared)
        snippets.append(
            Snippet(id=f"s-{n:05d}", title=f"尺码表 {n}", body="亲，请看图～", images=images)
        )
    store.apply_bulk(add_snippets=snippets)
    return store.path


def library_load(path: Path) -> float:
    """Median ms to open the library and list its snippets (what the app does at start)."""
    return statistics.median(timed(lambda: LibraryStore(path).snippets()) for _ in range(RUNS))


def image_pack(key: SigningKey) -> bytes:
    images = [png_bytes(48, 48, seed=n) for n in range(PACK_IMAGES)]
    refs = [f"{hashlib.sha256(i).hexdigest()}.png" for i in images]
    data = {
        "id": "charts",
        "name": "尺码图",
        "version": "1.0.0",
        "created": "2026-01-01T00:00:00+00:00",
        "categories": [{"id": "c", "name": "尺码"}],
        "snippets": [
            {"id": f"s{n:03d}", "category": "c", "title": f"尺码表 {n}", "body": "", "images": [r]}
            for n, r in enumerate(refs)
        ],
    }
    assets = {f"assets/{r}": i for r, i in zip(refs, images)}
    return pack_bytes(parse_pack(data), assets, key)


def pack_install(folder: Path) -> tuple[float, int]:
    """Median ms to verify and install the signed 200-image pack into a fresh library."""
    key = SigningKey.generate()
    folder.mkdir(parents=True)
    path = folder / "charts.qrpack"
    path.write_bytes(image_pack(key))
    trusted = [PublicKey(bytes(key.verify_key))]
    times = []
    for run in range(RUNS):
        store = LibraryStore(folder / f"agent-{run}" / "library.json")
        book = SubscriptionBook(folder / f"agent-{run}" / "subs.json")
        start = time.perf_counter()
        install_from(store, str(path), book=book, trusted=trusted)
        times.append((time.perf_counter() - start) * 1000)
        assert len(store.assets.refs()) == PACK_IMAGES
    return statistics.median(times), path.stat().st_size


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        os.environ["QUICKREPLY_HOME"] = str(root / "home")
        text_only = library_with_images(root / "text", with_images=False)
        with_images = library_with_images(root / "images", with_images=True)
        stored = len(os.listdir(with_images.parent / "assets"))
        library_load(with_images)  # warm-up: imports and the disk cache
        print(f"library load, {SNIPPETS:,} snippets (median of {RUNS}):")
        print(
            f"  text only              {library_load(text_only):7.1f} ms  "
            f"library.json {text_only.stat().st_size / 1024:.0f} KB"
        )
        print(
            f"  3 images each          {library_load(with_images):7.1f} ms  "
            f"library.json {with_images.stat().st_size / 1024:.0f} KB, {stored:,} asset files"
        )
        median, size = pack_install(root / "packs")
        print(
            f"pack install, {PACK_IMAGES} images, signed ({size / 1024:.0f} KB .qrpack; verify, "
            f"check each image, copy into the asset store, one library write): "
            f"{median:.1f} ms (median of {RUNS})"
        )


if __name__ == "__main__":
    main()
