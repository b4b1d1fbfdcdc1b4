"""Team drop on a real WebDAV server (WsgiDAV on 127.0.0.1, started by the test)."""

from __future__ import annotations

import socket
import threading
from dataclasses import replace
from datetime import date

import keyring
import pytest
from keyring.backend import KeyringBackend

from quickreply.core.library.settings import load_settings, save_settings
from quickreply.core.team.drop import DropError
from quickreply.core.team.outbox import Outbox
from quickreply.core.team.report import build_drop_report
from quickreply.core.team.webdav import WebDavDrop
from quickreply.platform.credentials import configured_drop, store_drop_password
from tests.davserver import DavServer
from tests.unit.team.agents import make_agent


@pytest.fixture
def dav(tmp_path):
    server = DavServer(tmp_path / "dav-root").start()
    yield server
    server.stop()


def test_two_agents_reach_one_report_through_webdav(tmp_path, monkeypatch, dav):
    drop = WebDavDrop(dav.url)
    wang, li = make_agent(tmp_path, monkeypatch, "小王"), make_agent(tmp_path, monkeypatch, "小李")
    wang.use(4)
    li.use(7)
    li.reply(12_000)
    assert len(wang.publish(drop).sent) == 1
    assert len(li.publish(drop).sent) == 1
    li.use(2)  # the day re-published after more insertions
    assert len(li.publish(drop).sent) == 1
    on_disk = sorted(p.name for p in (dav.root / li.agent_id).iterdir())
    assert on_disk == [f"{date.today().isoformat()}.jsonl"]  # temp name moved, nothing left
    result = build_drop_report(WebDavDrop(dav.url))
    assert {a.agent: a.uses for a in result.report.agents} == {wang.label: 4, li.label: 9}
    assert result.counts.read == 2 and result.counts.skipped == 0
    assert result.within(li.label) == [1.0, 1.0, 1.0]


def test_outbox_survives_a_server_that_is_down_then_up(tmp_path, monkeypatch, dav):
    wang = make_agent(tmp_path, monkeypatch, "小王")
    wang.use(3)
    dav.stop()
    failed = wang.publish(WebDavDrop(dav.url, timeout_s=5))
    assert failed.sent == [] and failed.error
    wang.use(2)
    again = wang.publish(WebDavDrop(dav.url, timeout_s=5))
    assert again.sent == [] and again.waiting == [date.today().isoformat()]
    assert Outbox.load(wang.home / "team_outbox.json").failures == 2
    dav.start()
    sent = wang.publish(WebDavDrop(dav.url))
    assert len(sent.sent) == 1 and sent.waiting == [] and sent.error is None
    result = build_drop_report(WebDavDrop(dav.url))
    assert [(a.agent, a.uses) for a in result.report.agents] == [(wang.label, 5)]


def test_a_server_that_never_answers_fails_within_the_deadline():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    accepted: list[socket.socket] = []
    thread = threading.Thread(target=lambda: accepted.append(listener.accept()[0]), daemon=True)
    thread.start()
    drop = WebDavDrop(f"http://127.0.0.1:{listener.getsockname()[1]}/", timeout_s=0.5)
    try:
        with pytest.raises(DropError, match="timed out|within"):
            drop.put("abcdef12", date(2026, 1, 2), b"x")
    finally:
        for conn in accepted:
            conn.close()
        listener.close()


def test_an_unreachable_server_is_one_clear_error():
    drop = WebDavDrop("http://127.0.0.1:9/", timeout_s=2)
    with pytest.raises(DropError, match="127.0.0.1:9"):
        list(drop.list_days())


class MemoryKeyring(KeyringBackend):
    """A keyring that keeps passwords in memory, for the test only."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.entries.pop((service, username), None)


def test_password_comes_from_the_keyring_and_never_reaches_the_library(tmp_path, monkeypatch):
    server = DavServer(tmp_path / "dav-root", users={"wang": "秘密-pass"}).start()
    previous = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    try:
        wang = make_agent(tmp_path, monkeypatch, "小王")
        wang.use(2)
        settings = replace(load_settings(wang.store), team_drop=server.url, team_drop_user="wang")
        save_settings(wang.store, settings)
        refused = wang.publish(configured_drop(settings))
        assert "password refused" in (refused.error or "")  # nothing in the keyring yet
        store_drop_password(server.url, "wang", "秘密-pass")
        assert len(wang.publish(configured_drop(settings)).sent) == 1
        for name in ("library.json", "team_outbox.json"):
            assert "秘密-pass" not in (wang.home / name).read_text(encoding="utf-8")
        assert list(memory.entries.values()) == ["秘密-pass"]
    finally:
        keyring.set_keyring(previous)
        server.stop()


def test_a_server_without_move_gets_a_put_guarded_by_its_etag(tmp_path, monkeypatch):
    server = DavServer(tmp_path / "dav-root", refuse_move=True).start()
    try:
        wang = make_agent(tmp_path, monkeypatch, "小王")
        wang.use(2)
        assert len(wang.publish(WebDavDrop(server.url)).sent) == 1  # If-None-Match: * (new)
        wang.use(3)
        assert len(wang.publish(WebDavDrop(server.url)).sent) == 1  # If-Match: <etag>
        names = sorted(p.name for p in (server.root / wang.agent_id).iterdir())
        assert names == [f"{date.today().isoformat()}.jsonl"]  # temp files deleted
        result = build_drop_report(WebDavDrop(server.url))
        assert [(a.agent, a.uses) for a in result.report.agents] == [(wang.label, 5)]
    finally:
        server.stop()
