"""A paste that never sends the wrong text (issue 18 rules 12-13, on X11), end to end.

Slow readers, a clipboard manager that reads every new clipboard at once, a program that keeps
taking the clipboard back, and a chat window that goes away while the palette is open: the box
never receives the agent's old clipboard, no Enter is pressed without the target's own read, the
agent is told, and no usage event is recorded for an insertion that did not happen.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.e2e.app_process import AppProcess, set_clipboard, wait_for_clipboard
from tests.e2e.conftest import TargetWindow, xdotool
from tests.e2e.test_palette_e2e import open_palette

pytestmark = pytest.mark.e2e

PEERS = Path(__file__).with_name("clipboard_peers.py")
LINE = "亲，您的退款已经处理，请注意查收～"
OLD = "agent's old clipboard 旧剪贴板"


class Peer:
    """A clipboard_peers.py process: the monitor or the thief."""

    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(PEERS), *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        assert self.process.stdout.readline().strip() == "ready"

    def lines(self) -> list[str]:
        """Stop the peer and return what it printed after `ready`."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.close()
        out = self.process.stdout.read()
        self.process.wait(5)
        return out.split()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(5)


@pytest.fixture
def peers() -> Iterator[Callable[..., Peer]]:
    started: list[Peer] = []

    def start(*args: str) -> Peer:
        peer = Peer(*args)
        started.append(peer)
        return peer

    yield start
    for peer in started:
        peer.stop()


def add_auto_send(app: AppProcess, hotkey: str = "ctrl+alt+1") -> str:
    return app.cli(
        "add", "--title", "退款", "--body", "-", "--hotkey", hotkey, "--auto-send", stdin=LINE
    ).strip()


@pytest.mark.parametrize("delay_ms", [600, 1500])
def test_slow_reader_gets_our_text_and_no_enter(app, spawn_target, delay_ms):
    snippet = add_auto_send(app)
    app.start()
    keeper = set_clipboard(OLD)
    try:
        target: TargetWindow = spawn_target("--paste-delay-ms", str(delay_ms))
        xdotool("key", "ctrl+alt+1")
        target.wait_for_text(LINE, timeout=delay_ms / 1000 + 3)
        time.sleep(0.5)
        assert target.text() == LINE  # ours, not the old clipboard
        assert target.enter_count() == 0  # nothing sent without a read in time
        assert wait_for_clipboard(OLD, timeout=3) == OLD
    finally:
        keeper.kill()
    assert app.log_lines(f"not inserted {snippet}: not_read")  # the agent was told
    assert app.recorded_snippets() == []


def test_clipboard_monitor_read_is_not_taken_for_the_target(app, spawn_target, peers):
    snippet = add_auto_send(app)
    app.start()
    keeper = set_clipboard(OLD)
    try:
        monitor = peers("monitor")
        target: TargetWindow = spawn_target("--paste-delay-ms", "-1")  # never reads
        xdotool("key", "ctrl+alt+1")
        time.sleep(1.0)
        assert target.text() == ""
        assert target.enter_count() == 0
        assert wait_for_clipboard(OLD, timeout=8) == OLD
        assert "read" in monitor.lines()  # it did read ours, at once
    finally:
        keeper.kill()
    assert app.log_lines(f"not inserted {snippet}: not_read")
    assert app.recorded_snippets() == []


def test_clipboard_monitor_does_not_disturb_a_normal_paste(app, target_window, peers):
    snippet = add_auto_send(app)
    app.start()
    keeper = set_clipboard(OLD)
    try:
        peers("monitor")
        target_window.focus()
        xdotool("key", "ctrl+alt+1")
        target_window.wait_for_text(LINE + "\n")
        time.sleep(0.3)
        assert target_window.enter_count() == 1
        assert wait_for_clipboard(OLD) == OLD
    finally:
        keeper.kill()
    assert app.recorded_snippets() == [snippet]


def test_clipboard_that_cannot_be_set_sends_nothing(app, target_window, peers):
    """The thief takes the clipboard back within a millisecond, so nearly always before our
    last ownership check: refused, nothing sent, the old text never in the box. On a loaded
    machine it can lose that race and take the clipboard only after the check, while the paste
    is under way (an X11 limit, docs/insertion.md): then it is the thief that serves the paste,
    and what we guarantee is no Enter, no usage event, and the agent told."""
    snippet = add_auto_send(app)
    app.start()
    thief = peers("thief", OLD)
    target_window.focus()
    xdotool("key", "ctrl+alt+1")
    deadline = time.monotonic() + 3
    while not app.log_lines(f"not inserted {snippet}") and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    refused = app.log_lines(f"not inserted {snippet}: clipboard_refused")
    if refused:
        assert target_window.text() == ""
    else:
        assert app.log_lines(f"not inserted {snippet}: not_read")
    assert target_window.enter_count() == 0
    assert "retaken" in thief.lines()
    assert app.recorded_snippets() == []


def test_chat_window_gone_while_the_palette_is_open_sends_nothing(app, spawn_target, xvfb_display):
    app.start()
    other: TargetWindow = spawn_target()
    chat: TargetWindow = spawn_target()
    open_palette(app, chat, xvfb_display)
    chat.close()  # the chat window goes away while the agent picks a snippet
    xdotool("type", "--delay", "30", "qrdz")
    xdotool("key", "shift+Return")  # insert and send
    snippet = "qr-default-zh/chase-payment-address"
    deadline = time.monotonic() + 5
    while not app.log_lines(f"not inserted {snippet}") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert app.log_lines(f"not inserted {snippet}: focus_lost")
    time.sleep(0.3)
    assert other.text() == ""
    assert other.enter_count() == 0
    assert app.recorded_snippets() == []
