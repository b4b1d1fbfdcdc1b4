"""Global hotkeys: the backend protocol and the choice of a backend for this system.

Three backends: ``x11`` (python-xlib key grabs; Linux desktops, Xvfb and tests), ``win32``
(RegisterHotKey; the Windows default, see platform/windows/hotkeys.py) and ``keyboard`` (the
`keyboard` package's hook; Linux as root with /dev/input, or Windows by explicit choice). Backend
modules are imported lazily so that this package imports on every platform.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Protocol

from quickreply.core.hotkey import Hotkey
from quickreply.platform.errors import BackendUnavailableError

BACKEND_NAMES = ("x11", "win32", "keyboard")


class HotkeyBackend(Protocol):
    """Watches global key combinations and calls a callback when one is pressed.

    Methods are called from the Qt main thread. Callbacks run on the backend's own thread
    (the X11 listener thread, the `keyboard` hook thread), so they must be cheap and must not
    touch widgets: the app passes a callback that only emits a Qt signal and returns.
    """

    name: str

    def register(self, hotkey: Hotkey, callback: Callable[[], None]) -> None:
        """Watch `hotkey` (replacing an earlier callback for it).

        Raises HotkeyTakenError if another program holds it, HotkeyError if it cannot be used here.
        """

    def unregister(self, hotkey: Hotkey) -> None:
        """Stop watching `hotkey`; unknown combinations are ignored."""

    def pause(self) -> None:
        """Let registered hotkeys reach other programs (not consumed, no callback) until resume."""

    def resume(self) -> None:
        """Watch the registered hotkeys again after pause."""

    def close(self) -> None:
        """Release every hotkey and stop the backend's thread; safe to call twice."""


def availability() -> list[tuple[str, bool, str]]:
    """Return (backend name, usable?, one-line reason) for every backend, for `quickreply doctor`."""
    return [(name, *_probe(name)) for name in BACKEND_NAMES]


def choose_backend(preferred: str | None = None) -> HotkeyBackend:
    """Create the hotkey backend named `preferred` (see BACKEND_NAMES), or the best one if None.

    Raises BackendUnavailableError saying why no backend can run and what to do about it.
    """
    if preferred is not None:
        if preferred not in BACKEND_NAMES:
            raise BackendUnavailableError(
                f"unknown hotkey backend '{preferred}'; use one of: {', '.join(BACKEND_NAMES)}"
            )
        usable, reason = _probe(preferred)
        if not usable:
            raise BackendUnavailableError(f"the {preferred} hotkey backend cannot run: {reason}")
        return _create(preferred)
    if sys.platform == "win32":
        return _create("win32")
    x11_usable, x11_reason = _probe("x11")
    if x11_usable:
        return _create("x11")
    keyboard_usable, keyboard_reason = _probe("keyboard")
    if keyboard_usable:
        return _create("keyboard")
    raise BackendUnavailableError(
        f"global hotkeys are unavailable: {x11_reason} (keyboard backend: {keyboard_reason})"
    )


def _probe(name: str) -> tuple[bool, str]:
    """Return whether backend `name` can run here and why (or why not)."""
    if name == "x11":
        if sys.platform in ("win32", "darwin"):
            return False, f"X11 is not used on {sys.platform}"
        try:
            from quickreply.platform.hotkeys import x11
        except ImportError:
            return False, "python-xlib is not installed; run: pip install python-xlib"
        return x11.probe()
    if name == "win32":
        from quickreply.platform.windows import hotkeys as win32_hotkeys

        return win32_hotkeys.probe()
    from quickreply.platform.hotkeys import keyboard_backend

    return keyboard_backend.probe()


def _create(name: str) -> HotkeyBackend:
    """Instantiate backend `name` (already probed)."""
    if name == "x11":
        from quickreply.platform.hotkeys.x11 import X11HotkeyBackend

        return X11HotkeyBackend()
    if name == "win32":
        from quickreply.platform.windows.hotkeys import Win32HotkeyBackend

        return Win32HotkeyBackend()
    from quickreply.platform.hotkeys.keyboard_backend import KeyboardHotkeyBackend

    return KeyboardHotkeyBackend()
