"""Hostile usage exports and team reports (issue 13, item 18): data in the page cannot break out
of its script, CSV cells are never formulas, bad export lines are skipped and counted."""

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
from quickreply.core.usage.export import csv_export, export_meta, read_export_lines, write_jsonl
from quickreply.core.usage.team_report import (
    AgentExport,
    build_report,
    report_csv,
    write_team_report,
)
from quickreply.core.usage.team_report_html import render_html
from tests.hostile import tried

SNIPPETS = [Snippet(id="p/a", title='=HYPERLINK("x")', body="x", category="p/c", pack_id="p")]
HOSTILE_NAMES = [
    "<!--<script>",
    "</script><script>alert(1)</script>",
    "]]><!--",
    "\u2028\u2029",
    "&lt;&amp;",
]


def use(ts: int = 1_767_225_600_000) -> UsageEvent:
    return UsageEvent(ts_ms=ts, snippet_id="p/a", trigger="hotkey", chars=5, inject_ms=10.0)


def meta(agent: str) -> dict:
    return export_meta(SNIPPETS, [], Settings(), agent, None)


@pytest.mark.parametrize("agent", HOSTILE_NAMES)
def test_agent_names_cannot_break_out_of_the_page_data(agent):
    tried("usage")
    page = render_html(build_report([AgentExport(agent, meta(agent), [use()])]))
    data = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', page, re.S)
    assert data is not None
    payload = data.group(1)
    assert "<" not in payload and ">" not in payload and "&" not in payload
    assert agent in json.loads(payload).__repr__() or json.loads(payload)  # still the same data
    assert agent in json.dumps(json.loads(payload), ensure_ascii=False)


@pytest.mark.parametrize("cell", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=x", "\r=x"])
def test_csv_cells_are_never_formulas(cell, tmp_path):
    tried("usage")
    report = build_report([AgentExport(cell, meta(cell), [use()])])
    rows = list(csv.reader(io.StringIO(report_csv(report))))
    assert all(not c.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for c in row)
    assert ["agent", "'" + cell] == [rows[1][0], rows[1][1]] or "'" + cell in rows[1]
    data, _count = csv_export([UsageEvent(**{**use().to_dict(), "snippet_id": cell})])
    text = data.decode("utf-8-sig")
    assert "'" + cell in text


BAD_LINES = {
    "huge timestamp": '{"type":"use","ts_ms":1000000000000000000000000000000,"snippet_id":"p/a","trigger":"hotkey","chars":1,"inject_ms":1}',
    "negative timestamp": '{"type":"use","ts_ms":-1000000000000000,"snippet_id":"p/a","trigger":"hotkey","chars":1,"inject_ms":1}',
    "5000 digits": '{"type":"use","ts_ms":' + "9" * 5000 + "}",
    "deep": '{"type":"use","x":' + "[" * 10_000 + "]" * 10_000 + "}",
    "1e999": '{"type":"use","ts_ms":1,"snippet_id":"p/a","trigger":"hotkey","chars":1,"inject_ms":1e999}',
    "NaN": '{"type":"use","ts_ms":1,"snippet_id":"p/a","trigger":"hotkey","chars":1,"inject_ms":NaN}',
    "string ts": '{"type":"use","ts_ms":"now","snippet_id":"p/a","trigger":"hotkey","chars":1,"inject_ms":1}',
    "list": "[1,2,3]",
    "garbage": "{{{{",
    "reply": '{"type":"reply","ts_ms":1,"compose_ms":"fast","used_snippet":true}',
    "long": '{"type":"use","snippet_id":"' + "x" * 200_000 + '"}',
}


def test_bad_export_lines_are_skipped_counted_and_said(tmp_path):
    tried("usage", len(BAD_LINES))
    path = tmp_path / "agent.jsonl"
    write_jsonl(path, meta("A"), [use(), use()], [])
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\n".join(BAD_LINES.values()) + "\n")
    content = read_export_lines(path)
    assert len(content.events) == 2 and content.skipped == len(BAD_LINES)
    assert len(content.problems) == 3 and all("agent.jsonl line" in p for p in content.problems)
    report = write_team_report([path], tmp_path / "r.html")
    assert report.total_uses == 2 and report.skipped_lines == len(BAD_LINES)


@pytest.mark.parametrize(
    "field,value",
    [("typing_speed_cjk_cpm", "fast"), ("typing_speed_latin_wpm", 1e308), ("agent", 5)],
)
def test_a_bad_meta_line_is_a_clear_refusal(tmp_path, field, value):
    tried("usage")
    data = meta("A")
    data[field] = value
    path = tmp_path / "agent.jsonl"
    path.write_text(json.dumps(data) + "\n")
    with pytest.raises(ValidationError, match=field):
        write_team_report([path], tmp_path / "r.html")
    assert not (tmp_path / "r.html").exists()
