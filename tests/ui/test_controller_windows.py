"""The controller with the Windows window tracker on a fake Win32 layer: elevated targets are
refused with one message, the tray targets the last real window, our auto-send is reported."""

from __future__ import annotations

from dataclasses import replace

import pytest

from quickreply.app.controller import Controller
from quickreply.core.library.model import Snippet
from quickreply.core.library.settings import load_settings, save_settings
from quickreply.platform.windows.constants import SECURITY_MANDATORY_HIGH_RID
from quickreply.platform.windows.window import Win32WindowTracker
from tests.unit.platform.fake_win32 import FakeWin32


def add(ctl: Controller, body: str, **kw) -> Snippet:
    return ctl.store.add(Snippet(id=ctl.store.new_snippet_id(), title="t", body=body, **kw))


@pytest.fixture
def win(controller):
    api = FakeWin32()
    controller.windows = Win32WindowTracker(api)
    yield api
    controller.windows.close()


def test_elevated_target_gets_no_keys_and_one_message(controller, win, qtbot):
    admin = win.add_window(200, r"C:\Qianniu\AliWorkbench.exe", level=SECURITY_MANDATORY_HIGH_RID)
    win.activate(admin.hwnd)
    messages: list[str] = []
    controller.error.connect(messages.append)
    snippet = add(controller, "亲，在的")
    controller.insert(snippet, "hotkey")
    controller.insert(snippet, "hotkey")
    assert "ctrl+v" not in controller.injector.keys.sent
    assert len(messages) == 1 and "administrator" in messages[0]
    assert controller.recorder.events == []


def test_normal_target_is_inserted_into(controller, win):
    chat = win.add_window(200, r"C:\WeChat\WeChat.exe")
    win.activate(chat.hwnd)
    controller.insert(add(controller, "亲，在的"), "hotkey")
    assert "ctrl+v" in controller.injector.keys.sent
    assert controller.recorder.events[0].target_app == "WeChat.exe"


def test_tray_target_is_the_chat_window_after_the_taskbar_click(controller, win):
    chat = win.add_window(200, r"C:\WeChat\WeChat.exe")
    taskbar = win.add_window(50, r"C:\Windows\explorer.exe", cls="Shell_TrayWnd")
    win.activate(chat.hwnd)
    win.activate(taskbar.hwnd)
    assert controller.active_window().handle == taskbar.hwnd
    assert controller.menu_target().handle == chat.hwnd


def test_per_app_paste_keys_match_without_exe_and_case(controller, win):
    settings = replace(load_settings(controller.store), app_paste_keys={"wechat": "ctrl+shift+v"})
    save_settings(controller.store, settings)
    controller.settings = load_settings(controller.store)
    chat = win.add_window(200, r"C:\WeChat\WeChat.exe")
    win.activate(chat.hwnd)
    controller.insert(add(controller, "x"), "hotkey")
    assert "ctrl+shift+v" in controller.injector.keys.sent


def test_own_auto_send_is_reported_when_enter_went_out(controller, qtbot):
    save_settings(controller.store, replace(load_settings(controller.store), insert_mode="type"))
    controller.settings = load_settings(controller.store)
    with qtbot.waitSignal(controller.auto_sent, timeout=2000):
        controller.insert(add(controller, "好的", auto_send=True), "hotkey")


def test_no_auto_send_report_without_a_send(controller):
    sent: list[str] = []
    controller.auto_sent.connect(sent.append)
    controller.insert(add(controller, "好的"), "hotkey")
    assert sent == []


def test_palette_opened_from_the_tray_targets_the_chat_window(controller, win, qtbot):
    from quickreply.core.search.index import SearchIndex
    from quickreply.ui.palette import Palette

    chat = win.add_window(200, r"C:\WeChat\WeChat.exe")
    taskbar = win.add_window(50, r"C:\Windows\explorer.exe", cls="Shell_TrayWnd")
    win.activate(chat.hwnd)
    win.activate(taskbar.hwnd)  # the tray click, then "Search..."
    palette = Palette(controller, SearchIndex.from_store(controller.store, dict))
    qtbot.addWidget(palette)
    palette.open()
    assert palette._target is not None and palette._target.handle == chat.hwnd
    palette.hide()
