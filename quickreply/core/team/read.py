"""Reading a team drop: every agent's day files, a few at a time, checked before they are trusted.

A file whose meta line names another agent id than its folder, or that does not parse as a usage
export, is skipped and counted (the report's footer shows the counts). Only names of the form
``<agent-id>/<YYYY-MM-DD>.jsonl`` are read, so temp files of a publish in progress never are.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from quickreply.core.errors import ValidationError
from quickreply.core.team.drop import DayRef, DropError, TeamDrop, day_file_name
from quickreply.core.team.lean import load_object
from quickreply.core.team.summary import (
    DaySummary,
    parse_summary,
    summarize,
    typing_settings,
)
from quickreply.core.usage.export import MAX_LINE_CHARS, check_meta, parse_usage_export

if TYPE_CHECKING:
    from quickreply.core.team.day_cache import DayCache

HEAD_BYTES = 16_384  # a past day's meta and day lines fit; today's (the whole library) is re-read
READ_WORKERS = 4  # files read at once (I/O: a network drive or a WebDAV server)
META_DEPTH = 4  # meta > snippets > snippet > a list in it
DAY_DEPTH = 3  # day > snippets > [id, category, uses]


@dataclass(frozen=True)
class DayFile:
    """One agent's day, as read from the drop: its meta line and its summary."""

    agent_id: str
    day: date
    meta: dict[str, Any]
    summary: DaySummary


@dataclass
class ReadCounts:
    """How many day files were read and how many were skipped, by reason."""

    read: int = 0
    cached: int = 0  # of `read`: taken from the reader's cache, not the drop
    wrong_agent: int = 0
    unparsable: int = 0
    unreadable: int = 0
    problems: list[str] = field(default_factory=list)  # the first few, for the reader to show

    @property
    def skipped(self) -> int:
        """All skipped files."""
        return self.wrong_agent + self.unparsable + self.unreadable

    def note(self, problem: str) -> None:
        """Remember a problem (only the first 20)."""
        if len(self.problems) < 20:
            self.problems.append(problem)


def read_day_files(
    drop: TeamDrop,
    counts: ReadCounts,
    since: date | None = None,
    agents: set[str] | None = None,
    cache: DayCache | None = None,
    workers: int = READ_WORKERS,
) -> Iterator[DayFile]:
    """Yield the drop's day files from `since` on (of `agents` only, when given), in listing order.

    Files are read by `workers` threads (network drives and WebDAV answer in parallel), at most
    a few dozen ahead of the caller, so memory holds a window of files, never the drop. A file
    whose stamp `cache` knows is not read again; a file read is added to it.
    """
    window: deque[tuple[DayRef, Future[DayFile] | DayFile]] = deque()
    with ThreadPoolExecutor(workers, thread_name_prefix="team-read") as pool:
        for ref in _wanted(drop.list_days(), since, agents):
            known = cache.get(ref) if cache is not None else None
            window.append((ref, known or pool.submit(_read_day, drop, ref)))
            while len(window) > workers * 4:
                yield from _checked(*window.popleft(), counts, cache)
        while window:
            yield from _checked(*window.popleft(), counts, cache)


def _wanted(
    refs: Iterable[DayRef], since: date | None, agents: set[str] | None
) -> Iterator[DayRef]:
    """The refs to read: from `since`, of `agents`, one per agent and day."""
    seen: set[tuple[str, date]] = set()
    for ref in refs:
        if since is not None and ref.day < since:
            continue
        if agents and ref.agent_id not in agents:
            continue
        if (ref.agent_id, ref.day) in seen:
            continue  # one file per agent and day: a re-published day replaced the old one
        seen.add((ref.agent_id, ref.day))
        yield ref


def _checked(
    ref: DayRef, pending: Future[DayFile] | DayFile, counts: ReadCounts, cache: DayCache | None
) -> Iterator[DayFile]:
    """Yield the day file of `ref` when it was read and is trusted; count it otherwise."""
    name = day_file_name(ref.agent_id, ref.day)
    if isinstance(pending, DayFile):
        counts.read += 1
        counts.cached += 1
        yield pending
        return
    try:
        day_file = pending.result()
    except DropError as exc:
        counts.unreadable += 1
        counts.note(str(exc))
        return
    except ValidationError as exc:
        counts.unparsable += 1
        counts.note(str(exc))
        return
    if day_file.meta.get("agent_id") != ref.agent_id:
        counts.wrong_agent += 1
        counts.note(f"{name}: agent id {day_file.meta.get('agent_id')!r} does not match its folder")
        return
    if cache is not None:
        cache.put(ref, day_file)
    counts.read += 1
    yield day_file


def _read_day(drop: TeamDrop, ref: DayRef) -> DayFile:
    """Read the head of a day file when its size is known (the whole file when it must)."""
    name = day_file_name(ref.agent_id, ref.day)
    if ref.size is not None:
        head = drop.read(ref, HEAD_BYTES)
        try:
            parsed = parse_day_file(head, name, ref.size)
        except ValidationError:
            parsed = None  # re-published since the listing, perhaps: the whole file decides
        if parsed is not None:
            return DayFile(ref.agent_id, ref.day, *parsed)
    data = drop.read(ref)
    parsed = parse_day_file(data, name, len(data))
    if parsed is None:  # pragma: no cover - a whole file always parses or raises
        raise ValidationError(f"{name}: not a usage file")
    return DayFile(ref.agent_id, ref.day, *parsed)


def parse_day_file(data: bytes, name: str, size: int) -> tuple[dict[str, Any], DaySummary] | None:
    """Return (meta, summary) of a day file of `size` bytes from its first bytes `data`.

    With a "day" line, only the first two lines are parsed, and the file is whole only when its
    size is those two lines plus the summary's `body_bytes`; otherwise ValidationError. A file
    without one (an export put there by hand) is summarised here from all its lines. Returns None
    when `data` is too short to tell (read the whole file then).
    """
    head = data.split(b"\n", 2)
    if len(head) < 3:
        if len(data) < size:
            return None
        raise ValidationError(f"{name}: not a usage file (fewer than three lines)")
    if head[1].startswith(b'{"type":"day"'):
        meta = check_meta(
            load_object(head[0], f"{name} line 1", META_DEPTH, MAX_LINE_CHARS), f"{name} line 1"
        )
        record = load_object(head[1], f"{name} line 2", DAY_DEPTH, MAX_LINE_CHARS)
        summary = parse_summary(record, f"{name} line 2")
        if len(head[0]) + len(head[1]) + 2 + summary.body_bytes != size:
            raise ValidationError(f"{name}: cut short or changed (its size does not match)")
        return meta, summary
    if len(data) < size:
        return None
    meta, events, replies = parse_usage_export(data, name)
    compose = [int(r["compose_ms"]) for r in replies]
    return meta, summarize(events, compose, typing_settings(meta))
