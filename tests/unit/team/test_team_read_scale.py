"""Reading a drop at scale: the reader's cache, parallel reads, one PROPFIND where allowed."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from quickreply.core.errors import ValidationError
from quickreply.core.library.paths import HOME_ENV
from quickreply.core.team.day_cache import CACHE_NAME, DayCache, reader_cache
from quickreply.core.team.drop import FolderDrop, TeamDrop
from quickreply.core.team.lean import load_object
from quickreply.core.team.read import ReadCounts, read_day_files
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


def test_a_cache_another_report_holds_is_left_alone(tmp_path, monkeypatch):
    import quickreply.core.team.day_cache as day_cache

    root = tmp_path / "drop"
    root.mkdir()
    drop = FolderDrop(root)
    wang, li = two_agents_with_history(tmp_path, monkeypatch, drop)
    monkeypatch.setattr(day_cache, "BATCH", 1)
    monkeypatch.setattr(day_cache, "LOCK_WAIT_S", 0.1)
    path = tmp_path / "cache.sqlite3"
    holder = DayCache(path, drop.location)
    ref = next(iter(drop.list_days()))
    holder.put(ref, next(read_day_files(drop, ReadCounts())))
    cache = DayCache(path, drop.location)  # its writes wait for the holder's, then give up
    result = build_drop_report(drop, cache=cache)
    cache.close()
    holder.close()
    assert uses(result) == {wang.label: 3, li.label: 5} and result.counts.read == 2


def test_a_damaged_cache_file_is_started_afresh(tmp_path, monkeypatch):
    root = tmp_path / "drop"
    root.mkdir()
    drop = FolderDrop(root)
    wang, li = two_agents_with_history(tmp_path, monkeypatch, drop)
    monkeypatch.setenv(HOME_ENV, str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / CACHE_NAME).write_bytes(b"not a database, " * 100)
    for cached in (0, 2):
        with reader_cache(drop.location) as cache:
            result = build_drop_report(drop, cache=cache)
        assert uses(result) == {wang.label: 3, li.label: 5} and result.counts.cached == cached
