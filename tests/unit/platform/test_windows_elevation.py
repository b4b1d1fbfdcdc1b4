"""Rule 16: elevated targets refused and told once; UWP hosts resolved; own elevation."""

from __future__ import annotations

from quickreply.platform.window import WindowInfo
from quickreply.platform.windows.constants import (
    SECURITY_MANDATORY_HIGH_RID,
    SECURITY_MANDATORY_MEDIUM_RID,
)
from quickreply.platform.windows.elevation import level_name, own_elevation, runs_above_us
from quickreply.platform.windows.window import Win32WindowTracker, process_name
from tests.unit.platform.fake_win32 import FakeWin32


def tracker(api: FakeWin32) -> Win32WindowTracker:
    return Win32WindowTracker(api, track_foreground=False)


def info(api: FakeWin32, hwnd: int) -> WindowInfo:
    return WindowInfo(hwnd, process_name(api, hwnd), "")


def test_elevated_target_is_refused_and_the_agent_told_once(api: FakeWin32) -> None:
    admin = api.add_window(200, r"C:\Qianniu\AliWorkbench.exe", level=SECURITY_MANDATORY_HIGH_RID)
    windows = tracker(api)
    first = windows.insert_problem(info(api, admin.hwnd))
    assert first[0] is True
    assert first[1] is not None and "administrator" in first[1] and "AliWorkbench.exe" in first[1]
    assert windows.insert_problem(info(api, admin.hwnd)) == (True, None)


def test_target_whose_token_we_may_not_read_runs_above_us(api: FakeWin32) -> None:
    api.add_window(200, r"C:\Qianniu\AliWorkbench.exe")
    api.denied.add(200)
    assert runs_above_us(api, 200)


def test_same_level_target_is_fine(api: FakeWin32) -> None:
    chat = api.add_window(200, r"C:\WeChat\WeChat.exe")
    assert tracker(api).insert_problem(info(api, chat.hwnd)) == (False, None)


def test_elevated_quickreply_inserts_into_elevated_targets(api: FakeWin32) -> None:
    api.own_level = SECURITY_MANDATORY_HIGH_RID
    admin = api.add_window(200, r"C:\Qianniu\AliWorkbench.exe", level=SECURITY_MANDATORY_HIGH_RID)
    assert tracker(api).insert_problem(info(api, admin.hwnd)) == (False, None)
    assert own_elevation(api)[0] is True
    assert "administrator" in own_elevation(api)[1]


def test_own_elevation_as_standard_user(api: FakeWin32) -> None:
    elevated, line = own_elevation(api)
    assert not elevated and "medium" in line
    assert level_name(SECURITY_MANDATORY_MEDIUM_RID) == "medium"
    assert level_name(None) == "unknown"
    assert level_name(0x1000) == "low"


def test_uwp_frame_resolves_to_the_app_inside(api: FakeWin32) -> None:
    frame = api.add_window(
        300, r"C:\Windows\System32\ApplicationFrameHost.exe", cls="ApplicationFrameWindow"
    )
    inner_host = api.add_window(300, r"C:\Windows\System32\ApplicationFrameHost.exe")
    app = api.add_window(
        400, r"C:\Program Files\WindowsApps\Mail\HxOutlook.exe", cls="Windows.UI.Core.CoreWindow"
    )
    frame.children = [inner_host.hwnd, app.hwnd]
    assert process_name(api, frame.hwnd) == "HxOutlook.exe"


def test_uwp_frame_without_its_app_keeps_the_host_name(api: FakeWin32) -> None:
    frame = api.add_window(300, r"C:\Windows\System32\applicationframehost.EXE")
    assert process_name(api, frame.hwnd) == "applicationframehost.EXE"


def test_gone_window_has_no_problem(api: FakeWin32) -> None:
    assert tracker(api).insert_problem(WindowInfo(0xDEAD, "x.exe", "")) == (False, None)
