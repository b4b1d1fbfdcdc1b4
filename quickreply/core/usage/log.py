"""The usage log: insertion events and reply-speed samples in one SQLite file, written by one thread.

Why SQLite in WAL mode rather than TinyDB: TinyDB rewrites its whole file on every insert (46 ms
at 10k events, 590 ms at 100k) and two writers corrupt it; docs/metrics.md has the measurements.
`record` only puts the event on a queue. One writer thread commits whatever is queued in one
transaction, updating the roll-ups (per day and snippet, per day and hour, per snippet) in the same
transaction, so statistics never scan the raw history and start-up reads nothing but the schema.
A killed process loses at most the events still in the queue; committed ones survive (WAL).
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import queue
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeoutError
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, TypeVar

from quickreply.core.errors import CorruptFileError, StorageError, ValidationError
from quickreply.core.library import paths
from quickreply.core.library.storage import move_aside
from quickreply.core.usage.event import EVENT_FIELDS, ReplySample, UsageEvent, undone_event
from quickreply.core.usage.log_file import foreign_reason
from quickreply.core.usage.metrics import Tally, event_classes

log = logging.getLogger(__name__)

T = TypeVar("T")

FILE_NAME = "usage.sqlite3"
SCHEMA_VERSION = 3  # 2: events.rank (the place of a chosen suggestion); 3: events.undone
# and events.images (an image count). An older log gets the columns it lacks; old events
# keep every value (none of them was undone or had images).
APPLICATION_ID = 0x51524C31  # "QRL1" in the SQLite header: tells our file from anyone else's
BUSY_TIMEOUT_MS = 5_000  # another process (the CLI purging) may hold the write lock briefly
RETRY_S = 1.0  # after a failed write (disk full, locked), try again this often
MAX_PENDING = 100_000  # events held in memory while the disk refuses them; older ones are dropped
WAIT_S = 30.0  # longest flush / purge wait before reporting the writer as stuck
BULK_CHUNK = 50_000  # events per transaction in append_many
YIELD_EVERY = 200  # events the writer aggregates between offering the GIL to other threads

# columns added since the first schema: (version that added it, statement)
_UPGRADES = (
    (2, "ALTER TABLE events ADD COLUMN rank INTEGER;"),
    (
        3,
        "ALTER TABLE events ADD COLUMN undone INTEGER NOT NULL DEFAULT 0; "
        "ALTER TABLE events ADD COLUMN images INTEGER NOT NULL DEFAULT 0;",
    ),
)
SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    ts_ms INTEGER NOT NULL, snippet_id TEXT NOT NULL, trigger TEXT NOT NULL,
    chars INTEGER NOT NULL, inject_ms REAL NOT NULL, pack_id TEXT, pack_version TEXT,
    category TEXT, keys_typed INTEGER NOT NULL, pick_ms REAL, target_app TEXT,
    target_title TEXT, session_id TEXT, cjk_chars INTEGER, latin_chars INTEGER, rank INTEGER,
    undone INTEGER NOT NULL DEFAULT 0,
    images INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS events_by_time ON events (ts_ms, pick_ms, inject_ms);
CREATE TABLE IF NOT EXISTS daily (
    day TEXT NOT NULL, snippet_id TEXT NOT NULL, category TEXT NOT NULL,
    uses INTEGER NOT NULL, chars INTEGER NOT NULL, cjk_chars INTEGER NOT NULL,
    latin_chars INTEGER NOT NULL, spent_ms REAL NOT NULL, last_ts_ms INTEGER NOT NULL,
    PRIMARY KEY (day, snippet_id, category)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS hourly (
    day TEXT NOT NULL, hour INTEGER NOT NULL, uses INTEGER NOT NULL, chars INTEGER NOT NULL,
    cjk_chars INTEGER NOT NULL, latin_chars INTEGER NOT NULL, spent_ms REAL NOT NULL,
    PRIMARY KEY (day, hour)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS snippet_totals (
    snippet_id TEXT PRIMARY KEY, uses INTEGER NOT NULL, last_ts_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS replies (
    ts_ms INTEGER NOT NULL, compose_ms INTEGER NOT NULL, used_snippet INTEGER NOT NULL,
    target_app TEXT
);
CREATE INDEX IF NOT EXISTS replies_by_time ON replies (ts_ms);
"""

