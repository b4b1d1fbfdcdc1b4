"""The search palette end to end: the real app, its global hotkey, xdotool typing, and a target
window in another process that must receive the snippet (and get its focus back)."""

from __future__ import annotations

import json
import os
import subprocess
import time

import pytest

from quickreply.core.render import default_values, missing_fields
from tests.e2e.app_process import AppProcess, visible_windows, wait_for_new_window
from tests.e2e.conftest import REPLY_TIMEOUT, TargetWindow, xdotool

pytestmark = pytest.mark.e2e


def focused_window(display: str) -> int:
    out = subprocess.run(
        ["xdotool", "getwindowfocus"],
        env=dict(os.environ, DISPLAY=display),
        capture_output=True,
        text=True,
        timeout=REPLY_TIMEOUT,
    )
    return int(out.stdout.strip() or 0)


def open_palette(app: AppProcess, target: TargetWindow, display: str) -> int:
    """Focus the target, press the palette hotkey; return the palette's window once it has focus."""
    assert app.process is not None
    target.focus()
    known = {w[0] for w in visible_windows(display, app.process.pid)}
    xdotool("key", "ctrl+alt+space")
    palette = wait_for_new_window(display, app.process.pid, known)[0]
    deadline = time.monotonic() + REPLY_TIMEOUT
    while focused_window(display) != palette:
        assert time.monotonic() < deadline, "the palette did not get the keyboard focus"
        time.sleep(0.02)
    return palette


def test_typing_cf_and_enter_inserts_the_chase_payment_snippet(app, target_window, xvfb_display):
    app.start()
    top = json.loads(app.cli("search", "cf", "--json"))[0]  # ranked as the palette ranks
    assert "催付" in top["tags"] or top["category_name"] == "催付"
    # values the snippet asks for are typed into the palette's inline form (choices keep the first)
    asked = missing_fields(top["body"], default_values("zh-CN"))
    values = {f.key: f.options[0] if f.options else f"A{n}" for n, f in enumerate(asked)}
    options = [f"--var={key}={value}" for key, value in values.items()]
    expected = app.cli("render", top["id"], *options).rstrip("\n")

    open_palette(app, target_window, xvfb_display)
    xdotool("type", "--delay", "30", "cf")
    xdotool("key", "Return")
    for number, field in enumerate(asked, start=1):
        if not field.options:
            xdotool("type", "--delay", "30", values[field.key])
        xdotool("key", "Return" if number == len(asked) else "Tab")
    target_window.wait_for_text(expected)
    assert target_window.enter_count() == 0


def test_shift_enter_inserts_and_sends(app, target_window, xvfb_display):
    app.start()
    expected = app.cli("render", "qr-default-zh/chase-payment-address").rstrip("\n")
    open_palette(app, target_window, xvfb_display)
    xdotool("type", "--delay", "30", "qrdz")
    xdotool("key", "shift+Return")
    target_window.wait_for_text(expected + "\n")
    assert target_window.enter_count() == 1


def test_escape_closes_and_gives_the_focus_back(app, target_window, xvfb_display):
    app.start()
    palette = open_palette(app, target_window, xvfb_display)
    xdotool("type", "--delay", "30", "zzz")
    xdotool("key", "Escape")
    deadline = time.monotonic() + REPLY_TIMEOUT
    while palette in {w[0] for w in visible_windows(xvfb_display, app.process.pid)}:
        assert time.monotonic() < deadline, "the palette did not close"
        time.sleep(0.02)
    xdotool("type", "--delay", "30", "ok")  # lands in the target only if it has the focus again
    target_window.wait_for_text("ok")
