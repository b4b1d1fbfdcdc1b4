"""A new agent's first start: the welcome window opens, and a hotkey pressed in its box inserts.

With QUICKREPLY_BUILT_APP=dist/QuickReply/QuickReply (as .ci/run sets after building the bundle)
the same test runs the built folder instead of the source.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.app_process import AppProcess, get_clipboard
from tests.e2e.conftest import REPLY_TIMEOUT, require_tools, xdotool

pytestmark = pytest.mark.e2e
BUILT_APP_ENV = "QUICKREPLY_BUILT_APP"


@pytest.fixture
def new_user_app(xvfb_display: str, tray_host: None, quickreply_home: Path) -> Iterator[AppProcess]:
    """The app as a new user starts it: from source, or the built folder when one is named."""
    require_tools("xclip")
    built = os.environ.get(BUILT_APP_ENV)
    command = [str(Path(built).resolve())] if built else None
    proc = AppProcess(quickreply_home, xvfb_display, command=command)
    if built:
        proc.env.pop("PYTHONPATH", None)
    yield proc
    proc.stop()


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


def test_first_start_shows_welcome_and_greeting_hotkey_inserts_there(
    new_user_app: AppProcess,
) -> None:
    app = new_user_app
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
