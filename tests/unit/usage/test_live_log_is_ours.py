"""A running app's usage log is ours even while its ids are still only in the -wal file.

The app sets application_id and user_version in WAL mode; until a checkpoint the file's header
bytes still read 0. A second process (`quickreply stats`) must not take that for a foreign
database and move the live log aside (it did: every use of the session was lost from stats).
"""

from __future__ import annotations

import sqlite3

from quickreply.core.usage.log import APPLICATION_ID, SCHEMA_VERSION, UsageLog
from quickreply.core.usage.log_file import foreign_reason


def test_ids_only_in_the_wal_still_mean_ours(tmp_path):
    path = tmp_path / "usage.sqlite3"
    app = sqlite3.connect(path)
    app.execute("PRAGMA journal_mode=WAL")
    app.execute("PRAGMA wal_autocheckpoint=0")
    app.execute("CREATE TABLE events (ts_ms INTEGER)")
    app.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    app.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    app.commit()
    header = path.read_bytes()[:100]
    assert int.from_bytes(header[68:72], "big") == 0, "the id must still be only in the WAL"
    try:
        assert foreign_reason(path, APPLICATION_ID, SCHEMA_VERSION) is None
    finally:
        app.close()


def test_a_second_opener_never_moves_the_live_log_aside(tmp_path):
    path = tmp_path / "usage.sqlite3"
    running = UsageLog(path)
    try:
        second = UsageLog(path)
        second.close()
        assert not list(tmp_path.glob("usage.sqlite3.corrupt-*"))
    finally:
        running.close()