_TALLY_SET = (
    "uses = uses + excluded.uses, chars = chars + excluded.chars, "
    "cjk_chars = cjk_chars + excluded.cjk_chars, latin_chars = latin_chars + excluded.latin_chars, "
    "spent_ms = spent_ms + excluded.spent_ms"
)
LOG_FIELDS = (*EVENT_FIELDS, "undone")  # the events table's columns
_INSERT_EVENT = (
    f"INSERT INTO events ({', '.join(LOG_FIELDS)}) VALUES ({', '.join('?' * len(LOG_FIELDS))})"
)
_UPSERT_DAILY = (
    "INSERT INTO daily VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (day, snippet_id, category) "
    f"DO UPDATE SET {_TALLY_SET}, last_ts_ms = max(last_ts_ms, excluded.last_ts_ms)"
)
_UPSERT_HOURLY = (
    "INSERT INTO hourly VALUES (?, ?, ?, ?, ?, ?, ?) "
    f"ON CONFLICT (day, hour) DO UPDATE SET {_TALLY_SET}"
)
_UPSERT_TOTALS = (
    "INSERT INTO snippet_totals VALUES (?, ?, ?) ON CONFLICT (snippet_id) DO UPDATE SET "
    "uses = uses + excluded.uses, last_ts_ms = max(last_ts_ms, excluded.last_ts_ms)"
)
_SUMS = "sum(uses), sum(chars), sum(cjk_chars), sum(latin_chars), sum(spent_ms)"


def now_ms() -> int:
    """Return the current UTC time in epoch milliseconds."""
    return int(time.time() * 1000)


def local_midnight_ms(day: date) -> int:
    """Return the epoch ms at which `day` starts in the local time zone."""
    return int(datetime(day.year, day.month, day.day).timestamp() * 1000)


