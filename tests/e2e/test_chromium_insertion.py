"""Insertion into a web chat in real Chromium (issue 19): held hotkeys, the palette, line breaks,
auto-send and the agent's clipboard, with openbox and a tray host as on an agent's desktop.

Needs Debian's `chromium` and `openbox`; without them the tests skip, unless
QUICKREPLY_REQUIRE_E2E=1.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from quickreply.core.render import default_values, missing_fields
from tests.e2e.app_process import (
    AppProcess,
    get_clipboard,
    set_clipboard,
    tray_icon_center,
    visible_windows,
    wait_for_clipboard,
    wait_for_new_window,
)
from tests.e2e.chromium_target import ChromiumTarget, chromium_binary, start_window_manager
from tests.e2e.conftest import require_tools, xdotool

pytestmark = pytest.mark.e2e

LINE = "亲，您好！您的订单已经发货，预计明天送达～"
MULTILINE = "亲，您好！欢迎光临～\n关于您的订单，我们已经安排加急处理。\n有任何问题随时找我哦 ok"
AGENTS_CLIPBOARD = "agent's own clipboard 剪贴板"


@pytest.fixture(scope="module")
def window_manager(xvfb_display: str) -> Iterator[None]:
    """openbox on the test display for this module only (other e2e modules run without one)."""
    require_tools("openbox", "xprop")
    proc = start_window_manager(xvfb_display)
    yield
    proc.terminate()
    proc.wait(5)


@pytest.fixture(scope="module")
def chromium(xvfb_display: str, window_manager: None, tray_host: None) -> Iterator[ChromiumTarget]:
    """One Chromium --app window with the chat page, shared by the module's tests."""
    if chromium_binary() is None:
        require_tools("chromium")
    target = ChromiumTarget(xvfb_display)
    yield target
    target.close()


@pytest.fixture
def chat(chromium: ChromiumTarget) -> ChromiumTarget:
    """The Chromium chat, emptied and focused."""
    chromium.clear()
    chromium.focus()
    return chromium


def add(app: AppProcess, title: str, body: str, *extra: str) -> str:
    return app.cli("add", "--title", title, "--body", "-", *extra, stdin=body).strip()


def held_press(combo: str) -> None:
    """Press `combo` as a person does: keys down, 60 ms, keys up (xdotool keydown/keyup)."""
    xdotool("keydown", combo)
    time.sleep(0.06)
    xdotool("keyup", combo)


def test_twenty_held_hotkey_presses_insert_twenty_exact_texts(app, chat):
    add(app, "发货", LINE, "--hotkey", "ctrl+alt+1")
    app.start()
    keeper = set_clipboard(AGENTS_CLIPBOARD)
    try:
        chat.focus()
        for press in range(1, 21):
            held_press("ctrl+alt+1")
            chat.wait_for(LINE * press, timeout=3)
            time.sleep(0.5)
        assert chat.value == LINE * 20, f"{chat.value.count(LINE)} of 20 presses arrived"
        assert chat.state.sent == []
        assert get_clipboard() == AGENTS_CLIPBOARD
    finally:
        keeper.kill()
    assert len(app.recorded_snippets()) == 20  # each read by Chromium itself, confirmed


def test_palette_cf_and_enter_inserts_into_the_textarea(app, chat, xvfb_display):
    app.start()
    top = json.loads(app.cli("search", "cf", "--json"))[0]
    asked = missing_fields(top["body"], default_values("zh-CN"))
    values = {f.key: f.options[0] if f.options else f"A{n}" for n, f in enumerate(asked)}
    expected = app.cli("render", top["id"], *(f"--var={k}={v}" for k, v in values.items()))
    keeper = set_clipboard(AGENTS_CLIPBOARD)
    try:
        chat.focus()
        xdotool("key", "ctrl+alt+space")
        wait_for_focus_leaving(xvfb_display, chat.window_id)
        xdotool("type", "--delay", "30", "cf")
        xdotool("key", "Return")
        for number, field in enumerate(asked, start=1):
            if not field.options:
                xdotool("type", "--delay", "30", values[field.key])
            xdotool("key", "Return" if number == len(asked) else "Tab")
        assert chat.wait_for(expected.rstrip("\n"), timeout=5), chat.value
        assert chat.state.sent == []
        assert wait_for_clipboard(AGENTS_CLIPBOARD) == AGENTS_CLIPBOARD
    finally:
        keeper.kill()


