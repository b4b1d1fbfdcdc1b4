"""The reader's local cache of day files it has read, so a second report reads only new days.

Each entry is keyed by the drop's location and the file's place in it, and is valid for the
file's stamp from the listing (size and mtime in a folder, the ETag on WebDAV): a re-published
day has a new stamp and is read again. An entry keeps what the report needs (the agent's name,
the snippets of the meta line, the day's summary), ids and numbers only, never text an agent
typed; the snippets are stored once each, shared by every day that lists them. SQLite keeps
each write transaction whole; a damaged entry is a miss, never an error.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import orjson

from quickreply.core.library.paths import data_dir
from quickreply.core.team.drop import DayRef
from quickreply.core.team.read import DayFile
from quickreply.core.team.summary import DaySummary

_SCHEMA = """
CREATE TABLE IF NOT EXISTS days (
    location TEXT NOT NULL, ref TEXT NOT NULL, stamp TEXT NOT NULL, entry BLOB NOT NULL,
    PRIMARY KEY (location, ref));
CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, body BLOB NOT NULL UNIQUE);
"""
META_KEYS = ("agent", "agent_id", "typing_speed_cjk_cpm", "typing_speed_latin_wpm")
CACHE_NAME = "team_read_cache.sqlite3"
BATCH = 500  # entries written at once
LOCK_WAIT_S = 2.0  # how long to wait for another report's write to the cache
log = logging.getLogger(__name__)


@contextmanager
def reader_cache(location: str) -> Iterator[DayCache | None]:
    """The reader's cache for the drop at `location` in the data folder (None when unusable)."""
    path = data_dir() / CACHE_NAME
    try:
        try:
            cache = DayCache(path, location.strip())
        except sqlite3.DatabaseError as exc:
            if getattr(exc, "sqlite_errorname", "") not in ("SQLITE_NOTADB", "SQLITE_CORRUPT"):
                raise
            path.unlink()  # a damaged cache is only a slower report: start a new one
            cache = DayCache(path, location.strip())
    except (sqlite3.Error, OSError) as exc:
        log.warning("team report without its cache: %s", exc)
        yield None
        return
    try:
        yield cache
    finally:
        cache.close()


class DayCache:
    """Day files already read from a drop at `location`, in the SQLite file `path`.

    Use it from one thread (the report's); `close()` commits what was added. When SQLite fails
    (another report holds the file too long, a full disk) the cache is left alone for the rest
    of the report, which reads the drop instead.
    """

    def __init__(self, path: Path, location: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.location = location
        self._db = sqlite3.connect(path, timeout=LOCK_WAIT_S)
        self._db.executescript(_SCHEMA)
        self._usable = True
        self._items: dict[int, dict[str, Any]] = {}
        self._ids: dict[tuple[Any, ...], int] = {}  # an item's (key, value) pairs -> its row
        self._pending: dict[str, tuple[str, bytes]] = {}  # ref -> (stamp, entry) not yet written

    def get(self, ref: DayRef) -> DayFile | None:
        """Return the cached day file of `ref` when its stamp is unchanged, else None."""
        if not ref.stamp or not self._usable:
            return None
        pending = self._pending.get(ref.ref)
        try:
            if pending is not None:
                row = (pending[1],) if pending[0] == ref.stamp else None
            else:
                row = self._db.execute(
                    "SELECT entry FROM days WHERE location = ? AND ref = ? AND stamp = ?",
                    (self.location, ref.ref, ref.stamp),
                ).fetchone()
            if row is None:
                return None
            meta, item_ids, summary = orjson.loads(row[0])
            meta["snippets"] = [self._item(i) for i in item_ids]
            return DayFile(ref.agent_id, ref.day, meta, DaySummary(**summary))
        except sqlite3.Error as exc:
            self._give_up(exc)
        except (orjson.JSONDecodeError, TypeError, ValueError, KeyError):
            pass  # a damaged entry: read the file again
        return None

    def put(self, ref: DayRef, day_file: DayFile) -> None:
        """Remember `day_file` as read from `ref` (nothing without a stamp)."""
        if not ref.stamp or not self._usable:
            return
        meta = {k: day_file.meta[k] for k in META_KEYS if k in day_file.meta}
        try:
            items = [self._item_id(i) for i in day_file.meta.get("snippets") or []]
            entry = orjson.dumps([meta, items, day_file.summary.__dict__])
            self._pending[ref.ref] = (ref.stamp, entry)
            if len(self._pending) >= BATCH:
                self._flush()
        except sqlite3.Error as exc:
            self._give_up(exc)

    def close(self) -> None:
        """Commit what was added and close the file."""
        try:
            if self._usable:
                self._flush()
                self._db.commit()
        except sqlite3.Error as exc:
            self._give_up(exc)
        finally:
            self._db.close()

    def _flush(self) -> None:
        rows = [(self.location, ref, stamp, entry) for ref, (stamp, entry) in self._pending.items()]
        self._db.executemany("INSERT OR REPLACE INTO days VALUES (?, ?, ?, ?)", rows)
        self._pending.clear()

    def _give_up(self, exc: sqlite3.Error) -> None:
        log.warning("team report cache unusable, reading the drop instead: %s", exc)
        self._usable = False
        self._pending.clear()
        with suppress(sqlite3.Error):
            self._db.rollback()

    def _item(self, item_id: int) -> dict[str, Any]:
        if item_id not in self._items:
            row = self._db.execute("SELECT body FROM items WHERE id = ?", (item_id,)).fetchone()
            if row is None:
                raise KeyError(item_id)
            self._items[item_id] = orjson.loads(row[0])
        return self._items[item_id]

    def _item_id(self, item: Any) -> int:
        try:
            key = tuple(item.items())
            return self._ids[key]
        except (AttributeError, TypeError, KeyError):
            pass  # new, or not a plain object: stored by its JSON
        body = orjson.dumps(item, option=orjson.OPT_SORT_KEYS)
        self._db.execute("INSERT OR IGNORE INTO items (body) VALUES (?)", (body,))
        row = self._db.execute("SELECT id FROM items WHERE body = ?", (body,)).fetchone()
        with suppress(AttributeError, TypeError):  # unhashable: found by its JSON each time
            self._ids[tuple(item.items())] = int(row[0])
        return int(row[0])
