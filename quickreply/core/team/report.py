"""The team report from a drop: the usual report, plus per-agent trend lines, the share of replies
within the platform targets (agents who track reply speed) and a footer of skipped files.

Day files are folded into the report one at a time through their summary line (core/team/summary.py),
so memory holds the running totals, never every event.
"""

from __future__ import annotations

import csv
import html
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from quickreply.core.errors import ValidationError
from quickreply.core.i18n import tr
from quickreply.core.library.atomic import atomic_write_bytes
from quickreply.core.team.day_cache import DayCache
from quickreply.core.team.drop import TeamDrop
from quickreply.core.team.read import DayFile, ReadCounts, read_day_files
from quickreply.core.usage.csv_cells import spreadsheet_safe
from quickreply.core.usage.metrics import REPLY_TARGETS_MS
from quickreply.core.usage.team_report import (
    CSV_COLUMNS,
    TeamReport,
    TeamTally,
    report_csv,
)
from quickreply.core.usage.team_report_html import render_html

EXTRA_CSV_COLUMNS = ("day", "replies", "target_s", "within_pct", "files")


@dataclass
class DropReport:
    """A team report read from a drop, with what only a drop can tell."""

    report: TeamReport
    counts: ReadCounts
    trends: dict[str, Counter[date]] = field(default_factory=dict)  # agent -> day -> uses
    replies: dict[str, list[int]] = field(default_factory=dict)  # agent -> [count, within...]

    def within(self, agent: str) -> list[float] | None:
        """Return the agent's share of replies within each of REPLY_TARGETS_MS, or None."""
        tally = self.replies.get(agent)
        if not tally or not tally[0]:
            return None
        return [n / tally[0] for n in tally[1:]]


def agent_label(day_file: DayFile) -> str:
    """Return how the report names an agent: their name and the start of their id."""
    name = str(day_file.meta.get("agent") or "").strip() or tr("agent")
    return f"{name} ({day_file.agent_id[:8]})"


def build_drop_report(
    drop: TeamDrop,
    since: date | None = None,
    agents: set[str] | None = None,
    cache: DayCache | None = None,
) -> DropReport:
    """Read `drop` (from `since`, of `agents` when given; known days from `cache`): the report."""
    counts = ReadCounts()
    tally = TeamTally()
    trends: dict[str, Counter[date]] = defaultdict(Counter)
    replies: dict[str, list[int]] = {}
    snippet_uses: Counter[tuple[str, str | None]] = Counter()  # added up once, at the end
    for day_file in read_day_files(drop, counts, since, agents, cache):
        label = agent_label(day_file)
        key = (day_file.agent_id, label)
        tally.add_library(key, day_file.meta)
        s = day_file.summary
        tally.add_uses(key, s.uses, s.saved_ms, s.picks, s.first_ts, s.last_ts)
        for snippet_id, category, uses in s.snippets:
            snippet_uses[(snippet_id, category)] += uses
        trends[label][day_file.day] += s.uses
        if s.compose_ms:
            tally_replies = replies.setdefault(label, [0] * (1 + len(REPLY_TARGETS_MS)))
            tally_replies[0] += len(s.compose_ms)
            for index, target in enumerate(REPLY_TARGETS_MS, start=1):
                tally_replies[index] += sum(1 for ms in s.compose_ms if ms <= target)
    for (snippet_id, category), uses in snippet_uses.items():
        tally.add_snippet(snippet_id, category, uses)
    return DropReport(tally.report(), counts, dict(trends), replies)


def write_drop_report(
    drop: TeamDrop,
    output: Path,
    fmt: str = "html",
    title: str = "",
    since: date | None = None,
    agents: set[str] | None = None,
    cache: DayCache | None = None,
) -> DropReport:
    """Build the report from `drop` and write it to `output` as "html" or "csv"."""
    if fmt not in ("html", "csv"):
        raise ValidationError(f"unknown report format '{fmt}' (use html or csv)")
    result = build_drop_report(drop, since, agents, cache)
    if fmt == "csv":
        data = drop_report_csv(result).encode("utf-8-sig")
    else:
        data = render_html(result.report, title, drop_sections(result)).encode("utf-8")
    atomic_write_bytes(Path(output), data, shared=True)
    return result


