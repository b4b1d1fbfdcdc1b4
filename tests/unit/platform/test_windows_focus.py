"""Rule 12 (Windows): force-activation, tray target tracking, focus refused for hung windows."""

from __future__ import annotations

from quickreply.platform.windows.focus import allow_foreground_handoff, force_activate
from quickreply.platform.windows.foreground import ForegroundTracker, is_application_window
from quickreply.platform.windows.window import Win32WindowTracker
from tests.unit.platform.fake_win32 import FakeWin32

WECHAT = r"C:\Program Files\Tencent\WeChat\WeChat.exe"


def test_foreground_right_is_used_directly(api: FakeWin32) -> None:
    chat = api.add_window(200, WECHAT)
    assert force_activate(api, chat.hwnd)
    assert api.foreground == chat.hwnd
    assert api.attached == []


def test_refused_activation_attaches_to_the_foreground_thread_once(api: FakeWin32) -> None:
    chat = api.add_window(200, WECHAT)
    palette = api.add_window(api.own_pid, api.processes[api.own_pid], cls="Qt6QWindowIcon")
    api.activate(chat.hwnd)
    api.foreground_allowed = False
    assert force_activate(api, palette.hwnd)
    assert api.foreground == palette.hwnd
    assert api.attached == []  # detached again afterwards


def test_a_hung_foreground_thread_is_never_attached_to(api: FakeWin32) -> None:
    hung = api.add_window(300, r"C:\Apps\Frozen.exe")
    hung.hung = True
    palette = api.add_window(api.own_pid, "quickreply.exe", cls="Qt6QWindowIcon")
    api.activate(hung.hwnd)
    api.foreground_allowed = False
    calls: list[tuple[int, int, bool]] = []
    real = api.attach_thread_input
    api.attach_thread_input = lambda a, b, on: (calls.append((a, b, on)), real(a, b, on))[1]  # type: ignore[method-assign]
    assert not force_activate(api, palette.hwnd)
    assert calls == []


def test_focus_back_to_a_hung_or_closed_target_fails(api: FakeWin32) -> None:
    chat = api.add_window(200, WECHAT)
    chat.hung = True
    assert not force_activate(api, chat.hwnd)
    assert not force_activate(api, 0xDEAD)


def test_minimised_target_is_restored(api: FakeWin32) -> None:
    chat = api.add_window(200, WECHAT)
    chat.iconic = True
    assert force_activate(api, chat.hwnd)
    assert not chat.iconic


def test_shell_and_own_windows_are_not_targets() -> None:
    assert not is_application_window("Shell_TrayWnd", 50, 100)
    assert not is_application_window("NotifyIconOverflowWindow", 50, 100)
    assert not is_application_window("Chrome_WidgetWin_1", 100, 100)
    assert is_application_window("Chrome_WidgetWin_1", 50, 100)


def test_tray_target_is_the_chat_window_not_the_taskbar(api: FakeWin32) -> None:
    chat = api.add_window(200, WECHAT, title="文件传输助手")
    taskbar = api.add_window(50, r"C:\Windows\explorer.exe", cls="Shell_TrayWnd")
    menu = api.add_window(api.own_pid, "quickreply.exe", cls="Qt6QWindowToolSaveBits")
    tracker = Win32WindowTracker(api)
    try:
        api.activate(chat.hwnd)
        api.activate(taskbar.hwnd)  # the click on the tray icon
        api.activate(menu.hwnd)  # our menu opens
        assert tracker.active_window().handle == menu.hwnd  # type: ignore[union-attr]
        last = tracker.last_foreground()
        assert last is not None and last.handle == chat.hwnd
        assert last.process_name == "WeChat.exe" and last.title == "文件传输助手"
    finally:
        tracker.close()


def test_closed_window_is_no_longer_the_tray_target(api: FakeWin32) -> None:
    chat = api.add_window(200, WECHAT)
    tracker = ForegroundTracker(api)
    assert tracker.start()
    api.activate(chat.hwnd)
    assert tracker.last() == chat.hwnd
    del api.windows[chat.hwnd]
    assert tracker.last() == 0
    tracker.stop()
    tracker.stop()
    assert api.hooks == {}


def test_tracker_starts_from_the_current_foreground_window(api: FakeWin32) -> None:
    chat = api.add_window(200, WECHAT)
    api.foreground = chat.hwnd
    tracker = ForegroundTracker(api)
    tracker.start()
    assert tracker.last() == chat.hwnd
    tracker.stop()


def test_own_window_activation_through_the_tracker(api: FakeWin32) -> None:
    palette = api.add_window(api.own_pid, "quickreply.exe", cls="Qt6QWindowIcon")
    tracker = Win32WindowTracker(api, track_foreground=False)
    assert tracker.activate_own(palette.hwnd)
    assert api.foreground == palette.hwnd


def test_second_launch_allows_the_running_app_to_take_the_foreground(api: FakeWin32) -> None:
    assert allow_foreground_handoff(api)
