"""A day's figures in one line of its day file, so a lead's report reads two lines per file.

The "day" line (second, after the meta line) holds what the team report adds up: uses, time
saved at the agent's typing speeds, pick times, uses per snippet, first and last use, and reply
compose times; numbers and ids only. Readers of the plain usage export skip it (unknown type).
The reader trusts it only when the file's size matches it (a cut file never does), so it reads the
first few kB of each file, never its use lines.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from quickreply.core.errors import ValidationError
from quickreply.core.library.settings import Settings
from quickreply.core.usage.event import UsageEvent
from quickreply.core.usage.metrics import time_saved_ms


@dataclass
class DaySummary:
    """One agent's day, summed."""

    uses: int = 0
    saved_ms: float = 0.0
    picks: list[float] = field(default_factory=list)
    snippets: list[tuple[str, str | None, int]] = field(default_factory=list)  # id, category, uses
    first_ts: int | None = None
    last_ts: int | None = None
    compose_ms: list[int] = field(default_factory=list)
    body_bytes: int = 0  # bytes of the use and reply lines after the day line

    def to_record(self) -> dict[str, Any]:
        """Return the JSON-ready "day" line."""
        return {
            "type": "day",
            "uses": self.uses,
            "replies": len(self.compose_ms),
            "saved_ms": round(self.saved_ms, 1),
            "picks": self.picks,
            "snippets": [list(item) for item in self.snippets],
            "first_ts": self.first_ts,
            "last_ts": self.last_ts,
            "compose_ms": self.compose_ms,
            "body_bytes": self.body_bytes,
        }


def typing_settings(meta: dict[str, Any]) -> Settings:
    """Return the typing speeds of an export's meta line (the report's defaults when absent)."""
    return Settings(
        typing_speed_cjk_cpm=int(meta.get("typing_speed_cjk_cpm") or 50),
        typing_speed_latin_wpm=int(meta.get("typing_speed_latin_wpm") or 40),
    )


def summarize(
    events: Sequence[UsageEvent], compose_ms: Sequence[int], settings: Settings
) -> DaySummary:
    """Return the summary of a day's events and reply compose times."""
    per_snippet: Counter[tuple[str, str | None]] = Counter(
        (e.snippet_id, e.category) for e in events
    )
    stamps = [e.ts_ms for e in events]
    return DaySummary(
        uses=len(events),
        saved_ms=sum(time_saved_ms(e, settings) for e in events),
        picks=[e.pick_ms for e in events if e.pick_ms is not None],
        snippets=[(sid, cat, n) for (sid, cat), n in per_snippet.items()],
        first_ts=min(stamps) if stamps else None,
        last_ts=max(stamps) if stamps else None,
        compose_ms=list(compose_ms),
    )


def parse_summary(record: dict[str, Any], where: str) -> DaySummary:
    """Return the DaySummary of a "day" line; raise ValidationError for a malformed one."""

    def bad(name: str) -> ValidationError:
        return ValidationError(f"{where}: day line has a bad '{name}'")

    uses: Any = record.get("uses")
    saved: Any = record.get("saved_ms")
    if not _is_int(uses) or uses < 0:
        raise bad("uses")
    if not _is_number(saved):
        raise bad("saved_ms")
    picks = record.get("picks")
    if type(picks) is not list or not set(map(type, picks)) <= _NUMBERS:
        raise bad("picks")
    compose = record.get("compose_ms")
    if type(compose) is not list or not set(map(type, compose)) <= _INT:
        raise bad("compose_ms")
    snippets = record.get("snippets")
    if type(snippets) is not list:
        raise bad("snippets")
    items: list[tuple[str, str | None, int]] = []
    for item in snippets:
        if type(item) is not list or len(item) != 3:
            raise bad("snippets")
        snippet_id, category, count = item
        if type(snippet_id) is not str or type(category) not in _TEXT or type(count) is not int:
            raise bad("snippets")
        items.append((snippet_id, category, count))
    if sum(n for _, _, n in items) != uses:
        raise bad("snippets")
    first, last = record.get("first_ts"), record.get("last_ts")
    if not all(t is None or _is_int(t) for t in (first, last)):
        raise bad("first_ts")
    body: Any = record.get("body_bytes")
    if not _is_int(body) or body < 0:
        raise bad("body_bytes")
    return DaySummary(
        uses, float(saved), [float(p) for p in picks], items, first, last, compose, body
    )


_NUMBERS = {int, float}
_INT = {int}
_TEXT = (str, type(None))


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
