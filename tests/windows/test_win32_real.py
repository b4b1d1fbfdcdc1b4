"""The Windows adapters against the real Win32 API (run by the Windows workflow)."""

from __future__ import annotations

import ctypes
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from quickreply.core.hotkey import parse_hotkey
from quickreply.platform.errors import HotkeyTakenError
from quickreply.platform.windows import win32
from quickreply.platform.windows.constants import SECURITY_MANDATORY_LOW_RID
from quickreply.platform.windows.hotkeys import Win32HotkeyBackend
from quickreply.platform.windows.keys import SendInputKeySender
from quickreply.platform.windows.window import Win32WindowTracker, process_name

pytestmark = pytest.mark.skipif(sys.platform != "win32", reason="real Win32 API: Windows only")
TARGET = Path(__file__).with_name("target_window.py")
COMBO = "ctrl+alt+shift+f11"  # unlikely to be held by anything on a test machine


@pytest.fixture
def api() -> win32.Win32:
    return win32.load()


def test_structures_match_the_windows_abi() -> None:
    assert ctypes.sizeof(win32.INPUT) == (40 if ctypes.sizeof(ctypes.c_void_p) == 8 else 28)


def test_own_integrity_level_is_readable(api: win32.Win32) -> None:
    level = api.integrity_level(None)
    assert level is not None and level >= SECURITY_MANDATORY_LOW_RID


def test_registerhotkey_reports_a_combination_taken_by_another_registration() -> None:
    first = Win32HotkeyBackend()
    second = Win32HotkeyBackend()
    try:
        first.register(parse_hotkey(COMBO), lambda: None)
        with pytest.raises(HotkeyTakenError):
            second.register(parse_hotkey(COMBO), lambda: None)
        first.unregister(parse_hotkey(COMBO))
        second.register(parse_hotkey(COMBO), lambda: None)  # free again
    finally:
        first.close()
        second.close()


@pytest.mark.interactive_desktop
def test_pressed_hotkey_fires_once_through_wm_hotkey(api: win32.Win32) -> None:
    backend = Win32HotkeyBackend()
    fired = threading.Event()
    count: list[int] = []
    backend.register(parse_hotkey(COMBO), lambda: (count.append(1), fired.set()))
    try:
        SendInputKeySender(api).send_combo(parse_hotkey(COMBO))
        assert fired.wait(5)
        time.sleep(0.3)
        assert count == [1]
    finally:
        backend.close()


@pytest.fixture
def target(tmp_path: Path):
    out = tmp_path / "target.txt"
    process = subprocess.Popen([sys.executable, str(TARGET), str(out)])
    ready = out.with_suffix(".ready")
    deadline = time.monotonic() + 15
    while not ready.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ready.exists(), "target window did not start"
    yield process, out
    process.kill()


def _close_and_read(api: win32.Win32, process: subprocess.Popen, out: Path) -> str:
    hwnd = api.foreground_window()
    api.post_message(hwnd, 0x0010)  # WM_CLOSE
    process.wait(10)
    return out.read_text(encoding="utf-8")


@pytest.mark.interactive_desktop
def test_sendinput_types_chinese_with_shift_enter_newlines_and_a_real_enter(api, target) -> None:
    process, out = target
    keys = SendInputKeySender(api)
    keys.release_held_modifiers()
    keys.type_text("亲，您好\n第二行 ok\x07")  # Tk's own non-BMP support varies: BMP only here
    keys.tap("enter")
    time.sleep(0.5)
    assert _close_and_read(api, process, out) == "亲，您好\n第二行 ok[SEND]"


@pytest.mark.interactive_desktop
def test_foreground_window_of_the_target_process(api, target) -> None:
    process, out = target
    tracker = Win32WindowTracker(api)
    try:
        window = tracker.active_window()
        assert window is not None
        assert process_name(api, window.handle).lower() in ("python.exe", "pythonw.exe")
        assert tracker.last_foreground() is not None
        assert tracker.insert_problem(window) == (False, None)
    finally:
        tracker.close()
    _close_and_read(api, process, out)


def test_doctor_lines_on_windows() -> None:
    from quickreply.platform.windows.doctor import checks

    subjects = [subject for _verdict, subject, _detail in checks()]
    assert subjects[:2] == ["elevation", "keyboard hook"]


def test_our_clipboard_data_carries_the_history_markers(qapp) -> None:  # noqa: ANN001
    from quickreply.platform.clipboard import Clipboard

    user32 = ctypes.WinDLL("user32", use_last_error=True)  # type: ignore[attr-defined]
    user32.RegisterClipboardFormatW.restype = ctypes.c_uint
    user32.RegisterClipboardFormatW.argtypes = [ctypes.c_wchar_p]
    user32.IsClipboardFormatAvailable.argtypes = [ctypes.c_uint]
    clipboard = Clipboard()
    saved = clipboard.snapshot()
    try:
        clipboard.put_reporting_text("亲，您好", lambda: None)
        qapp.processEvents()
        for name in (
            "CanIncludeInClipboardHistory",
            "ExcludeClipboardContentFromMonitorProcessing",
        ):
            assert user32.IsClipboardFormatAvailable(user32.RegisterClipboardFormatW(name)), name
    finally:
        clipboard.restore(saved)
        clipboard.release()
