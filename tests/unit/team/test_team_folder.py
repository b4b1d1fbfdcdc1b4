"""Team drop in a real local folder: two agents' usage published and merged into one report."""

from __future__ import annotations

import json
import shutil
from datetime import date

from quickreply.core.team.drop import FolderDrop
from quickreply.core.team.outbox import Outbox
from quickreply.core.team.report import build_drop_report, write_drop_report
from quickreply.core.usage.export import read_usage_export
from quickreply.core.usage.team_report import AgentExport, build_report
from tests.unit.team.agents import make_agent


def uses_by_agent(drop):
    result = build_drop_report(drop)
    return {a.agent: a.uses for a in result.report.agents}, result


def test_two_agents_reach_one_report_with_exact_counts(tmp_path, monkeypatch):
    drop = FolderDrop(tmp_path / "drop")
    drop.root.mkdir()
    wang, li = make_agent(tmp_path, monkeypatch, "小王"), make_agent(tmp_path, monkeypatch, "小李")
    wang.use(3)
    li.use(5)
    li.reply(10_000)
    li.reply(40_000)
    assert wang.publish(drop).sent == [f"{wang.agent_id}/{date.today().isoformat()}.jsonl"]
    assert len(li.publish(drop).sent) == 1
    counts, result = uses_by_agent(drop)
    assert counts == {wang.label: 3, li.label: 5}
    assert result.report.total_uses == 8
    assert result.counts.read == 2 and result.counts.skipped == 0
    assert result.within(li.label) == [0.5, 0.5, 1.0]  # 15 s, 30 s, 3 min
    assert result.within(wang.label) is None  # no reply-speed tracking: no share shown
    assert result.trends[li.label] == {date.today(): 5}


def test_republished_day_replaces_the_old_file_and_unchanged_days_are_not_resent(
    tmp_path, monkeypatch
):
    drop = FolderDrop(tmp_path / "drop")
    drop.root.mkdir()
    wang = make_agent(tmp_path, monkeypatch, "小王")
    wang.use(2)
    wang.publish(drop)
    again = wang.publish(drop)
    assert again.sent == [] and again.unchanged == 1
    wang.use(3)
    assert len(wang.publish(drop).sent) == 1
    assert [p.name for p in (drop.root / wang.agent_id).iterdir()] == [
        f"{date.today().isoformat()}.jsonl"
    ]
    counts, _ = uses_by_agent(drop)
    assert counts == {wang.label: 5}


def test_outbox_keeps_the_day_while_the_folder_is_unreachable(tmp_path, monkeypatch):
    drop = FolderDrop(tmp_path / "share")  # the shared drive is not mounted yet
    wang = make_agent(tmp_path, monkeypatch, "小王")
    wang.use(4)
    failed = wang.publish(drop)
    assert failed.sent == [] and "not reachable" in (failed.error or "")
    outbox = Outbox.load(wang.home / "team_outbox.json")
    assert outbox.days() == [date.today().isoformat()]
    assert outbox.failures == 1 and outbox.next_try_ms > 0 and outbox.last_success is None
    wang.use(1)  # used while the drive was away
    drop.root.mkdir()
    assert len(wang.publish(drop).sent) == 1
    outbox = Outbox.load(wang.home / "team_outbox.json")
    assert outbox.days() == [] and outbox.failures == 0 and outbox.last_success
    counts, _ = uses_by_agent(drop)
    assert counts == {wang.label: 5}