def test_multiline_snippet_keeps_its_line_breaks_and_sends_nothing(app, chat):
    add(app, "多行", MULTILINE, "--hotkey", "ctrl+alt+2")
    app.start()
    keeper = set_clipboard(AGENTS_CLIPBOARD)
    try:
        chat.focus()
        held_press("ctrl+alt+2")
        assert chat.wait_for(MULTILINE), chat.value
        time.sleep(0.5)  # a stray Enter would have sent the box by now
        assert chat.value == MULTILINE
        assert chat.state.sent == []
        assert get_clipboard() == AGENTS_CLIPBOARD
    finally:
        keeper.kill()


def test_auto_send_sends_exactly_once(app, chat):
    add(app, "自动发送", LINE, "--hotkey", "ctrl+alt+3", "--auto-send")
    app.start()
    keeper = set_clipboard(AGENTS_CLIPBOARD)
    try:
        chat.focus()
        held_press("ctrl+alt+3")
        assert chat.wait_for_sent(1) == [LINE]
        time.sleep(0.5)
        assert chat.state.sent == [LINE]
        assert chat.value == ""
        assert get_clipboard() == AGENTS_CLIPBOARD
    finally:
        keeper.kill()
    assert app.log_lines("not inserted") == []


def wait_for_focus_leaving(display: str, window: int, timeout: float = 5) -> None:
    """Wait until another window (the palette) has the X input focus."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        out = subprocess.run(["xdotool", "getwindowfocus"], capture_output=True, text=True)
        focus = int(out.stdout.strip() or 0)
        if focus and focus != window:
            time.sleep(0.2)  # the palette's line edit takes the keys once it is shown
            return
        time.sleep(0.02)
    raise AssertionError("the palette did not take the focus")


def test_tray_menu_inserts_into_the_chat_not_into_our_own_window(app, chat, xvfb_display):
    status = app.start()
    assert status["tray"] is True and app.process is not None
    expected = app.cli("render", "qr-default-zh/greeting-welcome").rstrip("\n")
    chat.focus()
    x, y = tray_icon_center(xvfb_display, app.process.pid)
    known = {w[0] for w in visible_windows(xvfb_display, app.process.pid)}
    # one of our windows comes to the front, as a click on the tray can make it
    subprocess.run(
        [sys.executable, "-c", "from quickreply.platform.ipc import send; send('manager')"],
        env=app.env,
        check=True,
        timeout=30,
    )
    manager = wait_for_new_window(xvfb_display, app.process.pid, known)[0]
    known.add(manager)
    wait_for_active(xvfb_display, manager)
    xdotool("windowsize", str(manager), "400", "300", "windowmove", str(manager), "0", "0")
    time.sleep(0.3)  # off the tray icon; still the active window
    wait_for_active(xvfb_display, manager)
    xdotool("mousemove", str(x), str(y), "click", "1")
    menu = wait_for_new_window(xvfb_display, app.process.pid, known)
    known.add(menu[0])
    time.sleep(0.2)  # the popup takes its keyboard grab just after it maps
    xdotool("key", "--delay", "100", "Down", "Right")  # the first category, zh-CN 问候/欢迎, opens
    _, sx, sy, sw, _ = wait_for_new_window(xvfb_display, app.process.pid, known)
    xdotool("mousemove", str(sx + sw // 2), str(sy + 14), "click", "1")
    assert chat.wait_for(expected), chat.value


def wait_for_active(display: str, window: int, timeout: float = 5) -> None:
    """Wait until the window manager reports `window` as the active window."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        out = subprocess.run(["xdotool", "getactivewindow"], capture_output=True, text=True)
        if out.stdout.strip() == str(window):
            return
        time.sleep(0.02)
    raise AssertionError(f"window {window} did not become active")
