"""The usage log counts the images of an insertion (never the images): schema 3 and its upgrade."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from quickreply.core.usage.event import Insertion, insertion_event
from quickreply.core.usage.log import APPLICATION_ID, FILE_NAME, SCHEMA_VERSION, open_usage_log

_V1_EVENTS = (
    "CREATE TABLE events (ts_ms INTEGER NOT NULL, snippet_id TEXT NOT NULL, "
    "trigger TEXT NOT NULL, chars INTEGER NOT NULL, inject_ms REAL NOT NULL, pack_id TEXT, "
    "pack_version TEXT, category TEXT, keys_typed INTEGER NOT NULL, pick_ms REAL, "
    "target_app TEXT, target_title TEXT, session_id TEXT, cjk_chars INTEGER, latin_chars INTEGER"
)


def _event(images: int):
    insertion = Insertion("s-img", "hotkey", 5, 5, 0, 12.0, images=images)
    return insertion_event(insertion, record_window_titles=False)


@pytest.mark.parametrize(
    ("version", "columns", "row"),
    [
        (1, ");", "NULL, NULL"),
        (2, ", rank INTEGER);", "NULL, NULL, NULL"),
    ],
)
def test_an_older_log_gains_the_images_column_and_keeps_its_events(
    quickreply_home: Path, version: int, columns: str, row: str
):
    db = sqlite3.connect(quickreply_home / FILE_NAME)
    db.executescript(
        _V1_EVENTS
        + columns
        + "INSERT INTO events VALUES (1, 's-old', 'hotkey', 3, 1.0, NULL, NULL, NULL, 0, NULL, "
        + f"NULL, NULL, NULL, {row});"
        + f"PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {version};"
    )
    db.close()
    log = open_usage_log()
    try:
        log.record(_event(2))
        log.flush()
        events = list(log.events())
    finally:
        log.close()
    assert [(e.snippet_id, e.images) for e in events] == [("s-old", 0), ("s-img", 2)]
    db = sqlite3.connect(quickreply_home / FILE_NAME)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
    db.close()


def test_an_event_holds_the_image_count_only():
    event = _event(3)
    assert event.images == 3
    assert all(not isinstance(v, bytes) for v in event.to_dict().values())
