"""Team reports for leads: agents' usage exports folded into per-agent, per-pack and per-category
figures, written as a self-contained HTML page (team_report_html) or as CSV.

Time saved per use is metrics.time_saved_ms at the agent's own typing speeds (from the export's
meta line), the same rule as `quickreply stats`: a pick slower than typing shows as time lost.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from quickreply.core.errors import ValidationError
from quickreply.core.library.atomic import atomic_write_bytes
from quickreply.core.library.model import now_iso
from quickreply.core.library.settings import Settings
from quickreply.core.packs.format import semver_key
from quickreply.core.usage.csv_cells import spreadsheet_safe
from quickreply.core.usage.event import UsageEvent
from quickreply.core.usage.export import read_export_lines
from quickreply.core.usage.metrics import percentile, time_saved_ms
from quickreply.core.usage.team_report_html import render_html

CSV_COLUMNS = (
    "section",
    "agent",
    "agent_id",
    "pack_id",
    "snippet_id",
    "title",
    "category",
    "uses",
    "time_saved_min",
    "median_pick_ms",
    "share_pct",
    "rank",
)


@dataclass(frozen=True)
class AgentExport:
    """One agent's usage export, as read from their JSON Lines file."""

    agent: str
    meta: dict[str, Any]
    events: list[UsageEvent]
    skipped: int = 0  # malformed use/reply lines left out
    problems: list[str] = field(default_factory=list)
    source: str = ""  # the file name, for notes

    @property
    def agent_key(self) -> tuple[str, str]:
        """Who this is: the installation's agent id with the name (a cloned disk image copies
        the id, so two names on one id are two agents); exports without an id use the name."""
        return (str(self.meta.get("agent_id") or ""), self.agent)


@dataclass(frozen=True)
class AgentRow:
    """One agent's figures."""

    agent: str  # the name shown; agents sharing a name get their id's start added
    uses: int
    time_saved_min: float
    median_pick_ms: float | None
    palette_uses: int
    agent_id: str = ""


@dataclass(frozen=True)
class SnippetUse:
    """How often one snippet of a pack was used across the team."""

    snippet_id: str
    title: str
    category: str
    uses: int


@dataclass
class PackUsage:
    """A pack's snippets ranked by use, and the ones nobody used."""

    pack_id: str
    version: str
    ranking: list[SnippetUse] = field(default_factory=list)
    never_used: list[SnippetUse] = field(default_factory=list)


@dataclass(frozen=True)
class CategoryShare:
    """A category's share of all uses."""

    category: str
    uses: int
    share: float


@dataclass
class TeamReport:
    """Everything a team report shows."""

    agents: list[AgentRow]
    packs: list[PackUsage]
    categories: list[CategoryShare]
    first_use: str | None
    last_use: str | None
    generated: str = field(default_factory=now_iso)
    skipped_lines: int = 0  # malformed export lines left out of every figure
    skip_problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # files or uses counted once, said so

    @property
    def total_uses(self) -> int:
        """All uses of all agents."""
        return sum(a.uses for a in self.agents)

    @property
    def total_saved_min(self) -> float:
        """All minutes saved by all agents."""
        return sum(a.time_saved_min for a in self.agents)


def read_exports(paths: Sequence[Path]) -> list[AgentExport]:
    """Read the agents' JSON Lines exports; raise ValidationError naming the file and line."""
    if not paths:
        raise ValidationError("give at least one usage export (.jsonl) file")
    exports = []
    for path in paths:
        content = read_export_lines(Path(path))
        agent = str(content.meta.get("agent") or Path(path).stem)
        exports.append(
            AgentExport(
                agent,
                content.meta,
                content.events,
                content.skipped,
                content.problems,
                Path(path).name,
            )
        )
    return exports


def build_report(exports: Iterable[AgentExport]) -> TeamReport:
    """Return the team figures of `exports`, grouped by agent id and name.

    Two exports of the same agent are added up; a use found in more than one file (the same file
    given twice, or overlapping exports) is counted once, and the report's notes say so.
    """
    exports = list(exports)
    tally = TeamTally()
    seen: dict[tuple[Any, ...], str] = {}  # a use's identity -> the file it was counted from
    for export in exports:
        agent = export.agent_key
        settings = tally.add_meta(agent, export.meta)
        repeated: Counter[str] = Counter()
        counted: dict[tuple[Any, ...], str] = {}
        for event in export.events:
            identity = (*agent, event.session_id, event.ts_ms, event.snippet_id, event.trigger)
            if identity in seen:  # counted from an earlier file (one file's own uses all count)
                repeated[seen[identity]] += 1
                continue
            counted[identity] = export.source
            tally.add_event(agent, event, settings)
        seen.update(counted)
        tally.notes.extend(
            f"{export.source}: {count} uses already counted from {earlier}; counted once"
            for earlier, count in repeated.items()
        )
    tally.skipped_lines = sum(e.skipped for e in exports)
    tally.skip_problems = [p for e in exports for p in e.problems][:3]
    return tally.report()


