"""Suggest end to end: a buyer's message selected in a real window of another process, the
suggest hotkey, Enter, and a reply of the right category lands in the chat window; the clipboard
is untouched, the usage log has the suggestion's rank, and the message is in no file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.app_process import get_clipboard, set_clipboard, visible_windows, wait_for_new_window
from tests.e2e.conftest import REPLY_TIMEOUT, START_TIMEOUT, xdotool
from tests.e2e.test_palette_e2e import focused_window

pytestmark = pytest.mark.e2e

BUYER_SCRIPT = Path(__file__).with_name("buyer_window.py")
MESSAGE = "我的快递三天了还没到，怎么回事"


@pytest.fixture
def buyer_window(xvfb_display: str) -> Iterator[int]:
    """The buyer's message in a window of its own process; yields its window id."""
    process = subprocess.Popen(
        [sys.executable, str(BUYER_SCRIPT), MESSAGE],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=dict(os.environ, DISPLAY=xvfb_display, QT_QPA_PLATFORM="xcb"),
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().decode()
        assert line.startswith("ready "), f"buyer window did not start: {line!r}"
        yield int(line.split()[1])
    finally:
        assert process.stdin is not None
        process.stdin.close()
        try:
            process.wait(timeout=START_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def primary_selection() -> str:
    out = subprocess.run(["xclip", "-selection", "primary", "-o"], capture_output=True, timeout=5)
    return out.stdout.decode("utf-8") if out.returncode == 0 else ""


def test_selected_message_suggest_hotkey_enter_inserts_the_right_category(
    app, target_window, buyer_window, xvfb_display
):
    top = json.loads(app.cli("suggest", MESSAGE, "--json"))[0]
    assert top["category"] == "qr-default-zh/logistics"
    expected = app.cli("render", top["id"]).rstrip("\n")
    keeper = set_clipboard("the agent's own clipboard")
    app.start()
    log = app.home / "logs" / "app.log"
    time.sleep(3)  # past start-up and the palette's warm-up
    assert "suggestion index ready" not in log.read_text(encoding="utf-8", errors="replace")
    try:
        # the agent selects the buyer's message (triple click: the whole line) ...
        xdotool("mousemove", "--window", str(buyer_window), "40", "12")
        xdotool("click", "--repeat", "3", "--delay", "60", "1")
        deadline = time.monotonic() + REPLY_TIMEOUT
        while primary_selection() != MESSAGE:
            assert time.monotonic() < deadline, f"selection is {primary_selection()!r}"
            time.sleep(0.02)
        # ... and, in the chat window, presses the suggest hotkey, then Enter
        target_window.focus()
        known = {w[0] for w in visible_windows(xvfb_display, app.process.pid)}
        xdotool("key", "ctrl+shift+space")
        palette = wait_for_new_window(xvfb_display, app.process.pid, known)[0]
        deadline = time.monotonic() + REPLY_TIMEOUT
        while focused_window(xvfb_display) != palette:
            assert time.monotonic() < deadline, "the palette did not get the keyboard focus"
            time.sleep(0.02)
        # the first request builds the index (it is not built for an agent who never asks)
        deadline = time.monotonic() + START_TIMEOUT
        while "suggestion index ready" not in log.read_text(encoding="utf-8", errors="replace"):
            assert time.monotonic() < deadline, "the suggestion index was not built"
            time.sleep(0.05)
        time.sleep(0.2)  # the palette refills on the index's ready signal
        xdotool("key", "Return")
        target_window.wait_for_text(expected)
        deadline = time.monotonic() + REPLY_TIMEOUT
        while get_clipboard() != "the agent's own clipboard":  # put back after the paste
            assert time.monotonic() < deadline, f"clipboard is {get_clipboard()!r}"
            time.sleep(0.05)
        deadline = time.monotonic() + REPLY_TIMEOUT
        while True:
            stats = json.loads(app.cli("stats", "--format", "json"))["suggestions"]
            if stats["insertions"] or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert stats == {"insertions": 1, "rank1": 1.0, "top3": 1.0}
    finally:
        app.stop()
        keeper.kill()
        keeper.wait()
    for path in app.home.rglob("*"):
        if path.is_file():
            assert MESSAGE.encode("utf-8") not in path.read_bytes(), path
