"""Usage events from suggestions: trigger `suggest` with the rank, the acceptance rate in the
statistics and in `quickreply stats`, and the usage log's upgrade to the rank column."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

from quickreply.core.library.settings import Settings
from quickreply.core.usage.event import UsageEvent
from quickreply.core.usage.log import APPLICATION_ID, FILE_NAME, open_usage_log
from quickreply.core.usage.stats import build_stats, last_days
from tests.cli.test_cli import qr


def _suggested(rank: int | None, trigger: str = "suggest") -> UsageEvent:
    return UsageEvent(int(time.time() * 1000), "s-1", trigger, 10, 5.0, rank=rank)


def _seed() -> None:
    log = open_usage_log()
    for rank in (1, 1, 2, 5):
        log.record(_suggested(rank))
    log.record(_suggested(None, "palette"))
    log.close()


def test_acceptance_rate_counts_suggest_insertions_by_rank(quickreply_home: Path):
    _seed()
    log = open_usage_log()
    try:
        stats = build_stats(log, [], [], Settings(), last_days(1))
        assert list(log.events())[0].rank == 1
    finally:
        log.close()
    assert stats.suggestions.to_dict() == {"insertions": 4, "rank1": 0.5, "top3": 0.75}
    assert stats.suggestions.summary() == (
        "Suggestions: 4 inserted, 50% picked first, 75% in the top 3"
    )


def test_stats_command_reports_the_acceptance_rate(quickreply_home: Path):
    _seed()
    data = json.loads(qr("stats", "--format", "json").stdout)
    assert data["suggestions"] == {"insertions": 4, "rank1": 0.5, "top3": 0.75}
    table = qr("stats").stdout
    assert "Suggestions: 4 inserted, 50% picked first, 75% in the top 3" in table


def test_a_log_of_schema_1_gains_the_rank_column(quickreply_home: Path):
    db = sqlite3.connect(quickreply_home / FILE_NAME)
    db.executescript(
        "CREATE TABLE events (ts_ms INTEGER NOT NULL, snippet_id TEXT NOT NULL, "
        "trigger TEXT NOT NULL, chars INTEGER NOT NULL, inject_ms REAL NOT NULL, pack_id TEXT, "
        "pack_version TEXT, category TEXT, keys_typed INTEGER NOT NULL, pick_ms REAL, "
        "target_app TEXT, target_title TEXT, session_id TEXT, cjk_chars INTEGER, "
        "latin_chars INTEGER);"
        "INSERT INTO events VALUES (1, 's-old', 'hotkey', 3, 1.0, NULL, NULL, NULL, 0, NULL, "
        "NULL, NULL, NULL, NULL, NULL);"
        f"PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = 1;"
    )
    db.close()
    log = open_usage_log()
    try:
        log.record(_suggested(2))
        log.flush()
        events = list(log.events())
    finally:
        log.close()
    assert [(e.snippet_id, e.rank) for e in events] == [("s-old", None), ("s-1", 2)]
