"""Reading a team drop: every agent's day files, one at a time, checked before they are trusted.

A file whose meta line names another agent id than its folder, or that does not parse as a usage
export, is skipped and counted (the report's footer shows the counts). Only names of the form
``<agent-id>/<YYYY-MM-DD>.jsonl`` are read, so temp files of a publish in progress never are.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from quickreply.core.errors import ValidationError
from quickreply.core.team.drop import DropError, TeamDrop
from quickreply.core.usage.event import UsageEvent
from quickreply.core.usage.export import parse_usage_export


@dataclass(frozen=True)
class DayFile:
    """One agent's day, as read from the drop."""

    agent_id: str
    day: date
    meta: dict[str, Any]
    events: list[UsageEvent]
    replies: list[dict[str, Any]]


@dataclass
class ReadCounts:
    """How many day files were read and how many were skipped, by reason."""

    read: int = 0
    wrong_agent: int = 0
    unparsable: int = 0
    unreadable: int = 0
    problems: list[str] = field(default_factory=list)  # the first few, for the log

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
            meta, events, replies = parse_usage_export(drop.read(ref), name)
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
        yield DayFile(ref.agent_id, ref.day, meta, events, replies)
