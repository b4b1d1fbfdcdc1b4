"""Undone abbreviation expansions: stored marked undone, counted apart, never as uses; exports and
team day files leave them out; logs of the older schemas gain the column and stay readable."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from quickreply.core.library.settings import Settings
from quickreply.core.team.dayfile import day_events
from quickreply.core.usage.event import EVENT_FIELDS, UsageEvent, undone_event
from quickreply.core.usage.export import csv_export, jsonl_export
from quickreply.core.usage.log import APPLICATION_ID, FILE_NAME, UsageLog, open_usage_log
from quickreply.core.usage.stats import Period, build_stats

pytestmark = pytest.mark.usefixtures("shanghai_time")

DAY = date(2025, 3, 1)


def at(hour: int) -> int:
    return int(datetime(DAY.year, DAY.month, DAY.day, hour).timestamp() * 1000)


def expansion(hour: int, snippet_id: str = "s-hy") -> UsageEvent:
    return UsageEvent(at(hour), snippet_id, "abbreviation", 12, 40.0, keys_typed=4, cjk_chars=12)


@pytest.fixture
def log(quickreply_home: Path) -> Iterator[UsageLog]:
    opened = open_usage_log()
    opened.record(expansion(9))
    opened.record(undone_event(expansion(10)))
    opened.record(UsageEvent(at(11), "s-2", "hotkey", 5, 30.0))
    opened.flush()
    yield opened
    opened.close()


def test_an_undone_expansion_is_stored_marked_undone(log: UsageLog):
    stored = list(log.events(undone=True))
    assert [(e.snippet_id, e.undone) for e in stored] == [
        ("s-hy", False),
        ("s-hy", True),
        ("s-2", False),
    ]
    assert stored[1] == undone_event(expansion(10))
    assert log.event_count() == 3


def test_undone_expansions_are_no_uses_and_are_counted_apart(log: UsageLog):
    assert log.total(DAY, DAY).uses == 2
    assert log.per_snippet(DAY, DAY)["s-hy"].uses == 1
    assert log.snippet_stats()["s-hy"][0] == 1  # search ranking: one use, not two
    assert len(log.timings(at(0), at(23))[1]) == 2
    assert log.abbreviation_uses(at(0), at(23)) == (1, 1)
    stats = build_stats(log, [], [], Settings(), Period(DAY, DAY), today=DAY)
    assert stats.total.uses == 2
    assert stats.to_dict()["abbreviations"] == {"expanded": 1, "undone": 1}
    assert stats.abbreviations.summary() == "Abbreviations: 1 expanded, 1 undone"


def test_exports_and_team_day_files_leave_undone_expansions_out(log: UsageLog):
    events = list(log.events())
    assert [e.ts_ms for e in events] == [at(9), at(11)]
    data, count = jsonl_export({"type": "meta", "agent_id": "a1"}, events, [])
    uses = [json.loads(line) for line in data.decode().splitlines()[1:]]
    assert count == 2 and all("undone" not in line for line in uses)  # the format is unchanged
    table, rows = csv_export(events)
    header = next(csv.reader(io.StringIO(table.decode("utf-8-sig"))))
    assert rows == 2 and header == [*EVENT_FIELDS, "installation_id"]
    assert "undone" not in header
    assert [e.ts_ms for e in day_events(log, DAY)] == [at(9), at(11)]


_V1_EVENTS = (
    "CREATE TABLE events (ts_ms INTEGER NOT NULL, snippet_id TEXT NOT NULL, "
    "trigger TEXT NOT NULL, chars INTEGER NOT NULL, inject_ms REAL NOT NULL, pack_id TEXT, "
    "pack_version TEXT, category TEXT, keys_typed INTEGER NOT NULL, pick_ms REAL, "
    "target_app TEXT, target_title TEXT, session_id TEXT, cjk_chars INTEGER, "
    "latin_chars INTEGER{rank});"
)


@pytest.mark.parametrize("version", [1, 2])
def test_an_older_log_gains_the_undone_column_and_keeps_its_events(
    quickreply_home: Path, version: int
):
    db = sqlite3.connect(quickreply_home / FILE_NAME)
    rank = ", rank INTEGER" if version == 2 else ""
    values = "NULL, " * 5 + "NULL" + (", 3" if version == 2 else "")
    db.executescript(
        _V1_EVENTS.format(rank=rank)
        + f"INSERT INTO events VALUES ({at(8)}, 's-old', 'abbreviation', 3, 1.0, NULL, NULL, "
        f"NULL, 0, {values});"
        f"PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {version};"
    )
    db.close()
    log = open_usage_log()
    try:
        log.record(undone_event(expansion(9)))
        log.flush()
        events = list(log.events(undone=True))
        counts = log.abbreviation_uses(at(0), at(23))
    finally:
        log.close()
    assert [(e.snippet_id, e.undone) for e in events] == [("s-old", False), ("s-hy", True)]
    assert events[0].rank == (3 if version == 2 else None)
    assert counts == (1, 1)
    db = sqlite3.connect(quickreply_home / FILE_NAME)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 3
    db.close()
