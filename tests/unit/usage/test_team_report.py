"""Team report figures from agents' usage exports, and the HTML and CSV outputs."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from quickreply.core.errors import ValidationError
from quickreply.core.library.model import Snippet
from quickreply.core.library.settings import Settings
from quickreply.core.usage.event import UsageEvent
from quickreply.core.usage.export import export_meta, write_jsonl
from quickreply.core.usage.team_report import (
    AgentExport,
    build_report,
    read_exports,
    report_csv,
    write_team_report,
)
from quickreply.core.usage.team_report_html import render_html
from tests.unit.usage_samples import write_sample_exports

SNIPPETS = [
    Snippet(id="p/a", title="欢迎语", body="x", category="p/c1", pack_id="p", pack_version="1.0.0"),
    Snippet(id="p/b", title="催付", body="x", category="p/c2", pack_id="p", pack_version="1.0.0"),
    Snippet(
        id="p/never", title="从没用过", body="x", category="p/c2", pack_id="p", pack_version="1.0.0"
    ),
]


def export(agent, events, cpm=50):
    meta = export_meta(SNIPPETS, [], Settings(typing_speed_cjk_cpm=cpm), agent, None)
    meta["snippets"][0]["category_name"] = "问候"
    meta["snippets"][1]["category_name"] = "催付"
    meta["snippets"][2]["category_name"] = "催付"
    return AgentExport(agent, meta, events)


def use(sid, cjk=50, pick=None, inject=100.0, ts=1_767_225_600_000):
    return UsageEvent(
        ts_ms=ts,
        snippet_id=sid,
        trigger="palette" if pick else "hotkey",
        chars=cjk,
        inject_ms=inject,
        pick_ms=pick,
        cjk_chars=cjk,
        latin_chars=0,
    )


def test_agent_figures_use_the_agents_speed_and_the_stats_window_time_saved_rule():
    report = build_report(
        [
            export("小王", [use("p/a", pick=1_000), use("p/a", pick=3_000), use("p/b")]),
            # typing 1 CJK char at 50 cpm takes 1.2 s; a 5 s pick cost time, shown as such
            export("小李", [use("p/b", cjk=1, pick=5_000)]),
        ]
    )
    wang, li = report.agents
    assert (wang.agent, wang.uses, wang.median_pick_ms, wang.palette_uses) == ("小王", 3, 2_000, 2)
    # 3 uses x 50 CJK chars at 50 cpm = 3 min, minus 1 s + 3 s picks and 0.3 s injects
    assert wang.time_saved_min == pytest.approx(3 - 4.3 / 60)
    assert li.time_saved_min == pytest.approx((1.2 - 5.0 - 0.1) / 60)  # same rule as `stats`
    assert report.total_uses == 4


def test_pack_ranking_never_used_and_category_share():
    report = build_report([export("小王", [use("p/a"), use("p/a"), use("p/b")])])
    [pack] = report.packs
    assert [(u.snippet_id, u.uses) for u in pack.ranking] == [("p/a", 2), ("p/b", 1)]
    assert [u.title for u in pack.never_used] == ["从没用过"]
    assert [(c.category, c.uses) for c in report.categories] == [("问候", 2), ("催付", 1)]
    assert sum(c.share for c in report.categories) == pytest.approx(1)


def test_csv_has_one_section_per_figure():
    report = build_report([export("小王", [use("p/a"), use("p/b", pick=800)])])
    rows = list(csv.DictReader(io.StringIO(report_csv(report))))
    sections = {r["section"] for r in rows}
    assert sections == {"agent", "snippet", "never_used", "category"}
    agent = next(r for r in rows if r["section"] == "agent")
    assert (agent["agent"], agent["uses"], agent["median_pick_ms"]) == ("小王", "2", "800")


def test_html_is_self_contained_and_escapes_titles():
    hostile = Snippet(id="p/x", title="</script><b>x", body="x", pack_id="p", pack_version="1.0.0")
    meta = export_meta([hostile], [], Settings(), "A&B", None)
    page = render_html(build_report([AgentExport("A&B", meta, [use("p/x")])]))
    assert "Chart.js v4" in page
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=|url\(", page)
    assert "</script><b>" not in page
    assert "A&amp;B" in page
    data = page.split('id="report-data">', 1)[1].split("</script>", 1)[0]
    assert json.loads(data)["agents"]["names"] == ["A&B"]


def test_write_from_export_files_in_both_formats(tmp_path):
    paths = write_sample_exports(tmp_path)
    report = write_team_report(paths, tmp_path / "r.html")
    assert [a.agent for a in report.agents] == ["小王", "小李", "小张"]
    assert report.packs[0].never_used
    assert (tmp_path / "r.html").read_text("utf-8").startswith("<!DOCTYPE html>")
    write_team_report(paths, tmp_path / "r.csv", "csv")
    assert (tmp_path / "r.csv").read_bytes().startswith(b"\xef\xbb\xbfsection,agent")


def test_bad_input_is_named(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"type":"use"}\n', "utf-8")
    with pytest.raises(ValidationError, match="bad.jsonl line 1"):
        read_exports([bad])
    with pytest.raises(ValidationError, match="at least one"):
        read_exports([])
    good = tmp_path / "good.jsonl"
    write_jsonl(good, export("x", []).meta, [], [])
    with pytest.raises(ValidationError, match="unknown report format"):
        write_team_report([good], tmp_path / "r.pdf", "pdf")
