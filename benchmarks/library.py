"""Library figures with 10,000 snippets: cold load, saving one edited snippet, file size.

Run: python benchmarks/library.py
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from quickreply.core.library.model import Category, Snippet
from quickreply.core.library.store import LibraryStore

COUNT = 10_000


def build(path: Path) -> None:
    store = LibraryStore(path)
    categories = [Category(id=f"c-{i}", name=f"分类{i}", order=i) for i in range(20)]
    snippets = [
        Snippet(
            id=f"s-{i:05d}",
            title=f"话术 {i} 退款说明" if i % 2 else f"Reply {i} refund policy",
            body=(
                "亲，您好！关于您的订单{{order}}，我们已经为您处理，预计{{refund_days}}天内到账。"
                if i % 2
                else "Hi {{customer}}, your refund for order {{order}} is on its way."
            )
            * 2,
            category=f"c-{i % 20}",
            tags=("退款", "售后") if i % 2 else ("refund",),
        )
        for i in range(COUNT)
    ]
    store.replace_pack_content("bench", categories, snippets, {"name": "bench", "version": "1.0.0"})


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "library.json"
        build(path)
        loads = []
        for _ in range(5):
            start = time.perf_counter()
            store = LibraryStore(path)
            assert len(store.snippets()) == COUNT
            loads.append(time.perf_counter() - start)
        saves = []
        for i in range(10):
            snippet = store.get(f"s-{i * 7:05d}")
            start = time.perf_counter()
            store.update(snippet.edited(title=snippet.title + "!"))
            saves.append(time.perf_counter() - start)
        size = path.stat().st_size
    print(f"snippets: {COUNT}")
    print(f"cold load (open + list all), median of 5: {statistics.median(loads) * 1000:.1f} ms")
    print(
        f"save one edited snippet, median of 10: {statistics.median(saves) * 1000:.1f} ms (max {max(saves) * 1000:.1f} ms)"
    )
    print(f"file size: {size / 1024 / 1024:.2f} MiB")


if __name__ == "__main__":
    main()
