"""Counting key presses for the opt-in reply-speed figures: "a key" or "Enter", never which key.

X11: the RECORD extension reports every key press on the display (typed or sent by XTEST); we keep
only whether it was Enter, from a keycode set computed once. Windows: a `keyboard` hook, keeping
only whether the event was Enter. Callbacks run on the hook's thread and must only hand off.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

from quickreply.core.usage.key_stream import KeyStream, key_kind
from quickreply.platform.errors import BackendUnavailableError

log = logging.getLogger(__name__)

KeyCallback = Callable[[bool, int], None]  # (is_enter, monotonic ms)


def monotonic_ms() -> int:
    """Return the monotonic clock in ms: the clock every key callback reports."""
    return time.monotonic_ns() // 1_000_000


class KeyCounter(Protocol):
    """Reports each key press as (is_enter, monotonic ms) to one callback, on its own thread."""

    def available(self) -> tuple[bool, str]:
        """Return whether key presses can be counted here, with a one-line reason."""

    def start(self, on_key: KeyCallback) -> None:
        """Start calling `on_key` for every key press; raises BackendUnavailableError if it cannot."""

    def stop(self) -> None:
        """Stop counting; safe to call twice, or without start."""


def choose_key_counter(on_problem: Callable[[str], None] | None = None) -> KeyCounter:
    """Return the key counter for this system (check `available()` before `start`).

    `on_problem` receives messages for the agent (Windows: the hook was removed and is back).
    """
    if sys.platform == "win32":
        return KeyboardKeyCounter(on_problem)
    return X11KeyCounter()


class X11KeyCounter:
    """Key presses from the X RECORD extension, on a thread with its own X connection."""

    def __init__(self, display_name: str | None = None) -> None:
        self._display_name = display_name
        self._control: Any = None
        self._context: Any = None
        self._thread: threading.Thread | None = None

    def available(self) -> tuple[bool, str]:
        """Return whether the X display is reachable and has the RECORD extension."""
        name = self._display_name or os.environ.get("DISPLAY")
        if not name:
            if os.environ.get("WAYLAND_DISPLAY"):
                return False, "Wayland does not let applications count key presses in other windows"
            return False, "no X display (DISPLAY is unset)"
        try:
            display = _open(name)
        except BackendUnavailableError as exc:
            return False, str(exc)
        try:
            if not display.has_extension("RECORD"):
                return False, f"X display {name} lacks the RECORD extension needed to count keys"
        finally:
            display.close()
        return True, f"X display {name} (RECORD extension)"

    def start(self, on_key: KeyCallback) -> None:
        """Create a RECORD context for key presses and serve it on a daemon thread."""
        if self._thread is not None:
            return
        from Xlib import XK, X
        from Xlib.ext import record

        usable, reason = self.available()
        if not usable:
            raise BackendUnavailableError(f"cannot count key presses: {reason}")
        self._control = _open(self._display_name)
        data = _open(self._display_name)
        keycodes = self._control.keysym_to_keycodes
        enter = {code for sym in (XK.XK_Return, XK.XK_KP_Enter) for code, _ in keycodes(sym)}
        # with Shift or Ctrl held, Enter makes a new line in most chat apps: it does not send
        held_syms = (XK.XK_Shift_L, XK.XK_Shift_R, XK.XK_Control_L, XK.XK_Control_R)
        modifiers = {code for sym in held_syms for code, _ in keycodes(sym)}
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
                    "device_events": (X.KeyPress, X.KeyRelease),
                    "errors": (0, 0),
                    "client_started": False,
                    "client_died": False,
                }
            ],
        )
        self._control.sync()  # the data connection must see the context before enabling it
        handler = _RecordHandler(data, on_key, enter, modifiers)
        self._thread = threading.Thread(
            target=handler.run, args=(self._context,), name="quickreply-keycount", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Disable the RECORD context, join the thread and close both connections."""
        if self._thread is None:
            return
        try:
            self._control.record_disable_context(self._context)
            self._control.sync()
            self._thread.join(timeout=5)
            self._control.record_free_context(self._context)
            self._control.close()
        except Exception:
            log.debug("X connection already gone while stopping the key counter", exc_info=True)
        self._thread = None


class _RecordHandler:
    """Runs on the RECORD thread: turns raw device events into (is_enter, ms) calls."""

    def __init__(
        self, display: Any, on_key: KeyCallback, enter: set[int], modifiers: set[int]
    ) -> None:
        self._display = display
        self._on_key = on_key
        self._enter = enter
        self._modifiers = modifiers
        self._held: set[int] = set()

    def run(self, context: Any) -> None:
        try:
            self._display.record_enable_context(context, self._on_reply)  # blocks until disabled
        except Exception:
            log.exception("key counting stopped")
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
            code = event.detail
            if event.type == X.KeyRelease:
                self._held.discard(code)
            elif event.type == X.KeyPress:
                if code in self._modifiers:
                    self._held.add(code)
                is_enter = code in self._enter and not self._held
                try:
                    self._on_key(is_enter, monotonic_ms())
                except Exception:
                    log.exception("key count callback failed")


class KeyboardKeyCounter:
    """Key presses from the `keyboard` package's global hook (Windows; Linux only as root).

    The hook only listens (never suppresses). Modifier state and auto-repeat come from the event
    stream (core.usage.key_stream); on Windows the IME is asked at each Enter, and a watchdog
    re-installs the hook when Windows has removed it, telling the agent through `on_problem`.
    """

    def __init__(self, on_problem: Callable[[str], None] | None = None) -> None:
        self._hook: Any = None
        self._on_problem = on_problem or log.warning
        self._watch: Any = None

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

    def start(self, on_key: KeyCallback) -> None:
        """Install the hook; each key-down becomes on_key(is_enter, ms)."""
        if self._hook is not None:
            return
        import keyboard

        stream = KeyStream()
        composing: Callable[[], bool | None] = lambda: None  # noqa: E731
        watchdog: Any = None
        probe_scan_code: int | None = None
        if sys.platform == "win32":
            from quickreply.platform.windows import hook_watch, ime, win32

            api = win32.load()
            composing = lambda: ime.composition_open(api)  # noqa: E731
            probe_scan_code = hook_watch.PROBE_SCAN_CODE
            watchdog, self._watch = hook_watch.start_keyboard_watchdog(
                api, monotonic_ms, self._on_problem
            )

        def handle(event: Any) -> None:
            t_ms = monotonic_ms()
            if watchdog is not None:
                watchdog.seen(t_ms)
            if event.scan_code == probe_scan_code:
                return  # the watchdog's probe, not the agent's typing
            kind = key_kind(event.name or "")
            down = event.event_type == keyboard.KEY_DOWN
            meaning = stream.event(
                kind, down, t_ms, composing() if kind == "enter" and down else None
            )
            if meaning is not None:
                on_key(meaning, t_ms)

        try:
            self._hook = keyboard.hook(handle)
        except (ImportError, OSError) as exc:
            raise BackendUnavailableError(f"cannot count key presses: {exc}") from exc

    def stop(self) -> None:
        """Remove the hook and its watchdog."""
        if self._watch is not None:
            self._watch.stop()
            self._watch = None
        if self._hook is None:
            return
        import keyboard

        keyboard.unhook(self._hook)
        self._hook = None


def _open(display_name: str | None) -> Any:
    from quickreply.platform.x11 import open_display

    return open_display(display_name)