def months_before(day: date, months: int) -> date:
    """Return the same day `months` calendar months earlier (clamped to the month's last day)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    next_month = date(year + month // 12, month % 12 + 1, 1)
    return date(year, month, min(day.day, (next_month - timedelta(days=1)).day))


class _LocalClock:
    """Local (day, hour) of a timestamp, cached per quarter hour: every zone offset is a multiple."""

    def __init__(self) -> None:
        self._cache: dict[int, tuple[str, int]] = {}

    def day_hour(self, ts_ms: int) -> tuple[str, int]:
        key = ts_ms // 900_000
        found = self._cache.get(key)
        if found is None:
            if len(self._cache) > 50_000:
                self._cache.clear()
            moment = datetime.fromtimestamp(key * 900, tz=timezone.utc).astimezone()
            found = self._cache[key] = (moment.date().isoformat(), moment.hour)
        return found


@dataclass
class _Command:
    """Work for the writer thread, run after everything queued before it has been written."""

    run: Callable[[sqlite3.Connection], Any]
    future: Future[Any]
    stop: bool = False


class UsageLog:
    """Append-only usage history with roll-ups. `record` is safe to call from the Qt main thread.

    `recovered` holds the CorruptFileError when a damaged file was moved aside at open.
    """

    def __init__(self, path: Path) -> None:
        """Open (or create) the log at `path` and start its writer thread.

        Raises StorageError when the file is from a newer QuickReply or cannot be opened.
        """
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.recovered: CorruptFileError | None = None
        self._clock = _LocalClock()
        self._db = self._connect_checked()
        try:
            self._reader = _connect(self.path)
        except sqlite3.Error as exc:
            self._db.close()
            raise StorageError(f"cannot open the usage log {self.path.name} ({exc})") from exc
        self._read_lock = threading.Lock()
        self._queue: queue.SimpleQueue[UsageEvent | ReplySample | _Command] = queue.SimpleQueue()
        self._closed = False
        self._thread = threading.Thread(
            target=self._run, name="quickreply-usage-writer", daemon=True
        )
        self._thread.start()
        atexit.register(self.close)

    # -- writing (any thread) ----------------------------------------------------------------

    def record(self, event: UsageEvent) -> None:
        """Queue one insertion event; returns at once (the writer thread stores it)."""
        if self._closed:
            log.warning("usage event after close() dropped")
            return
        self._queue.put(event)

    def record_reply(
        self,
        start_ms: int,
        end_ms: int,
        used_snippet: bool,
        target_app: str | None = None,
        ts_ms: int | None = None,
    ) -> None:
        """Queue one reply-speed sample: compose start and end (any one clock, ms), never keys.

        `ts_ms` is when the reply was sent (UTC epoch ms); now when omitted.
        """
        if self._closed:
            return
        sample = ReplySample(
            ts_ms if ts_ms is not None else now_ms(),
            max(0, int(end_ms - start_ms)),
            bool(used_snippet),
            target_app,
        )
        self._queue.put(sample)

    def flush(self) -> None:
        """Return once everything recorded so far is on disk; raise StorageError if it cannot be."""
        self._call(lambda db: None)

    def close(self) -> None:
        """Write what is queued, stop the writer thread and close the file. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        atexit.unregister(self.close)
        if self._thread.is_alive():
            future: Future[Any] = Future()
            self._queue.put(_Command(lambda db: None, future, stop=True))
            with contextlib.suppress(Exception):
                future.result(timeout=WAIT_S)
            self._thread.join(timeout=WAIT_S)
        with self._read_lock:
            self._reader.close()

    def append_many(self, events: Iterable[UsageEvent]) -> int:
        """Store many events at once, in large transactions (imports, benchmarks); return the count."""

        def write_all(db: sqlite3.Connection) -> int:
            count = 0
            chunk: list[UsageEvent] = []
            for event in events:
                chunk.append(event)
                if len(chunk) >= BULK_CHUNK:
                    count += self._write(db, chunk)
                    chunk = []
            return count + self._write(db, chunk)

        result: int = self._call(write_all, timeout=None)
        return result

    def purge(self, before: date) -> int:
        """Delete every event, roll-up and reply sample from before local `before`; return events deleted."""
        cut_ms = local_midnight_ms(before)
        day = before.isoformat()

        def delete(db: sqlite3.Connection) -> int:
            with _transaction(db):
                removed = db.execute("DELETE FROM events WHERE ts_ms < ?", (cut_ms,)).rowcount
                db.execute("DELETE FROM daily WHERE day < ?", (day,))
                db.execute("DELETE FROM hourly WHERE day < ?", (day,))
                db.execute("DELETE FROM replies WHERE ts_ms < ?", (cut_ms,))
                db.execute("DELETE FROM snippet_totals")
                db.execute(
                    "INSERT INTO snippet_totals SELECT snippet_id, sum(uses), max(last_ts_ms) "
                    "FROM daily GROUP BY snippet_id"
                )
            return int(removed)

        result: int = self._call(delete)
        return result

    def apply_retention(self, months: int, today: date | None = None) -> int:
        """Keep the last `months` calendar months (0 keeps everything); return events deleted.

        Waits for the writer thread; a first purge of years of history takes seconds, so the app
        runs it off the UI thread. Raises ValidationError for a negative `months`.
        """
        if months < 0:
            raise ValidationError("usage_retention_months: use 0 (keep all) or a positive number")
        if months == 0:
            return 0
        return self.purge(months_before(today or date.today(), months))

    def _call(self, work: Callable[[sqlite3.Connection], T], timeout: float | None = WAIT_S) -> T:
        """Run `work` on the writer thread after everything queued before it; return its result."""
        if self._closed or not self._thread.is_alive():
            raise StorageError(f"the usage log {self.path.name} is closed")
        future: Future[T] = Future()
        self._queue.put(_Command(work, future))
        try:
            return future.result(timeout=timeout)
        except FutureTimeoutError as exc:
            raise StorageError(
                f"the usage log {self.path.name} did not answer within {WAIT_S:.0f} s"
            ) from exc

    # -- the writer thread -------------------------------------------------------------------

    def _run(self) -> None:
        pending: list[UsageEvent | ReplySample] = []
        stopping = False
        while not stopping:
            try:
                batch = [self._queue.get(timeout=RETRY_S if pending else None)]
            except queue.Empty:
                batch = []
            with contextlib.suppress(queue.Empty):
                while True:
                    batch.append(self._queue.get_nowait())
            for item in batch:
                if isinstance(item, _Command):
                    self._try_write(pending)
                    stopping = stopping or item.stop
                    self._run_command(item, pending)
                else:
                    pending.append(item)
            self._try_write(pending)
        if pending:
            log.error("usage log closed with %d records it could not write", len(pending))
        self._db.close()

    def _try_write(self, pending: list[UsageEvent | ReplySample]) -> None:
        if not pending:
            return
        try:
            self._write(self._db, pending)
        except sqlite3.Error as exc:
            log.warning("usage log write failed, will retry: %s", exc)
            if len(pending) > MAX_PENDING:
                log.error("usage log dropped %d unwritten records", len(pending) - MAX_PENDING)
                del pending[: len(pending) - MAX_PENDING]
            return
        pending.clear()

    def _run_command(self, command: _Command, pending: list[UsageEvent | ReplySample]) -> None:
        if pending:
            command.future.set_exception(
                StorageError(f"cannot write the usage log {self.path}; see the app log")
            )
            return
        try:
            command.future.set_result(command.run(self._db))
        except sqlite3.Error as exc:
            command.future.set_exception(StorageError(f"usage log {self.path.name}: {exc}"))
        except Exception as exc:  # noqa: BLE001 - hand any failure to the caller waiting on it
            command.future.set_exception(exc)

    def _write(self, db: sqlite3.Connection, items: Sequence[UsageEvent | ReplySample]) -> int:
        """Insert events and samples and update the roll-ups, all in one transaction."""
        events = [i for i in items if isinstance(i, UsageEvent)]
        replies = [i for i in items if isinstance(i, ReplySample)]
        # sums as plain lists [uses, chars, cjk, latin, spent_ms(, last_ts)]: the bulk path adds
        # a million events here, and Tally objects would triple its time
        daily: dict[tuple[str, str, str], list[Any]] = {}
        hourly: dict[tuple[str, int], list[Any]] = {}
        rows = []
        for index, event in enumerate(events):
            if index % YIELD_EVERY == YIELD_EVERY - 1:
                time.sleep(0)  # let the UI thread take the GIL: record() must never wait 1 ms
            row = _event_row(event)
            rows.append(row)
            if event.undone:
                continue  # kept in the events table, never counted as a use
            day, hour = self._clock.day_hour(event.ts_ms)
            cjk, latin = event_classes(event)
            spent = (row[_PICK] or 0) + row[_INJECT]
            sums = daily.setdefault((day, event.snippet_id, event.category or ""), [0] * 6)
            _add(sums, event.chars, cjk, latin, spent)
            sums[5] = max(sums[5], event.ts_ms)
            _add(hourly.setdefault((day, hour), [0] * 5), event.chars, cjk, latin, spent)
        totals: dict[str, list[int]] = {}
        for (_, snippet_id, _), sums in daily.items():
            total = totals.setdefault(snippet_id, [0, 0])
            total[0] += sums[0]
            total[1] = max(total[1], sums[5])
        with _transaction(db):
            db.executemany(_INSERT_EVENT, rows)
            db.executemany(_UPSERT_DAILY, [(*key, *sums) for key, sums in daily.items()])
            db.executemany(_UPSERT_HOURLY, [(*key, *sums) for key, sums in hourly.items()])
            db.executemany(_UPSERT_TOTALS, [(key, *total) for key, total in totals.items()])
            db.executemany(
                "INSERT INTO replies VALUES (?, ?, ?, ?)",
                [(r.ts_ms, r.compose_ms, int(r.used_snippet), r.target_app) for r in replies],
            )
        return len(events)

    # -- opening -----------------------------------------------------------------------------

    def _connect_checked(self) -> sqlite3.Connection:
        """Open the file, moving it aside if it is damaged or not ours, and create the tables."""
        problem = foreign_reason(self.path, APPLICATION_ID, SCHEMA_VERSION)
        if problem:
            self.recovered = _move_aside_with_journal(self.path, problem)
        paths.private_file(self.path)
        try:
            db = _connect(self.path)
        except sqlite3.Error as exc:
            raise StorageError(f"cannot open the usage log {self.path.name} ({exc})") from exc
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            db.close()
            raise StorageError(
                f"{self.path.name} was written by a newer QuickReply (usage schema {version}; this "
                f"version reads up to {SCHEMA_VERSION}). Update QuickReply; the file was left untouched."
            )
        if version < SCHEMA_VERSION:
            upgrade = "".join(sql for since, sql in _UPGRADES if version and version < since)
            try:
                db.executescript(
                    f"BEGIN IMMEDIATE; {upgrade} {SCHEMA} PRAGMA application_id = {APPLICATION_ID}; "
                    f"PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
                )
            except sqlite3.Error as exc:
                db.close()
                raise StorageError(f"cannot set up the usage log {self.path.name} ({exc})") from exc
        return db

    # -- reading (any thread) ----------------------------------------------------------------

    def _query(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        with self._read_lock:
            try:
                return self._reader.execute(sql, params).fetchall()
            except (
                sqlite3.DatabaseError
            ) as exc:  # a damaged page: no statistics, nothing else stops
                raise StorageError(
                    f"the usage log {self.path.name} is damaged ({exc}); statistics are "
                    "unavailable, inserting snippets keeps working"
                ) from exc

    def snippet_stats(self) -> dict[str, tuple[int, int]]:
        """Return snippet id -> (use count, last used UTC epoch ms) over the kept history."""
        rows = self._query("SELECT snippet_id, uses, last_ts_ms FROM snippet_totals")
        return {sid: (uses, last) for sid, uses, last in rows}

    def total(self, start: date, end: date) -> Tally:
        """Return the sums over local days start..end (inclusive)."""
        row = self._query(
            f"SELECT {_SUMS} FROM daily WHERE day BETWEEN ? AND ?",
            (start.isoformat(), end.isoformat()),
        )[0]
        return _tally(row)

    def per_day(self, start: date, end: date) -> dict[date, Tally]:
        """Return the sums of each local day in start..end that has events."""
        rows = self._grouped("daily", "day", start, end)
        return {date.fromisoformat(key): tally for key, tally in rows.items()}

    def per_hour(self, start: date, end: date) -> dict[int, Tally]:
        """Return the sums of each local hour of day (0-23) over days start..end."""
        return self._grouped("hourly", "hour", start, end)

    def per_snippet(self, start: date, end: date) -> dict[str, Tally]:
        """Return the sums of each snippet id used on days start..end."""
        return self._grouped("daily", "snippet_id", start, end)

    def per_category(self, start: date, end: date) -> dict[str, Tally]:
        """Return the sums of each category id ("" for none) used on days start..end."""
        return self._grouped("daily", "category", start, end)

    def _grouped(self, table: str, column: str, start: date, end: date) -> dict[Any, Tally]:
        rows = self._query(
            f"SELECT {column}, {_SUMS} FROM {table} WHERE day BETWEEN ? AND ? GROUP BY {column}",
            (start.isoformat(), end.isoformat()),
        )
        return {row[0]: _tally(row[1:]) for row in rows}

    def timings(self, start_ms: int, end_ms: int) -> tuple[list[float], list[float]]:
        """Return (pick times of palette picks, inject times of all events) in [start, end) ms."""
        rows = self._query(
            "SELECT pick_ms, inject_ms FROM events WHERE ts_ms >= ? AND ts_ms < ? AND NOT undone",
            (start_ms, end_ms),
        )
        return [p for p, _ in rows if p is not None], [i for _, i in rows]

    def replies(self, start_ms: int, end_ms: int) -> list[ReplySample]:
        """Return the reply-speed samples sent in [start, end) ms."""
        rows = self._query(
            "SELECT ts_ms, compose_ms, used_snippet, target_app FROM replies "
            "WHERE ts_ms >= ? AND ts_ms < ? ORDER BY ts_ms",
            (start_ms, end_ms),
        )
        return [ReplySample(t, c, bool(u), a) for t, c, u, a in rows]

    def events(
        self, since_ms: int | None = None, chunk: int = 10_000, *, undone: bool = False
    ) -> Iterator[UsageEvent]:
        """Yield the stored events (from `since_ms` on) in the order they were recorded; undone
        abbreviation expansions only with `undone` (exports and team files leave them out)."""
        last_rowid = 0
        while True:
            rows = self._query(
                f"SELECT rowid, {', '.join(LOG_FIELDS)} FROM events "
                "WHERE rowid > ? AND ts_ms >= ? AND (? OR NOT undone) ORDER BY rowid LIMIT ?",
                (last_rowid, since_ms if since_ms is not None else -(2**62), undone, chunk),
            )
            if not rows:
                return
            for row in rows:
                event = UsageEvent(*row[1:-1])
                yield undone_event(event) if row[-1] else event
            last_rowid = rows[-1][0]

    def abbreviation_uses(self, start_ms: int, end_ms: int) -> tuple[int, int]:
        """Return (abbreviation expansions kept, expansions undone) between `start_ms` and
        `end_ms`."""
        rows = self._query(
            "SELECT count(*) - coalesce(sum(undone), 0), coalesce(sum(undone), 0) FROM events "
            "WHERE trigger = 'abbreviation' AND ts_ms >= ? AND ts_ms < ?",
            (start_ms, end_ms),
        )
        kept, undone = rows[0]
        return int(kept or 0), int(undone or 0)

    def suggest_ranks(self, start_ms: int, end_ms: int) -> tuple[int, int, int]:
        """Return (insertions from suggestions, of them picked first, picked in the first three)
        between `start_ms` and `end_ms`."""
        rows = self._query(
            "SELECT count(*), sum(rank = 1), sum(rank <= 3) FROM events "
            "WHERE trigger = 'suggest' AND ts_ms >= ? AND ts_ms < ? AND NOT undone",
            (start_ms, end_ms),
        )
        count, first, top3 = rows[0]
        return int(count or 0), int(first or 0), int(top3 or 0)

    def event_count(self) -> int:
        """Return how many events are stored."""
        count: int = self._query("SELECT count(*) FROM events")[0][0]
        return count

    def first_day(self) -> date | None:
        """Return the local day of the oldest kept roll-up, or None when the log is empty."""
        first = self._query("SELECT min(day) FROM daily")[0][0]
        return date.fromisoformat(first) if first else None


def open_usage_log(data_dir: Path | None = None) -> UsageLog:
    """Open the usage log in `data_dir` (default: the QuickReply data dir), creating it if new.

    Raises StorageError when it cannot be opened; a damaged file is moved aside (see `recovered`).
    """
    return UsageLog((data_dir or paths.data_dir()) / FILE_NAME)


def open_session_usage_log(data_dir: Path | None = None) -> tuple[UsageLog, str | None]:
    """Open the usage log for the running app; return it and a notice, or None.

    When the log cannot be opened now (full or read-only disk, a newer QuickReply's file) the app
    must keep inserting snippets: this session's events then go to a scratch log in the temp
    folder (ids and timings only), the real file is left exactly as it is, and the notice says so.
    """
    try:
        log = open_usage_log(data_dir)
    except StorageError as exc:
        scratch = Path(tempfile.mkdtemp(prefix="quickreply-usage-"))
        return UsageLog(scratch / FILE_NAME), f"{exc}; statistics are not kept until it is fixed"
    return log, str(log.recovered) if log.recovered else None


def _connect(path: Path) -> sqlite3.Connection:
    """Open `path` in WAL mode; raises sqlite3.DatabaseError when it is not a database."""
    db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA journal_mode = WAL")
        # in WAL mode NORMAL survives a killed process; only a power cut may lose the last commits
        db.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.Error:
        db.close()  # Windows cannot move the file aside while we hold it open
        raise
    return db


def _move_aside_with_journal(path: Path, reason: str) -> CorruptFileError:
    """Move a damaged log aside with its WAL files, which belong to it and not to a new file."""
    error = move_aside(path, reason)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists() and error.backup_path:
            os.replace(side, error.backup_path + suffix)
    return error


@contextlib.contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    """All or nothing; BEGIN IMMEDIATE takes the write lock first, so busy_timeout applies."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:  # also after a failed COMMIT (disk full): never leave one open
            db.execute("ROLLBACK")
        raise


_PICK = EVENT_FIELDS.index("pick_ms")
_INJECT = EVENT_FIELDS.index("inject_ms")


def _event_row(event: UsageEvent) -> list[Any]:
    """The event's column values, timings rounded to whole ms (SQLite then stores small ints)."""
    row = [getattr(event, name) for name in LOG_FIELDS]
    row[_INJECT] = float(round(row[_INJECT]))
    if row[_PICK] is not None:
        row[_PICK] = float(round(row[_PICK]))
    return row


def _tally(row: tuple[Any, ...]) -> Tally:
    """A Tally from SQL sums (NULL when no row matched)."""
    uses, chars, cjk, latin, spent = (value or 0 for value in row)
    return Tally(uses, chars, cjk, latin, float(spent))


def _add(sums: list[Any], chars: int, cjk: int, latin: int, spent: float) -> None:
    sums[0] += 1
    sums[1] += chars
    sums[2] += cjk
    sums[3] += latin
    sums[4] += spent
