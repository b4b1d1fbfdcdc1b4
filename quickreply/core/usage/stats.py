"""The statistics of a period, gathered from the usage log's roll-ups: what the window and CLI show."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from quickreply.core.errors import ValidationError
from quickreply.core.i18n import tr
from quickreply.core.library.model import Category, Snippet
from quickreply.core.library.settings import Settings
from quickreply.core.usage.log import UsageLog, local_midnight_ms
from quickreply.core.usage.metrics import (
    ReplySummary,
    SpeedSummary,
    Tally,
    reply_summary,
    speed_summary,
)

NEVER_USED_DAYS = 30
_DAYS = re.compile(r"^(\d{1,5})d$")


@dataclass(frozen=True)
class Period:
    """Local calendar days `start`..`end`, both included."""

    start: date
    end: date

    @property
    def days(self) -> int:
        """Return how many days the period spans."""
        return (self.end - self.start).days + 1

    def start_ms(self) -> int:
        """Return the epoch ms at which the period starts (local midnight)."""
        return local_midnight_ms(self.start)

    def end_ms(self) -> int:
        """Return the epoch ms at which the period ends (the next local midnight), exclusive."""
        return local_midnight_ms(self.end + timedelta(days=1))


def last_days(count: int, today: date | None = None) -> Period:
    """Return the period of the last `count` days, today included."""
    end = today or date.today()
    return Period(end - timedelta(days=max(1, count) - 1), end)


def parse_since(text: str, today: date | None = None) -> date:
    """Return the first day meant by `text`: ``7d`` (the last 7 days), ``today`` or ``2025-03-01``.

    Raises ValidationError for anything else.
    """
    today = today or date.today()
    value = text.strip().lower()
    if value == "today":
        return today
    match = _DAYS.match(value)
    if match and int(match.group(1)) > 0:
        return today - timedelta(days=int(match.group(1)) - 1)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError(
            f"'{text}' is not a start date: use e.g. 7d, 30d, today or 2025-03-01"
        ) from None


@dataclass(frozen=True)
class Group:
    """One line of a per-snippet or per-category table."""

    key: str  # snippet or category id ("" for events without a category)
    name: str | None  # title or category name; None when no longer in the library
    category_name: str  # for snippets: their category's name ("" when none)
    tally: Tally
    saved_ms: float


@dataclass(frozen=True)
class ReplySpeed:
    """The reply-speed section: "off" when not opted in."""

    state: Literal["ok", "off", "unavailable"]
    reason: str
    summary: ReplySummary


@dataclass(frozen=True)
class Acceptance:
    """How often the agent took a suggested reply from the top: of `insertions` from suggestions,
    `first` were the first suggestion and `top3` among the first three."""

    insertions: int = 0
    first: int = 0
    top3: int = 0

    def share(self, picked: int) -> float | None:
        """Return `picked` as a share of the insertions (None when there were none)."""
        return picked / self.insertions if self.insertions else None

    def summary(self) -> str:
        """Return one line for the statistics window and `quickreply stats`."""
        if not self.insertions:
            return tr("Suggestions: none inserted in this period")
        return tr(
            "Suggestions: {count} inserted, {first:.0%} picked first, {top3:.0%} in the top 3",
            count=self.insertions,
            first=self.share(self.first),
            top3=self.share(self.top3),
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form (shares rounded to four places)."""
        first, top3 = self.share(self.first), self.share(self.top3)
        return {
            "insertions": self.insertions,
            "rank1": None if first is None else round(first, 4),
            "top3": None if top3 is None else round(top3, 4),
        }


