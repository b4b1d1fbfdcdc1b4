"""Usage events: one per insertion, never the text of the chat or what was typed."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any, Protocol

TRIGGERS = ("hotkey", "palette", "tray", "abbreviation", "cli", "suggest")


@dataclass(frozen=True)
class UsageEvent:
    """What one insertion did: ids, counts and timings only."""

    ts_ms: int  # UTC epoch milliseconds
    snippet_id: str
    trigger: str  # one of TRIGGERS
    chars: int  # characters inserted
    inject_ms: float  # trigger -> paste sent
    pack_id: str | None = None
    pack_version: str | None = None
    category: str | None = None
    keys_typed: int = 0  # keys pressed to get it (abbreviation / palette query length)
    pick_ms: float | None = None  # palette opened -> snippet chosen
    target_app: str | None = None  # process name
    target_title: str | None = None  # only when the agent opted in
    session_id: str | None = None
    # wide (CJK) and other non-space characters of the inserted text, from metrics.char_classes;
    # None when the caller did not classify: the metrics then count all `chars` as Latin
    cjk_chars: int | None = None
    latin_chars: int | None = None
    # trigger "suggest": the place (1, 2, 3 ...) at which the chosen reply was suggested; the
    # buyer's message itself is never recorded
    rank: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form."""
        return asdict(self)


EVENT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(UsageEvent))


@dataclass(frozen=True)
class ReplySample:
    """One reply the agent composed: how long it took and whether a snippet helped. No keys."""

    ts_ms: int  # UTC epoch milliseconds when the reply was sent
    compose_ms: int  # first key press after the previous Enter -> the Enter that sent it
    used_snippet: bool
    target_app: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form."""
        return asdict(self)


class UsageRecorder(Protocol):
    """Where the insertion path reports each event. Must return at once (no disk I/O inline)."""

    def record(self, event: UsageEvent) -> None:
        """Accept one event."""
