"""Presses made while the app starts (issue 11): handled as soon as the grabs exist, never pasted
later than the freshness limit, and start-up finishes around them."""

from __future__ import annotations

import json
import re
import subprocess
import time

import pytest

from tests.e2e.app_process import AppProcess, visible_windows
from tests.e2e.conftest import xdotool, xvfb_server

pytestmark = pytest.mark.e2e

LINE = "亲，您好！启动时按下的快捷键也会送达～"


def test_a_hotkey_pressed_while_the_app_starts_is_inserted_and_never_late(app, target_window):
    app.cli("add", "--title", "启动", "--body", LINE, "--hotkey", "ctrl+alt+1")
    process = subprocess.Popen(app.command, env=app.env, stdout=subprocess.DEVNULL)
    app.process = process
    target_window.focus()
    deadline = time.monotonic() + 30
    while LINE not in target_window.text() and time.monotonic() < deadline:
        xdotool("key", "ctrl+alt+1")  # the agent presses again while nothing happens
        time.sleep(0.05)
    assert LINE in target_window.text()
    time.sleep(1.5)  # any press still queued would be pasted by now
    # a press that reached the box before the grabs existed may have typed a stray character
    text = target_window.text()
    pasted = text[text.index(LINE) :]
    assert pasted == LINE * (len(pasted) // len(LINE))  # whole lines only: nothing half-pasted
    status = _wait_until_ready(app)
    assert status["hotkeys_ms"] <= status["startup_ms"]
    queued = [float(ms) for ms in re.findall(r"queued_ms=([\d.]+)", _log(app))]
    assert queued and max(queued) <= 1000  # trigger_fresh_ms: older presses are dropped


def _wait_until_ready(app: AppProcess) -> dict:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            status = json.loads((app.home / "status.json").read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            status = {}
        if status.get("state") == "ready":
            return status
        time.sleep(0.05)
    raise AssertionError("the app did not become ready")


def _log(app: AppProcess) -> str:
    return (app.home / "logs" / "app.log").read_text(encoding="utf-8")


def test_a_desktop_without_a_tray_gets_the_manager_window_and_working_hotkeys(
    tmp_path, quickreply_home
):
    """The tray step's other branch: no tray host on this display."""
    with xvfb_server(tmp_path / "xvfb.log") as display:
        app = AppProcess(quickreply_home, display)
        try:
            status = app.start()
            assert status["tray"] is False and status["hotkeys"]
            assert app.process is not None
            deadline = time.monotonic() + 10
            while not visible_windows(display, app.process.pid) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert visible_windows(display, app.process.pid)  # the manager, instead of a tray
        finally:
            app.stop()
