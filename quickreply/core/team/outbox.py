"""The outbox: which days still have to reach the team drop, and how the last tries went.

Kept as atomic JSON in the data dir (team_outbox.json). A day stays pending until its file is on
the drop; days go out oldest first, and after a failure the next try waits longer each time
(1 minute doubling up to an hour). What was sent is remembered by content digest, so an unchanged
day is not sent again, and a changed day replaces its file under the same name.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from quickreply.core.library import paths
from quickreply.core.library.atomic import atomic_write_text

FILE_NAME = "team_outbox.json"
BACKOFF_FIRST_MS = 60_000
BACKOFF_MAX_MS = 3_600_000
KEEP_DIGESTS_DAYS = 45


@dataclass
class Outbox:
    """Pending days, sent digests and the last success and error."""

    path: Path
    drop: str | None = None  # the drop the digests are of: another drop starts afresh
    pending: set[str] = field(default_factory=set)
    sent: dict[str, str] = field(default_factory=dict)  # day -> digest of what the drop holds
    marked_ms: int | None = None  # days up to this time have been put in the outbox
    last_success: str | None = None
    last_error: str | None = None
    last_error_at: str | None = None
    failures: int = 0
    next_try_ms: int = 0

    @classmethod
    def load(cls, path: Path | None = None) -> Outbox:
        """Read the outbox (an empty one when the file is missing or damaged)."""
        path = path or paths.data_dir() / FILE_NAME
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(path)
        return cls(
            path,
            drop=data.get("drop"),
            pending={str(d) for d in data.get("pending", [])},
            sent={str(k): str(v) for k, v in (data.get("sent") or {}).items()},
            marked_ms=data.get("marked_ms"),
            last_success=data.get("last_success"),
            last_error=data.get("last_error"),
            last_error_at=data.get("last_error_at"),
            failures=int(data.get("failures") or 0),
            next_try_ms=int(data.get("next_try_ms") or 0),
        )

    def save(self) -> None:
        """Write the outbox atomically."""
        data = {
            "drop": self.drop,
            "pending": self.days(),
            "sent": dict(sorted(self.sent.items())),
            "marked_ms": self.marked_ms,
            "last_success": self.last_success,
            "last_error": self.last_error,
            "last_error_at": self.last_error_at,
            "failures": self.failures,
            "next_try_ms": self.next_try_ms,
        }
        atomic_write_text(self.path, json.dumps(data, indent=1))

    def use_drop(self, location: str) -> None:
        """Start afresh (backfill, nothing known as sent) when the drop is not the last one."""
        if self.drop != location:
            self.drop = location
            self.sent.clear()
            self.marked_ms = None

    def days(self) -> list[str]:
        """Return the pending days, oldest first."""
        return sorted(self.pending)

    def add(self, days: list[date]) -> None:
        """Put days in the outbox."""
        self.pending.update(d.isoformat() for d in days)

    def sent_ok(self, day: str, digest: str) -> None:
        """Note that `day`'s file with `digest` is on the drop."""
        self.pending.discard(day)
        self.sent[day] = digest
        oldest = (date.fromisoformat(day) - timedelta(days=KEEP_DIGESTS_DAYS)).isoformat()
        self.sent = {d: h for d, h in self.sent.items() if d >= oldest}

    def succeeded(self, when: str) -> None:
        """Note a publish that emptied the outbox."""
        self.last_success = when
        self.failures = 0
        self.next_try_ms = 0

    def failed(self, error: str, when: str, now_ms: int) -> None:
        """Note a failed try and schedule the next one with back-off."""
        self.last_error = error
        self.last_error_at = when
        self.failures += 1
        wait = min(BACKOFF_FIRST_MS * 2 ** (self.failures - 1), BACKOFF_MAX_MS)
        self.next_try_ms = now_ms + wait
