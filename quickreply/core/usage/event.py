"""Usage events: one per insertion, never the text of the chat or what was typed."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, fields, replace
from typing import Any, Literal, Protocol

Trigger = Literal["hotkey", "palette", "tray", "abbreviation", "suggest", "self-test"]


@dataclass(frozen=True)
class UsageEvent:
    """What one insertion did: ids, counts and timings only."""

    ts_ms: int  # UTC epoch milliseconds
    snippet_id: str
    trigger: str  # a Trigger (kept str: old logs may hold other kinds)
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
    images: int = 0  # images pasted with the text (how many, never the images)
    # an abbreviation expansion the agent took back with BackSpace right after: kept in the log,
    # counted apart ("undone"), never as a use; exports and team files leave undone events out.
    # Last: the log builds events from the EVENT_FIELDS columns by position.
    undone: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form (``undone`` only when set: exports stay as they were)."""
        data = asdict(self)
        if not self.undone:
            del data["undone"]
        return data


# the fields of an exported event (CSV columns, JSON keys); the usage log also stores `undone`
EVENT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(UsageEvent) if f.name != "undone")


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


@dataclass(frozen=True)
class Insertion:
    """What the insertion path knows once text went out: everything an event may hold, no text."""

    snippet_id: str
    trigger: Trigger
    chars: int
    cjk_chars: int
    latin_chars: int
    inject_ms: float
    pack_id: str | None = None
    pack_version: str | None = None
    category: str | None = None
    keys_typed: int = 0
    pick_ms: float | None = None
    target_app: str | None = None
    target_title: str | None = None
    session_id: str | None = None
    rank: int | None = None  # the place a suggestion was shown at, when it was chosen from them
    images: int = 0  # images the target read (the count only)


def insertion_event(insertion: Insertion, *, record_window_titles: bool) -> UsageEvent:
    """Build the one usage event of an insertion: the single place that decides what is logged.

    The window title is kept only when the agent opted in (`record_window_titles`).
    """
    return UsageEvent(
        ts_ms=int(time.time() * 1000),
        snippet_id=insertion.snippet_id,
        trigger=insertion.trigger,
        chars=insertion.chars,
        inject_ms=insertion.inject_ms,
        pack_id=insertion.pack_id,
        pack_version=insertion.pack_version,
        category=insertion.category,
        keys_typed=insertion.keys_typed,
        pick_ms=insertion.pick_ms,
        target_app=insertion.target_app,
        target_title=insertion.target_title if record_window_titles else None,
        session_id=insertion.session_id,
        cjk_chars=insertion.cjk_chars,
        latin_chars=insertion.latin_chars,
        rank=insertion.rank,
        images=insertion.images,
    )


def undone_event(event: UsageEvent) -> UsageEvent:
    """Return `event` marked undone: the agent took the abbreviation expansion back."""
    return replace(event, undone=True)


class UsageRecorder(Protocol):
    """Where the insertion path reports each event. Must return at once (no disk I/O inline)."""

    def record(self, event: UsageEvent) -> None:
        """Accept one event."""

    def close(self) -> None:
        """Write what is pending and stop."""
