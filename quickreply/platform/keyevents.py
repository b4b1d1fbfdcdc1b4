"""The one key-event source: key presses (and mouse clicks) in every window, for the typed-
abbreviation watcher and the reply-speed key counter alike.

X11: the RECORD extension (one context, one thread, however many listeners). Windows: the
`keyboard` package's hook, installed once for all listeners; the reply-speed counter also reads
its raw key-downs and key-ups (modifier state, the hook watchdog's probe). Listeners are called on the source's thread and must only hand the
event on (a queued Qt signal). A `char` event carries the typed character so the abbreviation
watcher can match it in memory; no listener may store or log it.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Generic, Literal, Protocol, TypeVar

from quickreply.platform.errors import BackendUnavailableError
from quickreply.platform.windows.hook_watch import PROBE_SCAN_CODE

log = logging.getLogger(__name__)

KeyKind = Literal[
    "char", "backspace", "space", "tab", "enter", "navigation", "modifier", "click", "other"
]


@dataclass(frozen=True)
class KeyEvent:
    """One key press or mouse click; `char` only for kind "char" (never stored anywhere)."""

    kind: KeyKind
    t_ms: int  # monotonic clock, ms
    char: str = ""
    shift_or_ctrl: bool = False  # Shift or Ctrl held (Enter then makes a new line, not a send)
    command: bool = False  # Ctrl, Alt or Win held: a shortcut, not typing


KeyListener = Callable[[KeyEvent], None]
HookListener = Callable[[Any], None]  # a `keyboard` hook event: key-downs and key-ups
E = TypeVar("E")


def monotonic_ms() -> int:
    """Return the monotonic clock in ms: the clock every key event reports."""
    return time.monotonic_ns() // 1_000_000


class KeyEventSource(Protocol):
    """Key events for any number of listeners; runs while at least one listens."""

    def available(self) -> tuple[bool, str]:
        """Return whether key events can be read here, with a one-line reason."""

    def add_listener(self, listener: KeyListener) -> None:
        """Start calling `listener` (starting the source); raises BackendUnavailableError."""

    def remove_listener(self, listener: KeyListener) -> None:
        """Stop calling `listener` (the source stops with its last listener); safe twice."""


class _Listeners(Generic[E]):
    """The listener list, shared by the Qt thread (add/remove) and the source thread (emit)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: list[Callable[[E], None]] = []

    def __bool__(self) -> bool:
        with self._lock:
            return bool(self._listeners)

    def add(self, listener: Callable[[E], None]) -> bool:
        """Add `listener`; return whether it is the first one."""
        with self._lock:
            if listener in self._listeners:
                return False
            self._listeners.append(listener)
            return len(self._listeners) == 1

    def remove(self, listener: Callable[[E], None]) -> bool:
        """Remove `listener`; return whether none are left (and there was one)."""
        with self._lock:
            if listener not in self._listeners:
                return False
            self._listeners.remove(listener)
            return not self._listeners

    def emit(self, event: E) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(event)
            except Exception:
                log.exception("key event listener failed")


@lru_cache(maxsize=1)
def shared_key_events() -> KeyEventSource:
    """Return this process's key-event source (one RECORD context / one hook for all users)."""
    if sys.platform == "win32":
        return shared_keyboard_events()
    return X11KeyEvents()


@lru_cache(maxsize=1)
def shared_keyboard_events() -> KeyboardKeyEvents:
    """Return this process's one `keyboard` hook (on Windows, the shared key-event source)."""
    return KeyboardKeyEvents()


