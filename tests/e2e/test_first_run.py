"""A new agent's first start: the welcome window opens, and a hotkey pressed in its box inserts."""

from __future__ import annotations

import subprocess
import time

import pytest

from tests.e2e.app_process import AppProcess, get_clipboard
from tests.e2e.conftest import REPLY_TIMEOUT, xdotool

pytestmark = pytest.mark.e2e


def welcome_window_id() -> str:
    out = subprocess.run(
        ["xdotool", "search", "--sync", "--onlyvisible", "--name", "Welcome to QuickReply"],
        capture_output=True,
        text=True,
        timeout=15,
        check=True,
    )
    return out.stdout.split()[0]


def try_box_text() -> str:
    """Select all in the focused try-it box and copy it: what the agent sees there."""
    xdotool("key", "ctrl+a", "ctrl+c")
    deadline = time.monotonic() + REPLY_TIMEOUT
    text = get_clipboard()
    while not text and time.monotonic() < deadline:
        time.sleep(0.05)
        text = get_clipboard()
    return text


def test_first_start_shows_welcome_and_greeting_hotkey_inserts_there(app: AppProcess) -> None:
    expected = app.cli("render", "qr-default-zh/greeting-welcome").rstrip("\n")
    app.env["QUICKREPLY_NO_WELCOME"] = ""  # a real first start
    app.start()
    window = welcome_window_id()
    xdotool("windowfocus", "--sync", window)
    xdotool("key", "shift+F1")
    deadline = time.monotonic() + REPLY_TIMEOUT
    text = ""
    while time.monotonic() < deadline:
        text = try_box_text()
        if text == expected:
            break
        time.sleep(0.1)
    assert text == expected
    app.stop()
    app.start()  # shown once: the second start opens no welcome window
    time.sleep(1)
    found = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", "Welcome to QuickReply"],
        capture_output=True,
        text=True,
        timeout=15,
    )
    assert found.stdout.strip() == ""
