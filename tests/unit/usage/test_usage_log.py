"""The SQLite usage log: hand-off, roll-ups, purge, retention, damaged files, two writers."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from quickreply.core.errors import StorageError, ValidationError
from quickreply.core.usage import log as usage_log_module
from quickreply.core.usage.event import UsageEvent
from quickreply.core.usage.log import FILE_NAME, UsageLog, months_before, open_usage_log
from quickreply.core.usage.metrics import Tally

pytestmark = pytest.mark.usefixtures("shanghai_time")


@pytest.fixture
def log(quickreply_home: Path) -> Iterator[UsageLog]:
    opened = open_usage_log()
    yield opened
    opened.close()


def ms(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> int:
    """Epoch ms of a local (Shanghai) time."""
    return int(datetime(year, month, day, hour, minute).timestamp() * 1000)


def use(ts_ms: int, snippet_id: str = "s-1", **fields: object) -> UsageEvent:
    values: dict[str, object] = {"chars": 10, "inject_ms": 100.0, "trigger": "hotkey"}
    values.update(fields)
    return UsageEvent(ts_ms=ts_ms, snippet_id=snippet_id, **values)  # type: ignore[arg-type]


def test_recorded_events_read_back_after_flush(log: UsageLog):
    first = use(ms(2025, 3, 1), "s-1", pack_id="p", category="c-1", pick_ms=1200.0, cjk_chars=8)
    log.record(first)
    log.record(use(ms(2025, 3, 2), "s-2"))
    log.flush()
    events = list(log.events())
    assert events[0] == first
    assert [e.snippet_id for e in events] == ["s-1", "s-2"]
    assert log.event_count() == 2


def test_timings_are_stored_to_the_millisecond(log: UsageLog):
    log.record(use(ms(2025, 3, 1), inject_ms=85.4, pick_ms=1234.6))
    log.flush()
    (stored,) = log.events()
    assert (stored.inject_ms, stored.pick_ms) == (85.0, 1235.0)


def test_record_returns_while_the_file_is_locked_by_another_writer(log: UsageLog):
    blocker = sqlite3.connect(log.path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    log.record(use(ms(2025, 3, 1)))  # handed to the writer thread: returns although it must wait
    assert blocker.execute("SELECT count(*) FROM events").fetchone()[0] == 0
    blocker.execute("COMMIT")
    blocker.close()
    log.flush()
    assert log.event_count() == 1


def test_events_wait_in_memory_while_the_file_is_locked_and_are_written_after(
    quickreply_home: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(usage_log_module, "BUSY_TIMEOUT_MS", 50)
    monkeypatch.setattr(usage_log_module, "RETRY_S", 0.05)
    log = open_usage_log()
    blocker = sqlite3.connect(log.path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    log.record(use(ms(2025, 3, 1)))
    with pytest.raises(StorageError, match="cannot write the usage log"):
        log.flush()
    blocker.execute("COMMIT")
    blocker.close()
    log.flush()
    assert log.event_count() == 1
    log.close()


def test_rollups_sum_per_day_hour_snippet_and_category(log: UsageLog):
    log.append_many(
        [
            use(ms(2025, 3, 1, 9, 5), "s-1", category="c-a", chars=10, cjk_chars=10, latin_chars=0),
            use(ms(2025, 3, 1, 9, 55), "s-1", category="c-a", chars=5, cjk_chars=0, latin_chars=5),
            use(ms(2025, 3, 1, 14), "s-2", category="c-b", chars=7, pick_ms=900.0),
            use(ms(2025, 3, 2, 0, 30), "s-2", chars=3),  # 00:30 local is still 1 March in UTC
        ]
    )
    day1, day2 = date(2025, 3, 1), date(2025, 3, 2)
    assert log.per_day(day1, day2) == {
        day1: Tally(3, 22, 10, 12, 300.0 + 900.0),
        day2: Tally(1, 3, 0, 3, 100.0),
    }
    assert log.per_hour(day1, day2) == {
        9: Tally(2, 15, 10, 5, 200.0),
        14: Tally(1, 7, 0, 7, 1000.0),
        0: Tally(1, 3, 0, 3, 100.0),
    }
    assert log.per_snippet(day1, day1) == {
        "s-1": Tally(2, 15, 10, 5, 200.0),
        "s-2": Tally(1, 7, 0, 7, 1000.0),
    }
    assert log.per_category(day1, day2) == {
        "c-a": Tally(2, 15, 10, 5, 200.0),
        "c-b": Tally(1, 7, 0, 7, 1000.0),
        "": Tally(1, 3, 0, 3, 100.0),
    }
    assert log.total(day2, day2) == Tally(1, 3, 0, 3, 100.0)
    assert log.total(date(2024, 1, 1), date(2024, 1, 2)) == Tally()
    assert log.first_day() == day1


def test_snippet_stats_count_uses_and_last_use(log: UsageLog):
    for ts in (ms(2025, 3, 1), ms(2025, 3, 5), ms(2025, 3, 3)):
        log.record(use(ts, "s-1"))
    log.record(use(ms(2025, 3, 2), "s-2"))
    log.flush()
    assert log.snippet_stats() == {"s-1": (3, ms(2025, 3, 5)), "s-2": (1, ms(2025, 3, 2))}


def test_timings_cover_only_the_range_and_only_palette_picks(log: UsageLog):
    log.append_many(
        [
            use(ms(2025, 3, 1), pick_ms=1000.0, inject_ms=50.0),
            use(ms(2025, 3, 2), inject_ms=70.0),
            use(ms(2025, 3, 9), pick_ms=3000.0, inject_ms=90.0),
        ]
    )
    picks, injects = log.timings(ms(2025, 3, 1, 0), ms(2025, 3, 3, 0))
    assert picks == [1000.0]
    assert sorted(injects) == [50.0, 70.0]


def test_reply_samples_keep_compose_time_and_snippet_flag(log: UsageLog):
    log.record_reply(5_000, 17_000, True, "chrome", ts_ms=ms(2025, 3, 1))
    log.record_reply(1_000, 2_500, False, ts_ms=ms(2025, 3, 4))
    log.flush()
    (sample,) = log.replies(ms(2025, 3, 1, 0), ms(2025, 3, 2, 0))
    assert (sample.compose_ms, sample.used_snippet, sample.target_app) == (12_000, True, "chrome")
    assert len(log.replies(0, ms(2026, 1, 1))) == 2


def test_purge_removes_old_events_rollups_and_replies(log: UsageLog):
    log.append_many(
        [
            use(ms(2025, 2, 28, 23, 59), "s-old"),
            use(ms(2025, 3, 1, 0, 0), "s-new"),
            use(ms(2025, 3, 2), "s-old"),
        ]
    )
    log.record_reply(0, 1000, False, ts_ms=ms(2025, 2, 20))
    log.flush()
    assert log.purge(date(2025, 3, 1)) == 1
    assert [e.snippet_id for e in log.events()] == ["s-new", "s-old"]
    assert log.per_day(date(2025, 1, 1), date(2025, 12, 31)).keys() == {
        date(2025, 3, 1),
        date(2025, 3, 2),
    }
    assert log.snippet_stats() == {"s-new": (1, ms(2025, 3, 1, 0)), "s-old": (1, ms(2025, 3, 2))}
    assert log.replies(0, ms(2026, 1, 1)) == []


def test_retention_keeps_the_last_n_months(log: UsageLog):
    log.append_many([use(ms(2024, 3, 14)), use(ms(2024, 3, 15)), use(ms(2025, 1, 1))])
    assert log.apply_retention(12, today=date(2025, 3, 15)) == 1
    assert log.apply_retention(0, today=date(2025, 3, 15)) == 0
    assert log.event_count() == 2
    with pytest.raises(ValidationError):
        log.apply_retention(-1)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 3, 15), 12, date(2024, 3, 15)),
        (date(2025, 3, 31), 1, date(2025, 2, 28)),
        (date(2024, 3, 31), 1, date(2024, 2, 29)),
        (date(2025, 1, 10), 1, date(2024, 12, 10)),
        (date(2025, 5, 31), 3, date(2025, 2, 28)),
    ],
)
def test_months_before(day: date, months: int, expected: date):
    assert months_before(day, months) == expected


def test_close_twice_and_record_after_close_are_harmless(quickreply_home: Path):
    log = open_usage_log()
    log.record(use(ms(2025, 3, 1)))
    log.close()
    log.close()
    log.record(use(ms(2025, 3, 2)))
    reopened = open_usage_log()
    assert reopened.event_count() == 1
    reopened.close()
    with pytest.raises(StorageError):
        log.flush()


def test_opening_reads_no_history(quickreply_home: Path, monkeypatch: pytest.MonkeyPatch):
    seeded = open_usage_log()
    seeded.append_many(use(ms(2025, 3, 1) + i) for i in range(100))
    seeded.close()
    statements: list[str] = []
    real_connect = usage_log_module._connect

    def traced(path: Path) -> sqlite3.Connection:
        db = real_connect(path)
        db.set_trace_callback(statements.append)
        return db

    monkeypatch.setattr(usage_log_module, "_connect", traced)
    log = open_usage_log()
    log.snippet_stats()
    log.close()
    assert any("snippet_totals" in s for s in statements)  # the trace did see the queries
    touched = [s for s in statements if " events" in s or " daily" in s or " hourly" in s]
    assert touched == []


def test_damaged_file_is_moved_aside_and_a_new_log_started(quickreply_home: Path):
    path = quickreply_home / FILE_NAME
    path.write_bytes(b"this is not a database, it is a note" * 100)
    log = open_usage_log()
    assert log.recovered is not None
    assert log.recovered.backup_path and Path(log.recovered.backup_path).exists()
    log.record(use(ms(2025, 3, 1)))
    log.close()
    assert open_usage_log().event_count() == 1


def test_someone_elses_database_is_moved_aside(quickreply_home: Path):
    other = sqlite3.connect(quickreply_home / FILE_NAME)
    other.execute("CREATE TABLE accounts (id INTEGER)")
    other.commit()
    other.close()
    log = open_usage_log()
    assert log.recovered is not None
    assert "not a QuickReply usage log" in str(log.recovered)
    log.close()


def test_log_from_a_newer_version_is_refused_and_left_alone(quickreply_home: Path):
    open_usage_log().close()
    db = sqlite3.connect(quickreply_home / FILE_NAME)
    db.execute("PRAGMA user_version = 99")
    db.close()
    with pytest.raises(StorageError, match="newer QuickReply"):
        open_usage_log()
    assert (
        sqlite3.connect(quickreply_home / FILE_NAME).execute("PRAGMA user_version").fetchone()[0]
        == 99
    )


WRITER = """
import sys
from quickreply.core.usage.event import UsageEvent
from quickreply.core.usage.log import open_usage_log
log = open_usage_log()
for i in range(300):
    log.record(UsageEvent(ts_ms=1_740_000_000_000 + i, snippet_id=sys.argv[1], trigger="hotkey",
                          chars=5, inject_ms=10.0))
    if i % 50 == 0:
        log.flush()
log.close()
"""


def test_two_processes_writing_at_once_lose_nothing(quickreply_home: Path):
    open_usage_log().close()  # create the schema first, as the app does at start-up
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, name]) for name in ("s-one", "s-two")
    ]
    assert [w.wait(timeout=60) for w in writers] == [0, 0]
    log = open_usage_log()
    assert log.snippet_stats()["s-one"][0] == 300
    assert log.snippet_stats()["s-two"][0] == 300
    assert log.event_count() == 600
    log.close()
