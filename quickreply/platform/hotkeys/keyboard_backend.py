"""Global hotkeys through the `keyboard` package: Linux as root with /dev/input, or Windows when
chosen explicitly (the Windows default is RegisterHotKey, platform/windows/hotkeys.py).

The package cannot tell whether another program uses a combination (it hooks every key press),
so this backend never raises HotkeyTakenError. It only listens, never suppresses: `keyboard`'s
suppression withholds Ctrl, Alt and Shift from every application (issue 18).
"""

from __future__ import annotations

import glob
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Callable

import keyboard

from quickreply.core.hotkey import MODIFIER_ORDER, Hotkey
from quickreply.platform.errors import BackendUnavailableError, HotkeyError

log = logging.getLogger(__name__)

INPUT_DEVICES = "/dev/input/event*"
LINUX_HELP = (
    "the keyboard backend needs root and /dev/input on Linux; use the X11 backend or run as root"
)
_MODIFIER_NAMES = {"ctrl": "ctrl", "alt": "alt", "shift": "shift", "win": "windows"}
_KEY_NAMES = {"escape": "esc", "pageup": "page up", "pagedown": "page down"}


def keyboard_key_name(key: str) -> str:
    """Return the `keyboard` package's name for one of our key names (``pageup`` -> ``page up``)."""
    return _KEY_NAMES.get(key, key)


def keyboard_combo(hotkey: Hotkey) -> tuple[str, ...]:
    """Return the combination as `keyboard` key names, e.g. ``("ctrl", "windows", "page up")``.

    A tuple rather than keyboard's "ctrl+a" string, whose syntax reads ',' as a step separator.
    """
    modifiers = [_MODIFIER_NAMES[m] for m in MODIFIER_ORDER if m in hotkey.modifiers]
    return (*modifiers, keyboard_key_name(hotkey.key))


def probe() -> tuple[bool, str]:
    """Return whether the keyboard backend can work here, with a one-line reason."""
    if sys.platform == "win32":
        return True, "Windows keyboard hook"
    if sys.platform != "linux":
        return False, f"not supported on {sys.platform}"
    if os.geteuid() != 0:
        return False, "needs root on Linux to read /dev/input; use the X11 backend"
    devices = [path for path in glob.glob(INPUT_DEVICES) if os.access(path, os.R_OK)]
    if not devices:
        return False, "no readable /dev/input/event* device; use the X11 backend"
    if shutil.which("dumpkeys") is None:
        return False, "needs the dumpkeys program (Debian/Ubuntu package 'kbd')"
    return True, f"root with {len(devices)} readable input devices"


class KeyboardHotkeyBackend:
    """Hotkeys seen by the `keyboard` hook, listening only: the keys also reach the focused app."""

    name = "keyboard"

    def __init__(self) -> None:
        """Create the backend; the hook starts with the first register()."""
        self._callbacks: dict[Hotkey, Callable[[], None]] = {}
        self._removers: dict[Hotkey, Callable[[], None]] = {}
        self._paused = False

    def register(self, hotkey: Hotkey, callback: Callable[[], None]) -> None:
        """Watch `hotkey`.

        Raises HotkeyError for a key this layout lacks, BackendUnavailableError without root.
        """
        self.unregister(hotkey)
        self._callbacks[hotkey] = callback
        if self._paused:
            return
        try:
            self._hook(hotkey)
        except Exception:
            del self._callbacks[hotkey]
            raise

    def unregister(self, hotkey: Hotkey) -> None:
        """Stop watching `hotkey`, if registered."""
        self._unhook(hotkey)
        self._callbacks.pop(hotkey, None)

    def pause(self) -> None:
        """Remove the hooks so the combinations reach other programs, until resume()."""
        for hotkey in list(self._removers):
            self._unhook(hotkey)
        self._paused = True

    def resume(self) -> None:
        """Hook the registered hotkeys again."""
        self._paused = False
        for hotkey in self._callbacks:
            self._hook(hotkey)

    def close(self) -> None:
        """Remove every hook this backend added."""
        self.pause()
        self._callbacks.clear()

    def _hook(self, hotkey: Hotkey) -> None:
        try:
            self._removers[hotkey] = keyboard.add_hotkey(
                keyboard_combo(hotkey),
                _guarded(self._callbacks[hotkey]),
                suppress=False,
                trigger_on_release=False,
            )
        except ValueError as exc:
            raise HotkeyError(f"{hotkey.display()} cannot be used here: {exc.args[0]}") from exc
        except (ImportError, AssertionError, OSError, subprocess.SubprocessError) as exc:
            raise BackendUnavailableError(LINUX_HELP) from exc

    def _unhook(self, hotkey: Hotkey) -> None:
        remove = self._removers.pop(hotkey, None)
        if remove is not None:
            remove()


def _guarded(callback: Callable[[], None]) -> Callable[[], None]:
    """Wrap a callback so an exception is logged: Windows drops hooks whose callbacks misbehave."""

    def run() -> None:
        try:
            callback()
        except Exception:
            log.exception("hotkey callback failed")

    return run
