"""The heart, end to end: the real app, a real target window in another process, xdotool keys."""

from __future__ import annotations

import json
import time

import pytest

from tests.e2e.app_process import (
    AppProcess,
    get_clipboard,
    set_clipboard,
    tray_icon_center,
    visible_windows,
    wait_for_clipboard,
    wait_for_new_window,
)
from tests.e2e.conftest import xdotool

pytestmark = pytest.mark.e2e

MULTILINE = "亲，您好！欢迎光临～\n关于您的订单，我们已经安排加急处理。\n有任何问题随时找我哦 ok"


def add(app: AppProcess, title: str, body: str, *extra: str) -> str:
    return app.cli("add", "--title", title, "--body", "-", *extra, stdin=body).strip()


def test_hotkey_inserts_exact_multiline_chinese_and_restores_clipboard(app, target_window):
    add(app, "多行", MULTILINE, "--hotkey", "ctrl+alt+1")
    app.start()
    keeper = set_clipboard("agent's own clipboard 剪贴板")
    try:
        target_window.focus()
        xdotool("key", "ctrl+alt+1")
        target_window.wait_for_text(MULTILINE)
        time.sleep(0.3)  # would show a stray '1' or a second paste if there were one
        assert target_window.text() == MULTILINE
        assert target_window.enter_count() == 0  # a newline never sends a half message
        assert get_clipboard() == "agent's own clipboard 剪贴板"
    finally:
        keeper.kill()


def test_ten_rapid_triggers_insert_ten_snippets_in_order(app, target_window):
    keys = [str(n) for n in range(10)]
    bodies = {k: f"第{k}条回复：亲，您好！\n请稍等～ {k}" for k in keys}
    for k in keys:
        add(app, f"快速{k}", bodies[k], "--hotkey", f"ctrl+alt+{k}")
    app.start()
    keeper = set_clipboard("before the burst")
    try:
        target_window.focus()
        for k in keys:
            xdotool("key", f"ctrl+alt+{k}")
            time.sleep(0.1)
        expected = "".join(bodies[k] for k in keys)
        target_window.wait_for_text(expected, timeout=10)
        assert wait_for_clipboard("before the burst") == "before the burst"
    finally:
        keeper.kill()
    assert app.stop() == 0  # quits cleanly after many clipboard round trips


def test_auto_send_presses_enter_after_paste(app, target_window):
    add(app, "自动发送", "感谢您的耐心等待！", "--hotkey", "ctrl+alt+2", "--auto-send")
    app.start()
    target_window.focus()
    xdotool("key", "ctrl+alt+2")
    target_window.wait_for_text("感谢您的耐心等待！\n")
    assert target_window.enter_count() == 1


def test_cursor_placeholder_leaves_caret_there(app, target_window):
    add(app, "光标", "您的包裹预计{{cursor}}送达。", "--hotkey", "ctrl+alt+3")
    app.start()
    target_window.focus()
    xdotool("key", "ctrl+alt+3")
    target_window.wait_for_text("您的包裹预计送达。")
    time.sleep(0.3)  # the caret moves just after the paste lands
    xdotool("type", "--delay", "20", "xy")
    target_window.wait_for_text("您的包裹预计xy送达。")


def test_pause_stops_insertion_and_resume_restores_it(app, target_window):
    add(app, "暂停", "暂停测试", "--hotkey", "ctrl+alt+4")
    app.start()
    app.cli("pause")
    target_window.focus()
    xdotool("key", "ctrl+alt+4")
    time.sleep(0.5)
    assert "暂停测试" not in target_window.text()
    target_window.clear()
    app.cli("resume")
    target_window.focus()
    xdotool("key", "ctrl+alt+4")
    target_window.wait_for_text("暂停测试")


def test_placeholders_filled_from_shop_settings(app, target_window):
    add(
        app, "退货", "支持{{return_days}}天无理由退货，{{customer}}放心～", "--hotkey", "ctrl+alt+5"
    )
    add(
        app,
        "return",
        "Returns within {{return_days}} days, {{customer}}!",
        "--hotkey",
        "ctrl+alt+7",
    )
    app.start()
    target_window.focus()
    xdotool("key", "ctrl+alt+5")
    target_window.wait_for_text("支持7天无理由退货，亲放心～")
    xdotool("key", "ctrl+alt+7")
    target_window.wait_for_text("支持7天无理由退货，亲放心～Returns within 7 days, there!")


def test_hotkey_taken_by_another_program_is_reported(app, xvfb_display):
    from quickreply.core.hotkey import parse_hotkey
    from quickreply.platform.hotkeys.x11 import X11HotkeyBackend

    other = X11HotkeyBackend(xvfb_display)
    other.register(parse_hotkey("ctrl+alt+6"), lambda: None)
    try:
        add(app, "冲突", "x", "--hotkey", "ctrl+alt+6")
        status = app.start()
        assert "ctrl+alt+6" not in status["hotkeys"]
        assert any("Ctrl+Alt+6" in p and "another program" in p for p in status["problems"])
    finally:
        other.close()


def test_second_launch_does_not_start_a_second_app(app):
    app.start()
    out = app.cli()
    assert "already running" in out


def test_tray_menu_click_inserts_into_the_window_focused_before(app, target_window, xvfb_display):
    status = app.start()
    assert status["tray"] is True
    expected = app.cli("render", "qr-default-zh/greeting-welcome").rstrip("\n")
    target_window.focus()
    known = {w[0] for w in visible_windows(xvfb_display, app.process.pid)}
    x, y = tray_icon_center(xvfb_display, app.process.pid)
    xdotool("mousemove", str(x), str(y), "click", "1")
    menu = wait_for_new_window(xvfb_display, app.process.pid, known)
    known.add(menu[0])
    time.sleep(0.2)  # the popup takes its keyboard grab just after it maps
    xdotool("key", "--delay", "100", "Down", "Right")  # the first category, zh-CN 问候/欢迎, opens
    submenu = wait_for_new_window(xvfb_display, app.process.pid, known)
    _, sx, sy, sw, _ = submenu
    xdotool("mousemove", str(sx + sw // 2), str(sy + 14), "click", "1")
    target_window.wait_for_text(expected)


def test_category_hotkey_pops_a_menu_navigable_by_digits(app, target_window, xvfb_display):
    app.start()
    rows = json.loads(app.cli("list", "--category", "qr-default-zh/chase-payment", "--json"))
    index = next(i for i, r in enumerate(rows) if "{{" not in r["body"] and i > 0)
    expected = app.cli("render", rows[index]["id"]).rstrip("\n")
    target_window.focus()
    known = {w[0] for w in visible_windows(xvfb_display, app.process.pid)}
    xdotool("key", "alt+shift+6")  # 催付
    wait_for_new_window(xvfb_display, app.process.pid, known)
    time.sleep(0.2)  # the popup takes its keyboard grab just after it maps
    xdotool("key", str(index + 1))
    target_window.wait_for_text(expected)
