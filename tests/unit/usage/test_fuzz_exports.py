"""Fuzzing the usage-export reader (issue 13): any file gives its good lines with a count of the
skipped ones, or a clear error; never another exception."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quickreply.core.library.settings import Settings
from quickreply.core.usage.export import export_meta, read_export_lines
from quickreply.core.usage.team_report import build_report, read_exports, report_csv
from quickreply.core.usage.team_report_html import render_html
from tests.fuzz import JSON_VALUES, bounded, mutated

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
META = export_meta([], [], Settings(), "A", None)
USE = {"type": "use", "ts_ms": 1_767_225_600_000, "snippet_id": "p/a", "trigger": "hotkey",
       "chars": 5, "inject_ms": 10.0}  # fmt: skip


@FUZZ
@given(st.lists(st.one_of(mutated(USE), JSON_VALUES), max_size=6), mutated(META))
def test_any_export_reads_or_is_refused(tmp_path_factory, lines, meta):
    path = tmp_path_factory.mktemp("exp") / "agent.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in [meta, *lines]), encoding="utf-8")

    def read_and_report() -> None:
        read_export_lines(path)
        report = build_report(read_exports([path]))
        render_html(report)
        report_csv(report)

    bounded("usage", read_and_report)


@FUZZ
@given(st.text(max_size=300))
def test_random_text_as_an_export(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("exp") / "agent.jsonl"
    path.write_text(json.dumps(META) + "\n" + text, encoding="utf-8")
    bounded("usage", lambda: read_export_lines(path))