@dataclass(frozen=True)
class Abbreviations:
    """Typed abbreviations in a period: `expanded` kept (counted as uses), `undone` taken back
    with BackSpace right after (never counted as uses)."""

    expanded: int = 0
    undone: int = 0

    def summary(self) -> str:
        """Return one line for the statistics window and `quickreply stats`."""
        if not self.expanded and not self.undone:
            return tr("Abbreviations: none expanded in this period")
        return tr(
            "Abbreviations: {expanded} expanded, {undone} undone",
            expanded=self.expanded,
            undone=self.undone,
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form."""
        return {"expanded": self.expanded, "undone": self.undone}


@dataclass(frozen=True)
class UsageStats:
    """Every figure of the statistics window for one period."""

    period: Period
    total: Tally
    saved_ms: float
    pick: SpeedSummary
    inject: SpeedSummary
    days: list[tuple[date, Tally, float]]  # every day of the period: (day, sums, saved ms)
    hours: list[tuple[Tally, float]]  # hour of day 0..23: (sums, saved ms)
    categories: list[Group]
    snippets: list[Group]
    never_used: list[Snippet]
    reply: ReplySpeed
    typing_speed: dict[str, int] = field(default_factory=dict)
    suggestions: Acceptance = field(default_factory=Acceptance)
    abbreviations: Abbreviations = field(default_factory=Abbreviations)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form printed by `quickreply stats --format json` (times in ms)."""
        return {
            "period": {"start": self.period.start.isoformat(), "end": self.period.end.isoformat()},
            "typing_speed": self.typing_speed,
            "uses": self.total.uses,
            "chars": self.total.chars,
            "time_saved_ms": round(self.saved_ms),
            "pick_ms": _speed_dict(self.pick),
            "inject_ms": _speed_dict(self.inject),
            "reply_speed": _reply_dict(self.reply),
            "suggestions": self.suggestions.to_dict(),
            "abbreviations": self.abbreviations.to_dict(),
            "per_day": [
                {"day": d.isoformat(), **_tally_dict(t, saved)} for d, t, saved in self.days
            ],
            "per_hour": [
                {"hour": hour, **_tally_dict(t, saved)}
                for hour, (t, saved) in enumerate(self.hours)
            ],
            "per_category": [_group_dict(g) for g in self.categories],
            "per_snippet": [_group_dict(g) for g in self.snippets],
            "never_used_30d": [
                {"id": s.id, "title": s.title, "category": s.category, "pack_id": s.pack_id}
                for s in self.never_used
            ],
        }


def build_stats(
    log: UsageLog,
    snippets: Sequence[Snippet],
    categories: Sequence[Category],
    settings: Settings,
    period: Period,
    reply_hook: tuple[bool, str] = (True, ""),
    today: date | None = None,
) -> UsageStats:
    """Return the statistics of `period`, from roll-ups (and raw timings of that period only).

    `reply_hook` is (available, reason) of the key-count hook, for the reply-speed section.
    """
    today = today or date.today()
    names = {c.id: c.name for c in categories}
    by_id = {s.id: s for s in snippets}
    total = log.total(period.start, period.end)
    per_day = log.per_day(period.start, period.end)
    per_hour = log.per_hour(period.start, period.end)
    picks, injects = log.timings(period.start_ms(), period.end_ms())
    days = []
    for offset in range(period.days):
        day = period.start + timedelta(days=offset)
        tally = per_day.get(day, Tally())
        days.append((day, tally, tally.saved_ms(settings)))
    hours = [per_hour.get(h, Tally()) for h in range(24)]
    snippet_rows = [
        Group(
            sid,
            by_id[sid].title if sid in by_id else None,
            names.get(by_id[sid].category, "") if sid in by_id else "",
            tally,
            tally.saved_ms(settings),
        )
        for sid, tally in log.per_snippet(period.start, period.end).items()
    ]
    category_rows = [
        Group(cid, names.get(cid) if cid else "", "", tally, tally.saved_ms(settings))
        for cid, tally in log.per_category(period.start, period.end).items()
    ]
    recent = log.per_snippet(today - timedelta(days=NEVER_USED_DAYS - 1), today)
    return UsageStats(
        period=period,
        total=total,
        saved_ms=total.saved_ms(settings),
        pick=speed_summary(picks),
        inject=speed_summary(injects),
        days=days,
        hours=[(t, t.saved_ms(settings)) for t in hours],
        categories=sorted(category_rows, key=lambda g: (-g.tally.uses, g.key)),
        snippets=sorted(snippet_rows, key=lambda g: (-g.tally.uses, g.key)),
        never_used=[s for s in snippets if s.id not in recent],
        reply=_reply_speed(log, settings, period, reply_hook),
        typing_speed={
            "cjk_cpm": settings.typing_speed_cjk_cpm,
            "latin_wpm": settings.typing_speed_latin_wpm,
        },
        suggestions=Acceptance(*log.suggest_ranks(period.start_ms(), period.end_ms())),
        abbreviations=Abbreviations(*log.abbreviation_uses(period.start_ms(), period.end_ms())),
    )


def _reply_speed(
    log: UsageLog, settings: Settings, period: Period, hook: tuple[bool, str]
) -> ReplySpeed:
    summary = reply_summary(log.replies(period.start_ms(), period.end_ms()))
    if summary.count:
        return ReplySpeed("ok", "", summary)
    if not settings.reply_speed_tracking:
        return ReplySpeed(
            "off", "reply speed is off; it is opt-in (settings: reply_speed_tracking)", summary
        )
    available, reason = hook
    if not available:
        return ReplySpeed("unavailable", reason, summary)
    return ReplySpeed("ok", "", summary)


def _tally_dict(tally: Tally, saved_ms: float) -> dict[str, Any]:
    return {"uses": tally.uses, "chars": tally.chars, "time_saved_ms": round(saved_ms)}


def _group_dict(group: Group) -> dict[str, Any]:
    return {
        "id": group.key,
        "name": group.name,
        "category_name": group.category_name,
        **_tally_dict(group.tally, group.saved_ms),
    }


def _speed_dict(speed: SpeedSummary) -> dict[str, Any]:
    return {
        "count": speed.count,
        "median": _round(speed.median),
        "p90": _round(speed.p90),
    }


def _reply_dict(reply: ReplySpeed) -> dict[str, Any]:
    summary = reply.summary
    data: dict[str, Any] = {"state": reply.state, "reason": reply.reason}
    if reply.state == "ok":
        data.update(
            replies=summary.count,
            with_snippet=summary.with_snippet,
            median_compose_with_snippet_ms=_round(summary.median_with_ms),
            median_compose_without_snippet_ms=_round(summary.median_without_ms),
            share_within={f"{t // 1000}s": round(share, 4) for t, share in summary.within.items()},
        )
    return data


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