def test_wrong_agent_unparsable_and_temp_files_are_skipped_and_counted(tmp_path, monkeypatch):
    drop = FolderDrop(tmp_path / "drop")
    drop.root.mkdir()
    wang = make_agent(tmp_path, monkeypatch, "小王")
    wang.use(2)
    wang.publish(drop)
    own = drop.root / wang.agent_id / f"{date.today().isoformat()}.jsonl"
    impostor = drop.root / "ffffffffffff"
    impostor.mkdir()
    shutil.copy(own, impostor / "2026-01-05.jsonl")  # claims to be someone else's
    (drop.root / wang.agent_id / "2026-01-04.jsonl").write_text("{not json\n", encoding="utf-8")
    (drop.root / wang.agent_id / ".2026-01-03.jsonl.ab12.tmp").write_bytes(own.read_bytes()[:50])
    out = tmp_path / "report.html"
    result = write_drop_report(drop, out)
    assert result.report.total_uses == 2
    assert (result.counts.read, result.counts.wrong_agent, result.counts.unparsable) == (1, 1, 1)
    page = out.read_text(encoding="utf-8")
    assert 'id="drop-footer"' in page and "1 day files read" in page
    csv_out = tmp_path / "report.csv"
    write_drop_report(drop, csv_out, "csv")
    text = csv_out.read_text(encoding="utf-8-sig")
    # the report's CSV has main's agent_id column after agent
    assert "files,,,,,wrong_agent" in text and "trend," in text


def test_day_file_holds_ids_and_timings_never_text(tmp_path, monkeypatch):
    drop = FolderDrop(tmp_path / "drop")
    drop.root.mkdir()
    wang = make_agent(tmp_path, monkeypatch, "小王")
    wang.use(2, title="买家张三 - 千牛")  # a window title naming a buyer
    wang.publish(drop)
    data = next((drop.root / wang.agent_id).iterdir()).read_text(encoding="utf-8")
    assert "张三" not in data
    bodies = [s.body for s in wang.store.snippets() if len(s.body) > 8]
    assert bodies and not any(body in data for body in bodies)
    meta = json.loads(data.splitlines()[0])
    assert meta["agent_id"] == wang.agent_id and meta["agent"] == "小王"
    assert meta["format"] == "quickreply-usage/1"


def test_since_and_agent_filters(tmp_path, monkeypatch):
    drop = FolderDrop(tmp_path / "drop")
    drop.root.mkdir()
    wang, li = make_agent(tmp_path, monkeypatch, "小王"), make_agent(tmp_path, monkeypatch, "小李")
    wang.use(1)
    li.use(2)
    wang.publish(drop)
    li.publish(drop)
    only_li = build_drop_report(drop, agents={li.agent_id})
    assert [(a.agent, a.uses) for a in only_li.report.agents] == [(li.label, 2)]
    future = build_drop_report(drop, since=date(2999, 1, 1))
    assert future.report.total_uses == 0 and future.counts.read == 0


def test_summary_line_gives_the_same_report_as_reading_every_event(tmp_path, monkeypatch):
    drop = FolderDrop(tmp_path / "drop")
    drop.root.mkdir()
    wang, li = make_agent(tmp_path, monkeypatch, "小王"), make_agent(tmp_path, monkeypatch, "小李")
    wang.use(7)
    li.use(4)
    li.reply(20_000)
    wang.publish(drop)
    li.publish(drop)
    fast = build_drop_report(drop).report
    exports = []
    for path in sorted(drop.root.glob("*/*.jsonl")):
        meta, events, _ = read_usage_export(path)
        exports.append(AgentExport(f"{meta['agent']} ({meta['agent_id'][:8]})", meta, events))
    slow = build_report(exports)
    assert fast.agents == slow.agents and fast.categories == slow.categories
    assert fast.packs == slow.packs and (fast.first_use, fast.last_use) == (
        slow.first_use,
        slow.last_use,
    )


def test_a_cut_day_file_is_skipped_and_a_plain_export_is_read_whole(tmp_path, monkeypatch):
    drop = FolderDrop(tmp_path / "drop")
    drop.root.mkdir()
    wang = make_agent(tmp_path, monkeypatch, "小王")
    wang.use(3)
    wang.publish(drop)
    path = next((drop.root / wang.agent_id).iterdir())
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    plain = [lines[0]] + lines[2:]  # the usage export without the day line
    (drop.root / wang.agent_id / "2026-01-01.jsonl").write_text("".join(plain), encoding="utf-8")
    path.write_text("".join(lines[:-1]), encoding="utf-8")  # cut by a copy tool
    result = build_drop_report(drop)
    assert result.counts.unparsable == 1 and result.counts.read == 1
    assert result.report.total_uses == 3
