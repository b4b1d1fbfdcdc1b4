"""Publishing: the days since the last publish go into the outbox, then out to the drop in order."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from quickreply.core.errors import BusyError
from quickreply.core.library import paths
from quickreply.core.library.agent import agent_display_name
from quickreply.core.library.model import now_iso
from quickreply.core.library.settings import load_settings
from quickreply.core.library.store import LibraryStore
from quickreply.core.team.dayfile import day_events, day_file, day_replies
from quickreply.core.team.drop import DropError, TeamDrop, day_file_name
from quickreply.core.team.outbox import FILE_NAME, Outbox
from quickreply.core.usage.event import UsageEvent
from quickreply.core.usage.export import export_meta
from quickreply.core.usage.identity import installation_id
from quickreply.core.usage.log import UsageLog, now_ms

BACKFILL_DAYS = 31  # the first publish of an installation sends at most this many past days
# an event is stamped when inserted but stored a moment later by the log's writer thread
LATE_WRITE_MARGIN_MS = 10 * 60_000
LOCK_WAIT_S = 60.0


@dataclass
class PublishResult:
    """What one publish did."""

    sent: list[str] = field(default_factory=list)  # drop-relative names written
    unchanged: int = 0  # days whose file on the drop was already current
    waiting: list[str] = field(default_factory=list)  # days still in the outbox
    error: str | None = None


def mark_days(outbox: Outbox, log: UsageLog, today: date | None = None) -> None:
    """Put every day since the last marking (or the backfill window) and today in the outbox."""
    today = today or date.today()
    if outbox.marked_ms is None:
        first = log.first_day() or today
        start = max(first, today - timedelta(days=BACKFILL_DAYS - 1))
    else:
        start = datetime.fromtimestamp((outbox.marked_ms - LATE_WRITE_MARGIN_MS) / 1000).date()
    outbox.add([start + timedelta(days=n) for n in range((today - start).days + 1)])
    outbox.marked_ms = now_ms()


def agent_meta(store: LibraryStore) -> tuple[str, dict[str, Any]]:
    """Return (agent id, meta line) for the day files: read from the store on its own thread."""
    agent_id = installation_id(store)  # made first: the meta line carries the same id
    settings = load_settings(store)
    meta = export_meta(
        store.snippets(), store.categories(), settings, agent_display_name(settings), None
    )
    return agent_id, meta


def publish(
    store: LibraryStore, log: UsageLog, drop: TeamDrop, outbox_path: Path | None = None
) -> PublishResult:
    """Send the outbox now (ignoring back-off): `quickreply team publish`."""
    agent_id, meta = agent_meta(store)
    return publish_days(agent_id, meta, log, drop, outbox_path)


def publish_days(
    agent_id: str,
    meta: dict[str, Any],
    log: UsageLog,
    drop: TeamDrop,
    outbox_path: Path | None = None,
    *,
    respect_backoff: bool = False,
) -> PublishResult:
    """Send the outbox's days to `drop`, oldest first, saving the outbox after each one.

    Stops at the first failure (that day and the later ones stay pending); with `respect_backoff`
    nothing is tried before the back-off time of the last failure. One publisher at a time (the
    app and `quickreply team publish` share the outbox through a file lock).
    """
    path = outbox_path or paths.data_dir() / FILE_NAME
    try:
        with FileLock(str(path) + ".lock", timeout=LOCK_WAIT_S):
            return _send(agent_id, meta, log, drop, Outbox.load(path), respect_backoff)
    except Timeout:
        raise BusyError("another QuickReply is publishing to the team drop; try again") from None


def _send(
    agent_id: str,
    meta: dict[str, Any],
    log: UsageLog,
    drop: TeamDrop,
    outbox: Outbox,
    respect_backoff: bool,
) -> PublishResult:
    outbox.use_drop(drop.location)
    mark_days(outbox, log)
    outbox.save()
    result = PublishResult()
    if respect_backoff and now_ms() < outbox.next_try_ms:
        result.waiting = outbox.days()
        result.error = outbox.last_error
        return result
    today = date.today()
    for day_text in outbox.days():
        day = date.fromisoformat(day_text)
        events = day_events(log, day)
        data, digest = day_file(
            _day_meta(meta, events, day == today), agent_id, day, events, day_replies(log, day)
        )
        if outbox.sent.get(day_text) == digest:
            outbox.sent_ok(day_text, digest)
            result.unchanged += 1
            continue
        try:
            drop.put(agent_id, day, data)
        except DropError as exc:
            result.error = str(exc)
            outbox.failed(str(exc), now_iso(), now_ms())
            break
        outbox.sent_ok(day_text, digest)
        outbox.save()
        result.sent.append(day_file_name(agent_id, day))
    else:
        outbox.succeeded(now_iso())
    outbox.save()
    result.waiting = outbox.days()
    return result


def _day_meta(meta: dict[str, Any], events: list[UsageEvent], full: bool) -> dict[str, Any]:
    """Today's file lists the whole library (for "never used"); a past day only what it used.

    Keeps 27,000 day files small: the library list is ~35 kB, a day's used snippets a few lines.
    """
    if full:
        return meta
    used = {e.snippet_id for e in events}
    return {**meta, "snippets": [s for s in meta["snippets"] if s["id"] in used]}