def drop_report_csv(result: DropReport) -> str:
    """Return the report's CSV with trend, reply-target and skipped-file rows added."""
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=CSV_COLUMNS + EXTRA_CSV_COLUMNS, lineterminator="\r\n", restval=""
    )
    writer.writeheader()
    for row in csv.DictReader(io.StringIO(report_csv(result.report))):
        writer.writerow(row)
    for agent, days in sorted(result.trends.items()):
        for day, uses in sorted(days.items()):
            writer.writerow(
                {"section": "trend", "agent": spreadsheet_safe(agent), "day": day, "uses": uses}
            )
    for agent in sorted(result.replies):
        shares = result.within(agent) or []
        for target, share in zip(REPLY_TARGETS_MS, shares):
            writer.writerow(
                {
                    "section": "reply_target",
                    "agent": spreadsheet_safe(agent),
                    "replies": result.replies[agent][0],
                    "target_s": f"{target / 1000:g}",
                    "within_pct": f"{share * 100:.1f}",
                }
            )
    c = result.counts
    for reason, number in (
        ("read", c.read),
        ("wrong_agent", c.wrong_agent),
        ("unparsable", c.unparsable),
        ("unreadable", c.unreadable),
    ):
        writer.writerow({"section": "files", "title": reason, "files": number})
    return buffer.getvalue()


def drop_sections(result: DropReport) -> str:
    """Return the HTML of the trend lines, reply targets and the skipped-files footer."""
    e = html.escape
    days = sorted({d for per in result.trends.values() for d in per})
    heads = "".join(
        f"<th>{e(tr('within {s} s', s=f'{t / 1000:g}'))}</th>" for t in REPLY_TARGETS_MS
    )
    rows = []
    for agent in sorted(result.trends):
        shares = result.within(agent)
        cells = (
            "".join(f"<td>{s * 100:.0f}%</td>" for s in shares)
            if shares
            else f'<td colspan="{len(REPLY_TARGETS_MS)}">—</td>'
        )
        rows.append(
            f"<tr><td>{e(agent)}</td><td>{_sparkline(result.trends[agent], days)}</td>{cells}</tr>"
        )
    c = result.counts
    footer = tr(
        "{read} day files read; skipped: {wrong} with an agent id that does not match its "
        "folder, {bad} that do not parse, {unreadable} that could not be read.",
        read=c.read,
        wrong=c.wrong_agent,
        bad=c.unparsable,
        unreadable=c.unreadable,
    )
    period = f"{days[0].isoformat()} – {days[-1].isoformat()}" if days else ""
    return (
        f"<h2>{e(tr('Trend per agent'))}</h2>"
        f'<p class="meta">{e(tr("Uses per day"))} {e(period)}</p>'
        f"<table><thead><tr><th>{e(tr('Agent'))}</th><th>{e(tr('Uses per day'))}</th>{heads}"
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f'<p class="meta" id="drop-footer">{e(footer)}</p>'
    )


def _sparkline(per_day: Counter[date], days: list[date], width: int = 240, height: int = 28) -> str:
    """An inline SVG line of uses per day over the report's days (no script needed)."""
    if not days:
        return ""
    top = max(per_day.values(), default=0) or 1
    step = width / max(len(days) - 1, 1)
    points = " ".join(
        f"{i * step:.1f},{height - 2 - (height - 4) * per_day.get(d, 0) / top:.1f}"
        for i, d in enumerate(days)
    )
    return (
        f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" class="trend">'
        f'<polyline fill="none" stroke="#2f6fde" stroke-width="1.5" points="{points}"/></svg>'
    )
