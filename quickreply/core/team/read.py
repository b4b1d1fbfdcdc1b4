"""Reading a team drop: every agent's day files, one at a time, checked before they are trusted.

A file whose meta line names another agent id than its folder, or that does not parse as a usage
export, is skipped and counted (the report's footer shows the counts). Only names of the form
``<agent-id>/<YYYY-MM-DD>.jsonl`` are read, so temp files of a publish in progress never are.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from quickreply.core.errors import ValidationError
from quickreply.core.team.drop import DayRef, DropError, TeamDrop
from quickreply.core.team.summary import (
    DaySummary,
    parse_summary,
    summarize,
    typing_settings,
)
from quickreply.core.usage.export import parse_meta_line, parse_usage_export

HEAD_BYTES = 16_384  # a past day's meta and day lines fit; today's (the whole library) is re-read


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
) -> Iterator[DayFile]:
    """Yield the drop's day files from `since` on (of `agents` only, when given), streamed."""
    seen: set[tuple[str, date]] = set()
    for ref in drop.list_days():
        if since is not None and ref.day < since:
            continue
        if agents and ref.agent_id not in agents:
            continue
        if (ref.agent_id, ref.day) in seen:
            continue  # one file per agent and day: a re-published day replaced the old one
        seen.add((ref.agent_id, ref.day))
        name = f"{ref.agent_id}/{ref.day.isoformat()}.jsonl"
        try:
            meta, summary = _read_day(drop, ref, name)
        except DropError as exc:
            counts.unreadable += 1
            counts.note(str(exc))
            continue
        except ValidationError as exc:
            counts.unparsable += 1
            counts.note(str(exc))
            continue
        if meta.get("agent_id") != ref.agent_id:
            counts.wrong_agent += 1
            counts.note(f"{name}: agent id {meta.get('agent_id')!r} does not match its folder")
            continue
        counts.read += 1
        yield DayFile(ref.agent_id, ref.day, meta, summary)


def _read_day(drop: TeamDrop, ref: DayRef, name: str) -> tuple[dict[str, Any], DaySummary]:
    """Read the head of a day file when its size is known (the whole file when it must)."""
    if ref.size is not None:
        head = drop.read(ref, HEAD_BYTES)
        try:
            parsed = parse_day_file(head, name, ref.size)
        except ValidationError:
            parsed = None  # re-published since the listing, perhaps: the whole file decides
        if parsed is not None:
            return parsed
    data = drop.read(ref)
    parsed = parse_day_file(data, name, len(data))
    if parsed is None:  # pragma: no cover - a whole file always parses or raises
        raise ValidationError(f"{name}: not a usage file")
    return parsed


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
        try:
            meta = parse_meta_line(head[0].decode("utf-8-sig"), f"{name} line 1")
            record = json.loads(head[1])
        except (UnicodeDecodeError, ValueError) as exc:
            raise ValidationError(f"{name}: not a usage file ({exc})") from None
        summary = parse_summary(record, f"{name} line 2")
        if len(head[0]) + len(head[1]) + 2 + summary.body_bytes != size:
            raise ValidationError(f"{name}: cut short or changed (its size does not match)")
        return meta, summary
    if len(data) < size:
        return None
    meta, events, replies = parse_usage_export(data, name)
    compose = [int(r["compose_ms"]) for r in replies]
    return meta, summarize(events, compose, typing_settings(meta))
