"""The X11 key counter for reply speed, for real: xdotool types into a target window under Xvfb."""

from __future__ import annotations

import queue

import pytest

from quickreply.core.usage.reply_speed import Composed, ComposeTracker
from quickreply.platform.keycount import X11KeyCounter

from .conftest import TargetWindow, xdotool

pytestmark = pytest.mark.e2e
WAIT_S = 5.0


def next_keys(keys: queue.Queue[tuple[bool, int]], count: int) -> list[tuple[bool, int]]:
    return [keys.get(timeout=WAIT_S) for _ in range(count)]


def test_counts_presses_and_enter_without_taking_keys_from_the_window(
    xvfb_display: str, target_window: TargetWindow
):
    counter = X11KeyCounter(xvfb_display)
    assert counter.available()[0]
    keys: queue.Queue[tuple[bool, int]] = queue.Queue()
    counter.start(lambda is_enter, t_ms: keys.put((is_enter, t_ms)))
    try:
        target_window.focus()
        xdotool("type", "--delay", "20", "abc")
        xdotool("key", "shift+Return")  # a new line in most chat apps: not a send
        xdotool("key", "Return")
        seen = next_keys(keys, 6)  # a, b, c, Shift, Return with Shift held, Return
    finally:
        counter.stop()
        counter.stop()
    assert [is_enter for is_enter, _ in seen] == [False] * 5 + [True]
    stamps = [t for _, t in seen]
    assert stamps == sorted(stamps)
    # the keys still reached the window: counting never consumes them
    target_window.wait_for_text("abc\n\n")
    assert target_window.enter_count() == 1

    tracker = ComposeTracker()
    replies = [tracker.key(is_enter, t) for is_enter, t in seen]
    assert replies[:5] == [None] * 5
    assert replies[5] == Composed(stamps[0], stamps[5], False)


def test_stop_ends_counting(xvfb_display: str, target_window: TargetWindow):
    counter = X11KeyCounter(xvfb_display)
    keys: queue.Queue[tuple[bool, int]] = queue.Queue()
    counter.start(lambda is_enter, t_ms: keys.put((is_enter, t_ms)))
    target_window.focus()
    xdotool("key", "x")
    assert next_keys(keys, 1)[0][0] is False
    counter.stop()
    xdotool("key", "y")
    target_window.wait_for_text("xy")  # the key surely went through X before we look
    assert keys.empty()
