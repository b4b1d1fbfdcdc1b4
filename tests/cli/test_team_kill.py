"""A publish killed in the middle never leaves a half file that a report reads as whole."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from quickreply.core.library.settings import load_settings, save_settings
from quickreply.core.team.drop import FolderDrop, TeamDrop
from quickreply.core.team.report import build_drop_report
from quickreply.core.team.webdav import WebDavDrop
from quickreply.core.usage.event import UsageEvent
from tests.davserver import DavServer
from tests.unit.team.agents import Agent, make_agent

BIG_DAY = 60_000  # uses in one day: a file of ~20 MB, long enough to be caught mid-write
ATTEMPTS = 8


def add_uses(agent: Agent, count: int) -> None:
    now = int(time.time() * 1000)
    sid = agent.store.snippets()[0].id
    agent.log.append_many(
        UsageEvent(ts_ms=now - n, snippet_id=sid, trigger="hotkey", chars=9, inject_ms=20.0)
        for n in range(count)
    )


def kill_mid_publish(agent: Agent, folder: Path) -> bool:
    """Start `quickreply team publish`, SIGKILL it once a temp file shows; return if one did."""
    env = dict(os.environ, QUICKREPLY_HOME=str(agent.home))
    proc = subprocess.Popen(
        [sys.executable, "-m", "quickreply", "team", "publish"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:
            if any(p.name.endswith(".tmp") for p in folder.iterdir()):
                proc.send_signal(signal.SIGKILL)
                break
            time.sleep(0.001)
    finally:
        proc.wait(timeout=30)
    return any(p.name.endswith(".tmp") for p in folder.iterdir())


def check_never_half(agent: Agent, location: str, folder: Path, drop: TeamDrop) -> None:
    save_settings(agent.store, replace(load_settings(agent.store), team_drop=location))
    agent.use(3)
    assert len(agent.publish(drop).sent) == 1  # a whole day file of 3 uses is on the drop
    whole = 3
    for _ in range(ATTEMPTS):
        add_uses(agent, BIG_DAY)
        caught = kill_mid_publish(agent, folder)
        result = build_drop_report(drop)
        assert result.counts.unparsable == 0 and result.counts.read == 1
        uses = result.report.total_uses
        if caught:
            assert uses == whole  # killed before the rename/MOVE: the old whole file is read
            return
        assert uses in (whole, whole + BIG_DAY)
        whole = uses
    pytest.fail(f"no publish was caught mid-write in {ATTEMPTS} attempts")


def test_folder_publish_killed_midway_is_never_read(tmp_path, monkeypatch):
    agent = make_agent(tmp_path, monkeypatch, "小王")
    root = tmp_path / "drop"
    root.mkdir()
    (root / agent.agent_id).mkdir()
    check_never_half(agent, str(root), root / agent.agent_id, FolderDrop(root))


def test_webdav_publish_killed_midway_is_never_read(tmp_path, monkeypatch):
    server = DavServer(tmp_path / "dav-root").start()
    try:
        agent = make_agent(tmp_path, monkeypatch, "小王")
        (server.root / agent.agent_id).mkdir()
        check_never_half(agent, server.url, server.root / agent.agent_id, WebDavDrop(server.url))
    finally:
        server.stop()
