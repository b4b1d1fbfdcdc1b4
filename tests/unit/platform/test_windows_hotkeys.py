"""Rule 11: RegisterHotKey backend on its own message thread."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from quickreply.core.hotkey import parse_hotkey
from quickreply.platform.errors import HotkeyTakenError
from quickreply.platform.windows.constants import MOD_ALT, MOD_CONTROL, MOD_SHIFT
from quickreply.platform.windows.hotkeys import Win32HotkeyBackend
from tests.unit.platform.fake_win32 import FakeWin32


@pytest.fixture
def backend(api: FakeWin32) -> Iterator[Win32HotkeyBackend]:
    backend = Win32HotkeyBackend(api)
    yield backend
    backend.close()


def fired_event(backend: Win32HotkeyBackend, combo: str) -> threading.Event:
    event = threading.Event()
    backend.register(parse_hotkey(combo), event.set)
    return event


def test_wm_hotkey_calls_the_callback_on_the_backend_thread(
    api: FakeWin32, backend: Win32HotkeyBackend
) -> None:
    threads: list[int] = []
    done = threading.Event()
    backend.register(
        parse_hotkey("alt+shift+1"), lambda: (threads.append(threading.get_ident()), done.set())
    )
    assert api.press_hotkey(MOD_ALT | MOD_SHIFT, 0x31)
    assert done.wait(5)
    assert threads[0] != threading.get_ident()


def test_registration_uses_mod_norepeat_on_the_window_thread(
    api: FakeWin32, backend: Win32HotkeyBackend
) -> None:
    # the fake asserts both: the window belongs to the calling thread and MOD_NOREPEAT is set
    fired_event(backend, "ctrl+alt+space")
    assert list(api.hotkeys.values()) == [(MOD_CONTROL | MOD_ALT, 0x20)]


def test_combination_held_by_another_program_is_reported_as_taken(
    api: FakeWin32, backend: Win32HotkeyBackend
) -> None:
    api.taken.add((MOD_SHIFT, 0x70))
    with pytest.raises(HotkeyTakenError, match="another program"):
        backend.register(parse_hotkey("shift+f1"), lambda: None)
    fired_event(backend, "shift+f2")  # the backend still works


def test_reregistering_replaces_the_callback_and_keeps_one_registration(
    api: FakeWin32, backend: Win32HotkeyBackend
) -> None:
    fired_event(backend, "shift+f1")
    second = fired_event(backend, "shift+f1")
    assert len(api.hotkeys) == 1
    api.press_hotkey(MOD_SHIFT, 0x70)
    assert second.wait(5)


def test_pause_releases_the_keys_and_resume_takes_them_back(
    api: FakeWin32, backend: Win32HotkeyBackend
) -> None:
    fired_event(backend, "shift+f1")
    backend.pause()
    assert api.hotkeys == {}
    backend.resume()
    assert list(api.hotkeys.values()) == [(MOD_SHIFT, 0x70)]


def test_unregister_and_close_release_everything(api: FakeWin32) -> None:
    backend = Win32HotkeyBackend(api)
    fired_event(backend, "shift+f1")
    fired_event(backend, "shift+f2")
    backend.unregister(parse_hotkey("shift+f1"))
    assert list(api.hotkeys.values()) == [(MOD_SHIFT, 0x71)]
    backend.close()
    backend.close()
    assert api.hotkeys == {}


def test_a_failing_callback_does_not_stop_the_thread(
    api: FakeWin32, backend: Win32HotkeyBackend
) -> None:
    backend.register(parse_hotkey("shift+f1"), lambda: 1 / 0)
    later = fired_event(backend, "shift+f2")
    api.press_hotkey(MOD_SHIFT, 0x70)
    api.press_hotkey(MOD_SHIFT, 0x71)
    assert later.wait(5)
