"""Import figures: a 10,000-row XLSX shop sheet and a 10,000-match Espanso folder, each read,
previewed (plan) and written into a fresh library in one step; plus the export back to XLSX.

Run: python benchmarks/importers.py
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import openpyxl
import yaml

from quickreply.core.importers import read_import
from quickreply.core.importers.export import sheet_rows, write_sheet
from quickreply.core.importers.plan import apply_import, plan_import
from quickreply.core.library.store import LibraryStore

ROWS = 10_000
FILES = 100  # Espanso folder: 100 match files of 100 matches each
RUNS = 3


def make_sheet(path: Path) -> None:
    book = openpyxl.Workbook()  # shared strings, as Excel and WPS write them
    sheet = book.active
    sheet.append(["分组", "快捷编码", "快捷短语", "标题"])
    for i in range(ROWS):
        sheet.append(
            [
                f"分组{i % 20}",
                f"k{i}",
                f"亲，关于您的第{i}个问题：退款将在三天内原路退回。",
                f"短语{i}",
            ]
        )
    book.save(path)


def make_espanso(folder: Path) -> None:
    match = folder / "match"
    match.mkdir(parents=True)
    for f in range(FILES):
        matches = [
            {"trigger": f";m{f}x{i}", "replace": f"第{f}组第{i}条：亲，您的订单今天发货。\n谢谢！"}
            for i in range(ROWS // FILES)
        ]
        (match / f"file{f:03d}.yml").write_text(
            yaml.safe_dump({"matches": matches}, allow_unicode=True), encoding="utf-8"
        )


def timed(action: Callable[[], object]) -> tuple[float, object]:
    """Return the median seconds of RUNS calls and the last result."""
    times, result = [], None
    for _ in range(RUNS):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def measure(name: str, path: Path, work: Path) -> None:
    read_s, result = timed(lambda: read_import(path))

    def full_import() -> int:
        store = LibraryStore(Path(tempfile.mkdtemp(dir=work)) / "library.json")
        plan = plan_import(store, read_import(path))
        apply_import(store, plan, store.path.parent / "undo.json")
        return len(store.snippets())

    total_s, count = timed(full_import)
    print(
        f"{name}: read {read_s * 1000:.0f} ms; read + preview + write {total_s * 1000:.0f} ms "
        f"({count} snippets, median of {RUNS})"
    )
    assert count == ROWS, count


def main() -> None:
    print(f"Python {os.sys.version.split()[0]}, {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        make_sheet(work / "sheet.xlsx")
        make_espanso(work / "espanso")
        measure(f"XLSX sheet, {ROWS} rows", work / "sheet.xlsx", work)
        measure(f"Espanso folder, {FILES} files x {ROWS // FILES} matches", work / "espanso", work)
        store = LibraryStore(work / "lib-export" / "library.json")
        apply_import(store, plan_import(store, read_import(work / "sheet.xlsx")), work / "u.json")
        rows = sheet_rows(store.snippets(), store.categories())
        export_s, _ = timed(lambda: write_sheet(work / "out.xlsx", rows))
        print(f"export {ROWS} snippets to XLSX: {export_s * 1000:.0f} ms")


if __name__ == "__main__":
    main()
