"""Usage-log figures (issue 5), for the SQLite log we ship and the TinyDB-by-month alternative.

Prints: append cost at 1k, 100k and 1M stored events; record() time on the caller's thread;
30-day (and all-time) statistics at 1M events, also through the statistics window; file size per
100k events; start-up with 1M stored events versus none. The stores are built with the bulk path
(`UsageLog.append_many`): 1M realistic events, 10 years of a busy agent at 100k a year.

Run: python benchmarks/usage.py   (about a minute; needs ~400 MB free in the temp dir)
"""

from __future__ import annotations

import bisect
import itertools
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # the window figures need no display

from offscreen import quiet_offscreen_warnings  # benchmarks/ is on sys.path when run as a script
from quickreply.core.library.opening import open_library  # noqa: E402
from tinydb import TinyDB  # noqa: E402

from quickreply.core.library.model import Snippet  # noqa: E402
from quickreply.core.library.settings import Settings  # noqa: E402
from quickreply.core.library.storage import SafeJSONStorage  # noqa: E402
from quickreply.core.usage.event import UsageEvent  # noqa: E402
from quickreply.core.usage.log import FILE_NAME, UsageLog, open_usage_log  # noqa: E402
from quickreply.core.usage.metrics import char_classes  # noqa: E402
from quickreply.core.usage.stats import Period, build_stats, last_days  # noqa: E402

SIZES = (1_000, 100_000, 1_000_000)
PER_YEAR = 100_000  # a busy agent
APPENDS = 200  # single-event transactions timed per size: the worst case, one event per commit
BUSY_MONTH = PER_YEAR // 12
STARTUP = (
    "import sys, time; t = time.perf_counter(); "
    "from quickreply.core.usage.log import open_usage_log; "
    "log = open_usage_log(__import__('pathlib').Path(sys.argv[1])); log.snippet_stats(); log.close(); "
    "print((time.perf_counter() - t) * 1000)"
)