class X11KeyEvents:
    """Key presses and button presses from the X RECORD extension, on a daemon thread."""

    def __init__(self, display_name: str | None = None) -> None:
        self._display_name = display_name
        self._listeners: _Listeners[KeyEvent] = _Listeners()
        self._control: Any = None
        self._context: Any = None
        self._thread: threading.Thread | None = None

    def available(self) -> tuple[bool, str]:
        """Return whether the X display is reachable and has the RECORD extension."""
        name = self._display_name or os.environ.get("DISPLAY")
        if not name:
            if os.environ.get("WAYLAND_DISPLAY"):
                return False, "Wayland does not let applications see key presses in other windows"
            return False, "no X display (DISPLAY is unset)"
        try:
            display = _open(name)
        except BackendUnavailableError as exc:
            return False, str(exc)
        try:
            if not display.has_extension("RECORD"):
                return False, f"X display {name} lacks the RECORD extension needed to see keys"
        finally:
            display.close()
        return True, f"X display {name} (RECORD extension)"

    def add_listener(self, listener: KeyListener) -> None:
        """Add `listener`; the first one starts the RECORD context."""
        if self._listeners.add(listener) and self._thread is None:
            try:
                self._start()
            except BaseException:
                self._listeners.remove(listener)
                raise

    def remove_listener(self, listener: KeyListener) -> None:
        """Remove `listener`; the last one stops the RECORD context."""
        if self._listeners.remove(listener):
            self._stop()

    def _start(self) -> None:
        from Xlib import X
        from Xlib.ext import record

        usable, reason = self.available()
        if not usable:
            raise BackendUnavailableError(f"cannot see key presses: {reason}")
        self._control = _open(self._display_name)
        data = _open(self._display_name)
        self._context = self._control.record_create_context(
            0,
            [record.AllClients],
            [
                {
                    "core_requests": (0, 0),
                    "core_replies": (0, 0),
                    "ext_requests": (0, 0, 0, 0),
                    "ext_replies": (0, 0, 0, 0),
                    "delivered_events": (0, 0),
                    "device_events": (X.KeyPress, X.ButtonPress),
                    "errors": (0, 0),
                    "client_started": False,
                    "client_died": False,
                }
            ],
        )
        self._control.sync()  # the data connection must see the context before enabling it
        handler = _RecordHandler(data, _KeyMap(self._control), self._listeners.emit)
        self._thread = threading.Thread(
            target=handler.run, args=(self._context,), name="quickreply-keyevents", daemon=True
        )
        self._thread.start()

    def _stop(self) -> None:
        if self._thread is None:
            return
        try:
            self._control.record_disable_context(self._context)
            self._control.sync()
            self._thread.join(timeout=5)
            self._control.record_free_context(self._context)
            self._control.close()
        except Exception:
            log.debug("X connection already gone while stopping key events", exc_info=True)
        self._thread = None


class _KeyMap:
    """Keycode -> what kind of key, computed from the keyboard mapping once."""

    def __init__(self, display: Any) -> None:
        from Xlib import XK

        self._display = display
        codes = display.keysym_to_keycodes

        def of(*names: str) -> set[int]:
            return {code for name in names for code, _ in codes(XK.string_to_keysym(name))}

        self.shift = of("Shift_L", "Shift_R")
        self.ctrl = of("Control_L", "Control_R")
        self.command = self.ctrl | of("Alt_L", "Alt_R", "Meta_L", "Meta_R", "Super_L", "Super_R")
        self.modifiers = self.shift | self.command | of("Caps_Lock", "ISO_Level3_Shift")
        self.kinds: dict[int, KeyKind] = {}
        for kind, names in (
            ("backspace", ("BackSpace",)),
            ("enter", ("Return", "KP_Enter")),
            ("space", ("space",)),
            ("tab", ("Tab", "ISO_Left_Tab")),
            (
                "navigation",
                ("Left", "Right", "Up", "Down", "Home", "End", "Prior", "Next", "Escape",
                 "Delete", "KP_Left", "KP_Right", "KP_Up", "KP_Down"),
            ),
        ):  # fmt: skip
            for code in of(*names):
                self.kinds[code] = kind  # type: ignore[assignment]

    def char(self, code: int, shifted: bool) -> str:
        """Return the character a key types (with Shift when `shifted`), or "" for none."""
        keysym = self._display.keycode_to_keysym(code, 1 if shifted else 0)
        if not keysym:
            keysym = self._display.keycode_to_keysym(code, 0)
        if 0x20 <= keysym <= 0x7E or 0xA0 <= keysym <= 0xFF:
            return chr(keysym)
        if keysym >= 0x1000000:
            return chr(keysym - 0x1000000)
        return ""


class _RecordHandler:
    """Runs on the RECORD thread: turns raw device events into KeyEvents."""

    def __init__(self, display: Any, keys: _KeyMap, emit: KeyListener) -> None:
        self._display = display
        self._keys = keys
        self._emit = emit
        self._held: set[int] = set()

    def run(self, context: Any) -> None:
        try:
            self._display.record_enable_context(context, self._on_reply)  # blocks until disabled
        except Exception:
            log.exception("key events stopped")
        finally:
            self._display.close()

    def _on_reply(self, reply: Any) -> None:
        from Xlib import X
        from Xlib.ext import record
        from Xlib.protocol import rq

        if reply.category != record.FromServer or reply.client_swapped:
            return
        data = reply.data
        while len(data):
            event, data = rq.EventField(None).parse_binary_value(
                data, self._display.display, None, None
            )
            if event.type == X.KeyRelease:
                self._held.discard(event.detail)
            elif event.type == X.ButtonPress:
                self._emit(KeyEvent("click", monotonic_ms()))
            elif event.type == X.KeyPress:
                self._emit(self._key_event(event.detail))

    def _key_event(self, code: int) -> KeyEvent:
        keys = self._keys
        now = monotonic_ms()
        held = self._held
        shift_or_ctrl = bool(held & (keys.shift | keys.ctrl))
        command = bool(held & keys.command)
        if code in keys.modifiers:
            held.add(code)
            return KeyEvent("modifier", now, shift_or_ctrl=shift_or_ctrl, command=command)
        kind = keys.kinds.get(code)
        if kind is None:
            char = keys.char(code, bool(held & keys.shift))
            kind = "char" if char else "other"
            return KeyEvent(kind, now, char, shift_or_ctrl, command)
        return KeyEvent(kind, now, "", shift_or_ctrl, command)


