"""One agent's day in the usage export format (docs/usage-export.md), ready for a team drop.

The meta line carries `agent_id` and `day` besides the export's fields; use lines never carry the
window title (it may name a buyer), reply lines carry timings only.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from quickreply.core.team.summary import summarize, typing_settings
from quickreply.core.usage.event import ReplySample, UsageEvent
from quickreply.core.usage.log import UsageLog, local_midnight_ms


def day_bounds_ms(day: date) -> tuple[int, int]:
    """Return [start, end) of the local `day` in epoch ms."""
    return local_midnight_ms(day), local_midnight_ms(day + timedelta(days=1))


def day_events(log: UsageLog, day: date) -> list[UsageEvent]:
    """Return the events of the local `day`, window titles removed."""
    start, end = day_bounds_ms(day)
    return [replace(e, target_title=None) for e in log.events(start) if e.ts_ms < end]


def day_replies(log: UsageLog, day: date) -> list[ReplySample]:
    """Return the reply-speed samples of the local `day`."""
    return log.replies(*day_bounds_ms(day))


def day_file(
    meta: dict[str, Any],
    agent_id: str,
    day: date,
    events: Iterable[UsageEvent],
    replies: Iterable[ReplySample],
) -> tuple[bytes, str]:
    """Return (file bytes, content digest); the digest ignores the export time in the meta line.

    Lines: meta, the day's summary (core/team/summary.py), then the use and reply lines.
    """
    head = {**meta, "agent_id": agent_id, "day": day.isoformat()}
    events, replies = list(events), list(replies)
    summary = summarize(events, [r.compose_ms for r in replies], typing_settings(meta))
    lines = [_line({"type": "use", **e.to_dict()}) for e in events]
    lines.extend(_line({"type": "reply", **r.to_dict()}) for r in replies)
    body = "".join(lines).encode("utf-8")
    summary.body_bytes = len(body)
    day_line = _line(summary.to_record()).encode("utf-8")
    stable = _line({k: v for k, v in head.items() if k != "exported"}).encode("utf-8")
    digest = hashlib.sha256(stable + day_line + body).hexdigest()
    return _line(head).encode("utf-8") + day_line + body, digest


def _line(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