def events(count: int, snippets: list[Snippet], seed: int = 1) -> Iterator[UsageEvent]:
    """`count` events ending now, at the busy rate, in working hours, Zipf-like snippet choice."""
    rng = random.Random(seed)
    cumulative = list(itertools.accumulate(1 / (rank + 1) ** 1.1 for rank in range(len(snippets))))
    classes = {s.id: char_classes(s.body) for s in snippets}
    span_ms = count * 365 * 86_400_000 // PER_YEAR
    start = int(time.time() * 1000) - span_ms
    for i in range(count):
        moment = datetime.fromtimestamp((start + i * span_ms // count) / 1000)
        moment = moment.replace(hour=8 + moment.hour * 15 // 24)  # 08:00-22:59
        snippet = snippets[bisect.bisect(cumulative, rng.random() * cumulative[-1])]
        cjk, latin = classes[snippet.id]
        palette = rng.random() < 0.5
        yield UsageEvent(
            int(moment.timestamp() * 1000), snippet.id, "palette" if palette else "hotkey",
            len(snippet.body), rng.uniform(40, 150), snippet.pack_id, snippet.pack_version,
            snippet.category or None, rng.randrange(2, 8), rng.uniform(600, 6000) if palette else None,
            "AliWorkBench.exe", None, f"{i // 400:016x}", cjk, latin,
        )  # fmt: skip


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.3f} ms" if seconds < 0.01 else f"{seconds * 1000:.1f} ms"


def timed(work: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return times


def p(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def file_size(folder: Path) -> int:
    db = sqlite3.connect(folder / FILE_NAME)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return sum(f.stat().st_size for f in folder.iterdir() if f.name.startswith(FILE_NAME))


def append_costs(log: UsageLog, snippets: list[Snippet]) -> tuple[list[float], list[float]]:
    """Time record()+flush() one event at a time; return (whole append, record() call) seconds."""
    whole, calls = [], []
    for event in events(APPENDS, snippets, seed=99):
        event = UsageEvent(**{**event.to_dict(), "ts_ms": int(time.time() * 1000)})
        started = time.perf_counter()
        log.record(event)
        handed = time.perf_counter()
        log.flush()
        whole.append(time.perf_counter() - started)
        calls.append(handed - started)
    return whole, calls


def burst_record_calls(log: UsageLog, snippets: list[Snippet]) -> list[float]:
    """record() call times for 10,000 events in a row, the writer committing meanwhile."""
    batch = list(events(10_000, snippets, seed=5))
    calls = []
    for event in batch:
        started = time.perf_counter()
        log.record(event)
        calls.append(time.perf_counter() - started)
    log.flush()
    return calls


def startup_ms(folder: Path) -> float:
    runs = []
    for _ in range(5):
        out = subprocess.run(
            [sys.executable, "-c", STARTUP, str(folder)], capture_output=True, text=True, check=True
        )
        runs.append(float(out.stdout))
    return statistics.median(runs)


def sqlite_figures(tmp: Path, snippets: list[Snippet], store: object) -> Path:
    print("== SQLite usage log (WAL, one writer thread, roll-ups in the same transaction) ==")
    empty = tmp / "empty"
    empty.mkdir()
    open_usage_log(empty).close()
    for size in SIZES:
        folder = tmp / f"log-{size}"
        folder.mkdir()
        log = open_usage_log(folder)
        started = time.perf_counter()
        log.append_many(events(size, snippets))
        built = time.perf_counter() - started
        whole, calls = append_costs(log, snippets)
        log.close()
        stored = file_size(folder)
        print(
            f"{size:>9,} stored: append one event (record + commit) median {ms(statistics.median(whole))}, "
            f"p95 {ms(p(whole, 95))}; record() call median {ms(statistics.median(calls))}, "
            f"max {ms(max(calls))}; file {stored / 1e6:.1f} MB "
            f"= {stored / size * 100_000 / 1e6:.1f} MB per 100k events; bulk build {built:.1f} s"
        )
    return tmp / f"log-{SIZES[-1]}"


def stats_figures(folder: Path, snippets: list[Snippet], store: object) -> None:
    log = open_usage_log(folder)
    categories = store.categories()  # type: ignore[attr-defined]
    settings = Settings()
    month = timed(lambda: build_stats(log, snippets, categories, settings, last_days(30)), 5)
    first = log.first_day() or date.today()
    all_time = Period(first, date.today())
    everything = timed(lambda: build_stats(log, snippets, categories, settings, all_time), 3)
    ranking = timed(log.snippet_stats, 5)
    print(
        f"stats at 1M events: snippet_stats() for the palette median {ms(statistics.median(ranking))}; "
        f"last 30 days median {ms(statistics.median(month))}; "
        f"all {all_time.days} days (1M events) median {ms(statistics.median(everything))}"
    )
    calls = burst_record_calls(log, snippets)
    print(
        f"record() during a burst of 10,000 with the writer committing: median "
        f"{ms(statistics.median(calls))}, p99 {ms(p(calls, 99))}, max {ms(max(calls))}"
    )
    window_figures(log, store)
    log.close()


def window_figures(log: UsageLog, store: object) -> None:
    from PySide6.QtWidgets import QApplication

    from quickreply.ui.stats import StatsWindow

    app = QApplication.instance() or QApplication([])
    quiet_offscreen_warnings()
    started = time.perf_counter()
    window = StatsWindow(store, log, Settings())  # type: ignore[arg-type]
    window.show()
    app.processEvents()
    opened = time.perf_counter() - started
    started = time.perf_counter()
    window.set_period("30d")
    app.processEvents()
    month = time.perf_counter() - started
    first = log.first_day() or date.today()
    started = time.perf_counter()
    window.set_period("custom", first, date.today())
    app.processEvents()
    everything = time.perf_counter() - started
    print(
        f"statistics window at 1M events: open (7 days) {ms(opened)}, switch to 30 days "
        f"{ms(month)}, to all {window.stats.period.days if window.stats else 0} days {ms(everything)}"
    )
    window.close()


def startup_figures(empty: Path, full: Path) -> None:
    print(
        f"start-up (new process: import, open the log, read snippet_stats for the palette, close), "
        f"median of 5: no events {startup_ms(empty):.1f} ms, 1M events {startup_ms(full):.1f} ms"
    )


def tinydb_figures(tmp: Path, snippets: list[Snippet]) -> None:
    print("== Alternative: TinyDB sharded by month, one writer thread flushing every second ==")
    sample = [e.to_dict() for e in events(BUSY_MONTH * 2, snippets, seed=3)]
    for label, storage in (
        ("JSONStorage (default)", None),
        ("atomic SafeJSONStorage", SafeJSONStorage),
    ):
        for shard_size in (1_000, BUSY_MONTH):
            path = tmp / f"tiny-{shard_size}-{bool(storage)}.json"
            db = TinyDB(path, storage=storage) if storage else TinyDB(path)
            db.insert_multiple(sample[:shard_size])
            flushes = timed(lambda db=db: db.insert_multiple(sample[:1]), 20)
            db.close()
            print(
                f"{label}: flush of a 1-event batch into a month shard of {shard_size:,}: "
                f"median {ms(statistics.median(flushes))}"
            )
    months = [tmp / "tiny-month-1.json", tmp / "tiny-month-2.json"]
    for i, path in enumerate(months):
        db = TinyDB(path)
        db.insert_multiple(sample[i * BUSY_MONTH : (i + 1) * BUSY_MONTH])
        db.close()

    def read_30_days() -> None:
        uses: dict[str, int] = {}
        for path in months:
            db = TinyDB(path)
            for row in db.all():
                uses[row["snippet_id"]] = uses.get(row["snippet_id"], 0) + 1
            db.close()

    reading = timed(read_30_days, 3)
    size = sum(path.stat().st_size for path in months) / (2 * BUSY_MONTH) * 100_000
    print(
        f"30-day stats = read 2 month shards ({2 * BUSY_MONTH:,} events): median "
        f"{ms(statistics.median(reading))}; all-time counts for the palette at 1M = 120 shards, "
        f"about {ms(statistics.median(reading) * 60)}; file {size / 1e6:.1f} MB per 100k events"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        os.environ["QUICKREPLY_HOME"] = str(tmp / "home")
        store = open_library()
        snippets = store.snippets()
        print(f"library: {len(snippets)} snippets (default packs); python {sys.version.split()[0]}, "
              f"sqlite {sqlite3.sqlite_version}, {os.cpu_count()} CPUs")  # fmt: skip
        full = sqlite_figures(tmp, snippets, store)
        stats_figures(full, snippets, store)
        startup_figures(tmp / "empty", full)
        tinydb_figures(tmp, snippets)


if __name__ == "__main__":
    main()
