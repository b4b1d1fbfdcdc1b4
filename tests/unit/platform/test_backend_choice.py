"""Choosing a hotkey backend and the `keyboard` backend's explanations: no X server needed."""

from __future__ import annotations

import sys

import pytest

from quickreply.core.hotkey import parse_hotkey
from quickreply.platform.errors import BackendUnavailableError, HotkeyError
from quickreply.platform.hotkeys import choose_backend
from quickreply.platform.hotkeys import keyboard_backend as kb

COMBO = parse_hotkey("ctrl+alt+1")


def test_keyboard_combo_uses_keyboard_package_names():
    assert kb.keyboard_combo(parse_hotkey("ctrl+alt+1")) == ("ctrl", "alt", "1")
    assert kb.keyboard_combo(parse_hotkey("shift+win+pageup")) == ("shift", "windows", "page up")
    assert kb.keyboard_combo(parse_hotkey("alt+escape")) == ("alt", "esc")
    assert kb.keyboard_combo(parse_hotkey("ctrl+,")) == ("ctrl", ",")
    assert kb.keyboard_combo(parse_hotkey("f9")) == ("f9",)
    assert kb.keyboard_key_name("enter") == "enter"


def test_choose_backend_without_display_or_input_devices_explains(
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.setattr(sys, "platform", "linux")
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(kb, "INPUT_DEVICES", "/nonexistent/input/event*")
    with pytest.raises(BackendUnavailableError) as caught:
        choose_backend()
    message = str(caught.value)
    assert "no X display; set DISPLAY or run under Xvfb: xvfb-run quickreply" in message
    assert "/dev/input" in message


def test_choose_backend_on_wayland_says_to_use_xorg(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    with pytest.raises(BackendUnavailableError, match="log in to an 'Xorg' session"):
        choose_backend("x11")


def test_keyboard_backend_without_root_explains(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(sys, "platform", "linux")

    def refuse(*args: object, **kwargs: object) -> None:
        raise ImportError("You must be root to use this library on linux.")

    monkeypatch.setattr(kb.keyboard, "add_hotkey", refuse)
    with pytest.raises(BackendUnavailableError, match="needs root and /dev/input"):
        kb.KeyboardHotkeyBackend().register(COMBO, lambda: None)


def test_keyboard_backend_reports_unknown_keys_as_hotkey_errors(monkeypatch: pytest.MonkeyPatch):
    def unknown(*args: object, **kwargs: object) -> None:
        raise ValueError("Key is not mapped to any known key.")

    monkeypatch.setattr(kb.keyboard, "add_hotkey", unknown)
    with pytest.raises(HotkeyError, match=r"Ctrl\+\\ cannot be used here"):
        kb.KeyboardHotkeyBackend().register(parse_hotkey("ctrl+\\"), lambda: None)
