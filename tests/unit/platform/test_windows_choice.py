"""choose_backend picks RegisterHotKey on Windows; the Windows modules import everywhere."""

from __future__ import annotations

import importlib
import sys

import pytest

from quickreply.core.library.settings import Settings, validate_settings
from quickreply.platform import hotkeys
from quickreply.platform.errors import BackendUnavailableError

MODULES = [
    "constants", "vkeys", "win32", "keys", "hotkeys", "focus", "foreground", "elevation",
    "window", "ime", "hook_watch", "doctor",
]  # fmt: skip


@pytest.mark.parametrize("name", MODULES)
def test_windows_modules_import_on_any_system(name: str) -> None:
    importlib.import_module(f"quickreply.platform.windows.{name}")


def test_windows_picks_the_registerhotkey_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    created: list[str] = []
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(hotkeys, "_create", lambda name: created.append(name) or name)
    hotkeys.choose_backend()
    assert created == ["win32"]


def test_win32_backend_is_listed_and_unusable_off_windows() -> None:
    names = [name for name, _usable, _reason in hotkeys.availability()]
    assert "win32" in names
    if sys.platform != "win32":
        with pytest.raises(BackendUnavailableError, match="win32"):
            hotkeys.choose_backend("win32")


def test_win32_is_a_valid_backend_setting() -> None:
    validate_settings(Settings(hotkey_backend="win32"))
