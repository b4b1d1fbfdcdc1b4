"""Two agents' real insertions reach one team report through a folder and through WebDAV.

Each agent is the real app in its own data dir, inserting by hotkey into a real target window
under Xvfb; the app publishes at exit (no hand-carried file); the lead's report counts exactly.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from quickreply.core.team.drop import FolderDrop, TeamDrop
from quickreply.core.team.report import build_drop_report
from quickreply.core.team.webdav import WebDavDrop
from tests.davserver import DavServer
from tests.e2e.app_process import AppProcess
from tests.e2e.conftest import require_tools, xdotool

pytestmark = pytest.mark.e2e


def agent_session(home: Path, display: str, location: str, target, presses: int) -> str:
    """Run the app in `home` with the drop set, insert `presses` times, quit; return the agent id."""
    home.mkdir(exist_ok=True)
    app = AppProcess(home, display)
    app.cli("list")
    app.cli("add", "--title", "问候", "--body", "-", "--hotkey", "ctrl+alt+7", stdin="亲，您好！")
    app.cli("team", "drop", location)
    app.start()
    try:
        target.clear()
        target.focus()
        for n in range(presses):
            xdotool("key", "ctrl+alt+7")
            target.wait_for_text("亲，您好！" * (n + 1))
        time.sleep(0.2)
    finally:
        code = app.stop()
        log = (home / "app-stdout.log").read_text(encoding="utf-8", errors="replace")
        assert code == 0, f"app exit status {code}; its output:\n{log[-3000:]}"
    status = json.loads(app.cli("team", "status", "--json"))
    assert status["last_success"] and status["outbox"] == [] and status["last_error"] is None
    return str(status["agent_id"])


def two_agents(tmp_path: Path, display: str, location: str, target) -> dict[str, int]:
    first = agent_session(tmp_path / "agent-a", display, location, target, 2)
    second = agent_session(tmp_path / "agent-b", display, location, target, 3)
    return {first: 2, second: 3}


def report_counts(drop: TeamDrop) -> dict[str, int]:
    result = build_drop_report(drop)
    assert result.counts.skipped == 0
    return {a.agent.rsplit("(", 1)[1].rstrip(")"): a.uses for a in result.report.agents}


def short(expected: dict[str, int]) -> dict[str, int]:
    return {agent_id[:8]: uses for agent_id, uses in expected.items()}


def test_two_agents_real_insertions_reach_the_report_through_a_folder(
    xvfb_display, tray_host, target_window, tmp_path
):
    require_tools("xclip")
    root = tmp_path / "share"
    root.mkdir()
    expected = two_agents(tmp_path, xvfb_display, str(root), target_window)
    assert report_counts(FolderDrop(root)) == short(expected)


def test_two_agents_real_insertions_reach_the_report_through_webdav(
    xvfb_display, tray_host, target_window, tmp_path
):
    require_tools("xclip")
    server = DavServer(tmp_path / "dav-root").start()
    try:
        expected = two_agents(tmp_path, xvfb_display, server.url, target_window)
        assert report_counts(WebDavDrop(server.url)) == short(expected)
    finally:
        server.stop()
