"""The usage export (docs/usage-export.md): exact meta line, round trip, CSV, malformed lines."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from quickreply import __version__
from quickreply.core.errors import ValidationError
from quickreply.core.library.agent import agent_display_name
from quickreply.core.library.model import Category, Snippet
from quickreply.core.library.settings import Settings
from quickreply.core.usage.event import EVENT_FIELDS, ReplySample, UsageEvent
from quickreply.core.usage.export import (
    csv_export,
    export_meta,
    read_usage_export,
    write_jsonl,
)

EVENTS = [
    UsageEvent(1_740_000_000_000, "qr-zh/greet", "palette", 12, 85.0, "qr-default-zh", "1.2.0",
               "qr-zh/pre-sales", 3, 1500.0, "chrome", None, "sess-1", 10, 2),
    UsageEvent(1_740_000_060_000, "s-3f9a2c1b", "hotkey", 5, 60.0),
]  # fmt: skip
REPLIES = [ReplySample(1_740_000_100_000, 12_000, True, "chrome")]


def meta() -> dict:
    return export_meta(
        [
            Snippet("qr-zh/greet", "欢迎语", "亲，您好", category="qr-zh/pre-sales",
                    pack_id="qr-default-zh", pack_version="1.2.0"),
            Snippet("s-3f9a2c1b", "My note", "hello"),
        ],
        [Category("qr-zh/pre-sales", "售前")],
        Settings(typing_speed_cjk_cpm=60),
        "小王",
        None,
    )  # fmt: skip


def test_meta_line_has_exactly_the_agreed_fields():
    data = meta()
    assert set(data) == {
        "type", "format", "agent", "agent_id", "exported", "since", "app_version",
        "typing_speed_cjk_cpm", "typing_speed_latin_wpm", "snippets",
    }  # fmt: skip
    assert (data["type"], data["format"], data["agent"]) == ("meta", "quickreply-usage/1", "小王")
    assert data["since"] is None
    assert data["app_version"] == __version__
    assert (data["typing_speed_cjk_cpm"], data["typing_speed_latin_wpm"]) == (60, 40)
    assert data["exported"].endswith("+00:00")
    assert data["snippets"][0] == {
        "id": "qr-zh/greet",
        "title": "欢迎语",
        "category": "qr-zh/pre-sales",
        "category_name": "售前",
        "pack_id": "qr-default-zh",
        "pack_version": "1.2.0",
    }
    assert data["snippets"][1]["category_name"] == ""


def test_jsonl_round_trip(tmp_path: Path):
    path = tmp_path / "usage.jsonl"
    assert write_jsonl(path, meta(), EVENTS, REPLIES) == 2
    lines = path.read_text(encoding="utf-8").splitlines()
    assert "欢迎语" in lines[0]  # Chinese kept readable, not \u-escaped
    assert json.loads(lines[1]) == {"type": "use", **EVENTS[0].to_dict()}
    assert json.loads(lines[3]) == {
        "type": "reply",
        "ts_ms": 1_740_000_100_000,
        "compose_ms": 12_000,
        "used_snippet": True,
        "target_app": "chrome",
    }
    read_meta, events, replies = read_usage_export(path)
    assert read_meta == meta() | {"exported": read_meta["exported"]}
    assert events == EVENTS
    assert replies == [REPLIES[0].to_dict()]


def test_csv_has_one_row_per_event_under_the_field_names(tmp_path: Path):
    path = tmp_path / "usage.csv"
    data, count = csv_export(EVENTS, "a1b2")
    assert count == 2
    path.write_bytes(data)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel then reads UTF-8
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == (*EVENT_FIELDS, "installation_id")
    assert rows[1][-1] == "a1b2"
    assert rows[1][:5] == ["1740000000000", "qr-zh/greet", "palette", "12", "85.0"]
    assert rows[2][EVENT_FIELDS.index("pick_ms")] == ""
    assert len(rows) == 3


def write_lines(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


META = json.dumps({"type": "meta", "format": "quickreply-usage/1", "agent": "a", "snippets": []})
USE = '{"type":"use","ts_ms":1,"snippet_id":"s","trigger":"hotkey","chars":3,"inject_ms":5}'


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        ('{"type":"use","ts_ms":1', "line 3: not valid JSON"),
        ('{"type":"use","ts_ms":1,"trigger":"hotkey","chars":3,"inject_ms":5}', "without 'snippet_id'"),
        ('{"type":"use","ts_ms":"1","snippet_id":"s","trigger":"t","chars":3,"inject_ms":5}', "'ts_ms' must be int"),
        ('{"type":"reply","ts_ms":1,"compose_ms":5}', "line 3: reply line without 'used_snippet'"),
        ('{"type":"reply","ts_ms":1,"compose_ms":5,"used_snippet":1}', "'used_snippet' must be bool"),
        ("[1, 2]", "line 3: expected a JSON object"),
        (META, "line 3: a second meta line"),
    ],
)  # fmt: skip
def test_malformed_lines_are_reported_with_their_number(
    tmp_path: Path, bad_line: str, message: str
):
    path = write_lines(tmp_path, META, USE, bad_line)
    with pytest.raises(ValidationError, match=message):
        read_usage_export(path)


def test_first_line_must_be_a_meta_line_of_a_known_format(tmp_path: Path):
    with pytest.raises(ValidationError, match="line 1: the first line must be the meta line"):
        read_usage_export(write_lines(tmp_path, USE))
    newer = META.replace("quickreply-usage/1", "quickreply-usage/2")
    with pytest.raises(ValidationError, match="newer than this QuickReply reads"):
        read_usage_export(write_lines(tmp_path, newer))
    with pytest.raises(ValidationError, match="no meta line"):
        read_usage_export(write_lines(tmp_path, ""))


def test_blank_lines_and_unknown_line_types_are_skipped(tmp_path: Path):
    path = write_lines(tmp_path, META, "", '{"type":"note","text":"later"}', USE)
    _, events, replies = read_usage_export(path)
    assert [e.snippet_id for e in events] == ["s"]
    assert events[0].inject_ms == 5.0
    assert replies == []


def test_agent_name_prefers_the_setting():
    assert agent_display_name(Settings(agent_name="小王")) == "小王"
    assert agent_display_name(Settings()) != ""
