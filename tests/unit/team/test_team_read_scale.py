"""Reading a drop at scale: the reader's cache, parallel reads, one PROPFIND where allowed."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from quickreply.core.errors import ValidationError
from quickreply.core.team.day_cache import DayCache
from quickreply.core.team.drop import FolderDrop, TeamDrop
from quickreply.core.team.lean import load_object
from quickreply.core.team.report import build_drop_report
from quickreply.core.team.webdav import WebDavDrop
from tests.davserver import DavServer
from tests.unit.team.agents import Agent, make_agent


def two_agents_with_history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, drop: TeamDrop):
    """Two agents who published today's uses, plus three copied past days each."""
    wang, li = make_agent(tmp_path, monkeypatch, "小王"), make_agent(tmp_path, monkeypatch, "小李")
    wang.use(3)
    li.use(5)
    for agent in (wang, li):
        agent.publish(drop)
    return wang, li


def copy_past_days(root: Path, agent: Agent, days: int = 3) -> None:
    """Copy today's file of `agent` to earlier days (same agent id; a fine history for reading)."""
    today = date.today()
    data = (root / agent.agent_id / f"{today.isoformat()}.jsonl").read_bytes()
    for n in range(1, days + 1):
        (root / agent.agent_id / f"{today - timedelta(days=n)}.jsonl").write_bytes(data)


def uses(result) -> dict[str, int]:
    return {a.agent: a.uses for a in result.report.agents}


def test_a_second_report_reads_only_the_republished_day(tmp_path, monkeypatch):
    root = tmp_path / "drop"
    root.mkdir()
    drop = FolderDrop(root)
    wang, li = two_agents_with_history(tmp_path, monkeypatch, drop)
    copy_past_days(root, wang)
    copy_past_days(root, li)
    cache_path = tmp_path / "reader" / "cache.sqlite3"
    cache = DayCache(cache_path, drop.location)
    first = build_drop_report(drop, cache=cache)
    cache.close()
    assert uses(first) == {wang.label: 12, li.label: 20}
    assert first.counts.read == 8 and first.counts.cached == 0
    li.use(2)  # today re-published after more insertions: a new stamp
    li.publish(drop)
    cache = DayCache(cache_path, drop.location)
    second = build_drop_report(drop, cache=cache)
    cache.close()
    assert uses(second) == {wang.label: 12, li.label: 22}
    assert second.counts.read == 8 and second.counts.cached == 7
    assert second.report == build_drop_report(drop).report  # the cache changes nothing
    assert second.trends == build_drop_report(drop).trends


def test_a_damaged_cache_entry_is_read_again_from_the_drop(tmp_path, monkeypatch):
    root = tmp_path / "drop"
    root.mkdir()
    drop = FolderDrop(root)
    wang, _li = two_agents_with_history(tmp_path, monkeypatch, drop)
    cache_path = tmp_path / "cache.sqlite3"
    cache = DayCache(cache_path, drop.location)
    build_drop_report(drop, cache=cache)
    cache.close()
    cache = DayCache(cache_path, drop.location)
    cache._db.execute("UPDATE days SET entry = x'7b7b'")  # "{{": not JSON
    again = build_drop_report(drop, cache=cache)
    cache.close()
    assert again.counts.read == 2 and again.counts.cached == 0
    assert uses(again)[wang.label] == 3


@pytest.mark.parametrize("refuse_infinity", [False, True])
def test_webdav_lists_once_when_allowed_and_reads_only_new_days(
    tmp_path, monkeypatch, refuse_infinity
):
    server = DavServer(tmp_path / "dav-root", refuse_infinity=refuse_infinity).start()
    try:
        wang, li = two_agents_with_history(tmp_path, monkeypatch, WebDavDrop(server.url))
        copy_past_days(server.root, wang)
        copy_past_days(server.root, li)
        before = len(server.requests_made())
        cache = DayCache(tmp_path / "cache.sqlite3", server.url)
        first = build_drop_report(WebDavDrop(server.url), cache=cache)
        assert uses(first) == {wang.label: 12, li.label: 20} and first.counts.read == 8
        made = server.requests_made()[before:]
        listings = [r for r in made if r.startswith("PROPFIND")]
        if refuse_infinity:  # refused once, then the root and each agent folder, Depth 1
            assert listings[0] == "PROPFIND infinity /" and len(listings) == 4
            assert all(" 1 /" in r for r in listings[1:])
        else:
            assert listings == ["PROPFIND infinity /"]
        assert len({r for r in made if r.startswith("GET")}) == 8  # today's: head, then whole
        li.use(1)
        li.publish(WebDavDrop(server.url))
        before = len(server.requests_made())
        second = build_drop_report(WebDavDrop(server.url), cache=cache)
        cache.close()
        gets = [r for r in server.requests_made()[before:] if r.startswith("GET")]
        assert set(gets) == {f"GET - /{li.agent_id}/{date.today().isoformat()}.jsonl"}
        assert uses(second) == {wang.label: 12, li.label: 21} and second.counts.cached == 7
    finally:
        server.stop()


@pytest.mark.parametrize(
    "line",
    [
        b'{"a":[[[[1]]]]}',  # five levels
        b'{"a":NaN}',
        b'{"a":1e999}',
        b'{"a":"\xff"}',
        b"[1]",
        b"{",
    ],
)
def test_lean_parsing_refuses_what_the_safe_loader_refuses(line):
    with pytest.raises(ValidationError):
        load_object(line, "x line 1", 4, 100_000)


def test_lean_parsing_reads_four_levels_and_a_bom():
    assert load_object(b'\xef\xbb\xbf{"a":[{"b":[1]}]}', "x", 4, 100) == {"a": [{"b": [1]}]}