AgentKey = tuple[str, str]  # (agent id, name); the id is "" for exports made without one


class TeamTally:
    """Running totals of a team report, fed one export (or one summarised day) at a time.

    Agents are keyed by (agent id, name): a cloned disk image copies the id, so two names on one
    id are two agents, and two agents of one name are told apart by their ids.
    """

    def __init__(self) -> None:
        self.saved: dict[AgentKey, float] = defaultdict(float)
        self.uses: Counter[AgentKey] = Counter()
        self.picks: dict[AgentKey, list[float]] = defaultdict(list)
        self.by_snippet: Counter[str] = Counter()
        self.by_category: Counter[str] = Counter()
        self.info: dict[str, dict[str, Any]] = {}
        self.versions: dict[str, str] = {}
        self.first: int | None = None
        self.last: int | None = None
        self.skipped_lines = 0
        self.skip_problems: list[str] = []
        self.notes: list[str] = []

    def add_meta(self, agent: AgentKey, meta: dict[str, Any]) -> Settings:
        """Note an export's library and agent; return the typing speeds its events count at."""
        self.add_library(agent, meta)
        return Settings(
            typing_speed_cjk_cpm=int(meta.get("typing_speed_cjk_cpm") or 50),
            typing_speed_latin_wpm=int(meta.get("typing_speed_latin_wpm") or 40),
        )

    def add_library(self, agent: AgentKey, meta: dict[str, Any]) -> None:
        """Note an export's library and agent (its uses come summed: no typing speeds needed)."""
        info = self.info
        for item in meta.get("snippets") or []:
            if isinstance(item, dict) and item.get("id"):
                known = info.get(str(item["id"]))
                if known is not None and known.get("pack_version") == item.get("pack_version"):
                    continue  # seen in an earlier export: nothing new (keeps 27,000 days fast)
                info.setdefault(str(item["id"]), item)
                _note_version(self.versions, item.get("pack_id"), item.get("pack_version"))
        self.uses[agent] += 0  # an agent with an empty export still gets a row

    def add_event(self, agent: AgentKey, event: UsageEvent, settings: Settings) -> None:
        """Count one use."""
        picks = [event.pick_ms] if event.pick_ms is not None else []
        self.add_uses(agent, 1, time_saved_ms(event, settings), picks, event.ts_ms, event.ts_ms)
        self.add_snippet(event.snippet_id, event.category, 1)

    def add_uses(
        self,
        agent: AgentKey,
        uses: int,
        saved_ms: float,
        picks: list[float],
        first: int | None,
        last: int | None,
    ) -> None:
        """Count `uses` of an agent with their time saved, pick times and first and last time."""
        self.uses[agent] += uses
        self.saved[agent] += saved_ms
        self.picks[agent].extend(picks)
        if first is not None:
            self.first = first if self.first is None else min(self.first, first)
        if last is not None:
            self.last = last if self.last is None else max(self.last, last)

    def add_snippet(self, snippet_id: str, category: str | None, uses: int) -> None:
        """Count `uses` of a snippet (and of its category)."""
        self.by_snippet[snippet_id] += uses
        meta_item = self.info.get(snippet_id, {})
        name = meta_item.get("category_name") or category or meta_item.get("category")
        self.by_category[str(name or "—")] += uses

    def report(self) -> TeamReport:
        """Return the report of everything added; agents sharing a name get their id's start."""
        names = Counter(name for _id, name in self.uses)
        agents = [
            AgentRow(
                name if names[name] == 1 or not agent_id else f"{name} ({agent_id[:6]})",
                count,
                self.saved[(agent_id, name)] / 60_000,
                percentile(self.picks[(agent_id, name)], 0.5),
                len(self.picks[(agent_id, name)]),
                agent_id,
            )
            for (agent_id, name), count in sorted(
                self.uses.items(), key=lambda kv: (-kv[1], kv[0][1])
            )
        ]
        total = sum(self.by_category.values())
        categories = [
            CategoryShare(name, count, count / total)
            for name, count in sorted(self.by_category.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
        return TeamReport(
            agents,
            _pack_usage(self.info, self.versions, self.by_snippet),
            categories,
            _iso(self.first),
            _iso(self.last),
            skipped_lines=self.skipped_lines,
            skip_problems=self.skip_problems,
            notes=self.notes,
        )


def _note_version(versions: dict[str, str], pack_id: Any, version: Any) -> None:
    if not pack_id or not isinstance(version, str) or versions.get(pack_id) == version:
        return
    try:
        newer = pack_id not in versions or semver_key(version) > semver_key(versions[pack_id])
    except ValidationError:
        return
    if newer:
        versions[str(pack_id)] = version


def _pack_usage(
    info: dict[str, dict[str, Any]], versions: dict[str, str], by_snippet: Counter[str]
) -> list[PackUsage]:
    packs: dict[str, PackUsage] = {}
    for sid, item in info.items():
        pack_id = item.get("pack_id")
        if not pack_id:
            continue
        pack = packs.setdefault(pack_id, PackUsage(pack_id, versions.get(pack_id, "")))
        use = SnippetUse(
            sid,
            str(item.get("title") or sid),
            str(item.get("category_name") or ""),
            by_snippet[sid],
        )
        if use.uses:
            pack.ranking.append(use)
        elif item.get("pack_version") in (None, pack.version):
            # only the newest version's snippets can be "never used"; older ones were replaced
            pack.never_used.append(use)
    for pack in packs.values():
        pack.ranking.sort(key=lambda u: (-u.uses, u.title))
        pack.never_used.sort(key=lambda u: u.title)
    return sorted(packs.values(), key=lambda p: (-sum(u.uses for u in p.ranking), p.pack_id))


def _iso(ts_ms: int | None) -> str | None:
    if ts_ms is None:
        return None
    return datetime.fromtimestamp(ts_ms / 1000, tz=timezone.utc).replace(microsecond=0).isoformat()


def report_csv(report: TeamReport) -> str:
    """Return the report as one CSV table; the `section` column says which figure a row is."""
    buffer = io.StringIO()
    writer = _SafeWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for a in report.agents:
        writer.writerow(
            {
                "section": "agent",
                "agent": a.agent,
                "agent_id": a.agent_id,
                "uses": a.uses,
                "time_saved_min": f"{a.time_saved_min:.1f}",
                "median_pick_ms": "" if a.median_pick_ms is None else f"{a.median_pick_ms:.0f}",
            }
        )
    for pack in report.packs:
        for rank, use in enumerate(pack.ranking, start=1):
            writer.writerow(_snippet_row("snippet", pack.pack_id, use, rank))
        for use in pack.never_used:
            writer.writerow(_snippet_row("never_used", pack.pack_id, use, None))
    for c in report.categories:
        writer.writerow(
            {
                "section": "category",
                "category": c.category,
                "uses": c.uses,
                "share_pct": f"{c.share * 100:.1f}",
            }
        )
    return buffer.getvalue()


class _SafeWriter(csv.DictWriter):
    """A DictWriter whose text cells a spreadsheet never evaluates as formulas."""

    def writerow(self, rowdict: Mapping[str, Any]) -> Any:
        return super().writerow({k: spreadsheet_safe(v) for k, v in rowdict.items()})


def _snippet_row(section: str, pack_id: str, use: SnippetUse, rank: int | None) -> dict[str, Any]:
    return {
        "section": section,
        "pack_id": pack_id,
        "snippet_id": use.snippet_id,
        "title": use.title,
        "category": use.category,
        "uses": use.uses,
        "rank": rank or "",
    }


def write_team_report(
    inputs: Sequence[Path], output: Path, fmt: str = "html", title: str = ""
) -> TeamReport:
    """Read the exports, build the report and write it to `output` as "html" or "csv"."""
    report = build_report(read_exports(inputs))
    if fmt == "csv":
        # UTF-8 with BOM so that Excel on Chinese Windows shows the titles
        atomic_write_bytes(Path(output), report_csv(report).encode("utf-8-sig"), shared=True)
    elif fmt == "html":
        atomic_write_bytes(Path(output), render_html(report, title).encode("utf-8"), shared=True)
    else:
        raise ValidationError(f"unknown report format '{fmt}' (use html or csv)")
    return report