class KeyboardKeyEvents:
    """Key presses from the `keyboard` package's global hook (Windows; Linux only as root).

    One hook for every listener: key-event listeners (the abbreviation watcher) get a KeyEvent
    per key-down, hook listeners (the reply-speed counter) every raw event. The hook is installed
    with the first listener of either kind and removed with the last.
    """

    _NAMES: dict[str, KeyKind] = {
        "backspace": "backspace",
        "enter": "enter",
        "space": "space",
        "tab": "tab",
        **{
            name: "navigation"
            for name in (
                "left",
                "right",
                "up",
                "down",
                "home",
                "end",
                "page up",
                "page down",
                "esc",
                "delete",
            )
        },  # fmt: skip
        **{
            name: "modifier"
            for name in (
                "shift",
                "right shift",
                "left shift",
                "ctrl",
                "right ctrl",
                "left ctrl",
                "alt",
                "alt gr",
                "right alt",
                "left alt",
                "windows",
                "left windows",
                "right windows",
                "caps lock",
            )
        },  # fmt: skip
    }

    def __init__(self) -> None:
        self._listeners: _Listeners[KeyEvent] = _Listeners()
        self._hook_listeners: _Listeners[Any] = _Listeners()
        self._hook: Any = None

    def available(self) -> tuple[bool, str]:
        """Return whether the `keyboard` hook can run here."""
        try:
            import keyboard  # noqa: F401
        except (ImportError, OSError) as exc:
            return False, f"the keyboard hook cannot load: {exc}"
        if sys.platform != "win32" and os.geteuid() != 0:
            return (
                False,
                "the keyboard hook needs administrator rights on Linux; X11 is used instead",
            )
        return True, "keyboard hook"

    def add_listener(self, listener: KeyListener) -> None:
        """Add `listener` (a KeyEvent per key-down); installs the hook if it is the first."""
        if self._listeners.add(listener):
            self._install(lambda: self._listeners.remove(listener))

    def remove_listener(self, listener: KeyListener) -> None:
        """Remove `listener`; the last listener of either kind removes the hook."""
        self._listeners.remove(listener)
        self._uninstall_unused()

    def add_hook_listener(self, listener: HookListener) -> None:
        """Also call `listener` with every raw hook event (key-downs and key-ups, with scan
        codes), on the hook's thread; installs the hook if needed. Raises BackendUnavailableError.
        """
        if self._hook_listeners.add(listener):
            self._install(lambda: self._hook_listeners.remove(listener))

    def remove_hook_listener(self, listener: HookListener) -> None:
        """Stop calling `listener`; the last listener of either kind removes the hook."""
        self._hook_listeners.remove(listener)
        self._uninstall_unused()

    def _install(self, undo: Callable[[], object]) -> None:
        if self._hook is not None:
            return
        import keyboard

        try:
            self._hook = keyboard.hook(self._handle)
        except (ImportError, OSError) as exc:
            undo()
            raise BackendUnavailableError(f"cannot see key presses: {exc}") from exc

    def _uninstall_unused(self) -> None:
        if self._hook is None or self._listeners or self._hook_listeners:
            return
        import keyboard

        keyboard.unhook(self._hook)
        self._hook = None

    def _handle(self, event: Any) -> None:
        """On the hook's thread: hand the event on, nothing else."""
        import keyboard

        self._hook_listeners.emit(event)
        if event.event_type != keyboard.KEY_DOWN or event.scan_code == PROBE_SCAN_CODE:
            return
        if not self._listeners:
            return
        name = str(event.name or "")
        shift_or_ctrl = keyboard.is_pressed("shift") or keyboard.is_pressed("ctrl")
        command = keyboard.is_pressed("ctrl") or keyboard.is_pressed("alt")
        kind = self._NAMES.get(name.lower(), "char" if len(name) == 1 else "other")
        char = name if kind == "char" else ""
        self._listeners.emit(KeyEvent(kind, monotonic_ms(), char, shift_or_ctrl, command))


def _open(display_name: str | None) -> Any:
    from quickreply.platform.x11 import open_display

    return open_display(display_name)
