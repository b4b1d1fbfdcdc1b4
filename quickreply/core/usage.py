"""Usage events: one per insertion, never the text of the chat or what was typed."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Protocol

TRIGGERS = ("hotkey", "palette", "tray", "abbreviation", "cli")


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

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form."""
        return asdict(self)


class UsageRecorder(Protocol):
    """Where the insertion path reports each event. Must return at once (no disk I/O inline)."""

    def record(self, event: UsageEvent) -> None:
        """Accept one event."""
