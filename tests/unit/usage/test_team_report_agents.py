"""Team reports tell agents apart by their installation's id and count a use given twice once."""

from __future__ import annotations

from dataclasses import replace

from quickreply.core.library.agent import ensure_agent_id
from quickreply.core.library.settings import Settings, load_settings
from quickreply.core.library.store import LibraryStore
from quickreply.core.packs.defaults import open_library
from quickreply.core.usage.export import export_meta, jsonl_export, write_jsonl
from quickreply.core.usage.team_report import build_report, read_exports, write_team_report
from tests.unit.usage.test_team_report import SNIPPETS, use


def write_export(path, agent, agent_id, events):
    meta = export_meta(SNIPPETS, [], Settings(agent_id=agent_id), agent, None)
    write_jsonl(path, meta, events, [])
    return path


def test_agent_id_is_random_stable_and_made_on_first_run(tmp_path):
    store = open_library(tmp_path / "library.json")
    first = load_settings(store).agent_id
    assert len(first) == 16
    assert ensure_agent_id(store) == first
    assert ensure_agent_id(LibraryStore(tmp_path / "other.json")) != first


def test_use_lines_carry_the_session_and_installation_ids():
    meta = export_meta(SNIPPETS, [], Settings(agent_id="abc123"), "小王", None)
    data, _count = jsonl_export(meta, [replace(use("p/a"), session_id="s1")], [])
    line = data.decode().splitlines()[1]
    assert '"session_id":"s1"' in line and '"installation_id":"abc123"' in line


def test_agents_with_the_same_os_user_are_kept_apart_by_id(tmp_path):
    paths = [
        write_export(tmp_path / f"{n}.jsonl", "shop", f"id{n}", [use("p/a", ts=1000 + n)])
        for n in range(3)
    ]
    report = build_report(read_exports(paths))
    assert len(report.agents) == 3
    assert {a.agent_id for a in report.agents} == {"id0", "id1", "id2"}
    assert all(a.agent.startswith("shop (") for a in report.agents)


def test_named_agents_show_their_names(tmp_path):
    paths = [
        write_export(tmp_path / "a.jsonl", "小王", "id-a", [use("p/a")]),
        write_export(tmp_path / "b.jsonl", "小李", "id-b", [use("p/a")]),
    ]
    assert sorted(a.agent for a in build_report(read_exports(paths)).agents) == ["小李", "小王"]


def test_the_same_file_given_twice_is_counted_once_and_said(tmp_path):
    path = write_export(
        tmp_path / "wang.jsonl", "小王", "id-a", [use("p/a", ts=1), use("p/b", ts=2)]
    )
    report = write_team_report([path, path], tmp_path / "r.csv", "csv")
    [wang] = report.agents
    assert wang.uses == 2
    assert report.notes == ["wang.jsonl: 2 uses already counted from wang.jsonl; counted once"]


def test_overlapping_exports_of_one_agent_count_each_use_once(tmp_path):
    week = write_export(
        tmp_path / "week.jsonl", "小王", "id-a", [use("p/a", ts=1), use("p/b", ts=2)]
    )
    month = write_export(
        tmp_path / "month.jsonl",
        "小王",
        "id-a",
        [use("p/a", ts=1), use("p/b", ts=2), use("p/a", ts=3)],
    )
    report = build_report(read_exports([week, month]))
    assert report.agents[0].uses == 3
    assert report.notes == ["month.jsonl: 2 uses already counted from week.jsonl; counted once"]
