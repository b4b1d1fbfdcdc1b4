"""Counting key presses for the opt-in reply-speed figures: "a key" or "Enter", never which key.

Built on the one key-event source (platform/keyevents) that the typed-abbreviation watcher
listens to: X RECORD on X11; on Windows the same single `keyboard` hook, whose raw key-downs and
key-ups give the modifier state (core.usage.key_stream), with the IME asked at Enter and a
watchdog that re-installs a removed hook (`KeyboardKeyCounter`). Callbacks run on the source's
thread and must only hand off.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any, Protocol

from quickreply.core.usage.key_stream import KeyStream, key_kind
from quickreply.platform.errors import BackendUnavailableError
from quickreply.platform.keyevents import (
    KeyboardKeyEvents,
    KeyEvent,
    KeyEventSource,
    X11KeyEvents,
    monotonic_ms,
    shared_key_events,
    shared_keyboard_events,
)

log = logging.getLogger(__name__)
KeyCallback = Callable[[bool, int], None]  # (is_enter, monotonic ms)

__all__ = ["KeyCallback", "KeyCounter", "choose_key_counter", "monotonic_ms"]


class KeyCounter(Protocol):
    """Reports each key press as (is_enter, monotonic ms) to one callback, on its own thread."""

    def available(self) -> tuple[bool, str]:
        """Return whether key presses can be counted here, with a one-line reason."""

    def start(self, on_key: KeyCallback) -> None:
        """Start calling `on_key` for every key press; raises BackendUnavailableError if it cannot."""

    def stop(self) -> None:
        """Stop counting; safe to call twice, or without start."""


class EventKeyCounter:
    """A KeyCounter over a key-event source: every key press counts, Enter without Shift/Ctrl
    is a send (with them it makes a new line in most chat apps); mouse clicks do not count."""

    def __init__(self, source: KeyEventSource) -> None:
        self.source = source
        self._listener: Callable[[KeyEvent], None] | None = None

    def available(self) -> tuple[bool, str]:
        """Return whether the source can see key presses here."""
        return self.source.available()

    def start(self, on_key: KeyCallback) -> None:
        """Listen to the source; each key press becomes on_key(is_enter, ms)."""
        if self._listener is not None:
            return

        def listener(event: KeyEvent) -> None:
            if event.kind != "click":
                on_key(event.kind == "enter" and not event.shift_or_ctrl, event.t_ms)

        self.source.add_listener(listener)
        self._listener = listener

    def stop(self) -> None:
        """Stop listening."""
        if self._listener is not None:
            self.source.remove_listener(self._listener)
            self._listener = None


class X11KeyCounter(EventKeyCounter):
    """Key presses from X RECORD: the shared source, or one of its own for another display."""

    def __init__(self, display_name: str | None = None) -> None:
        super().__init__(X11KeyEvents(display_name) if display_name else shared_key_events())


def choose_key_counter(on_problem: Callable[[str], None] | None = None) -> KeyCounter:
    """Return the key counter for this system (check `available()` before `start`).

    `on_problem` receives messages for the agent (Windows: the hook was removed and is back).
    """
    if sys.platform == "win32":
        return KeyboardKeyCounter(on_problem, shared_keyboard_events())
    return EventKeyCounter(shared_key_events())


class KeyboardKeyCounter:
    """Key presses from the `keyboard` package's global hook (Windows; Linux only as root), read
    through the key-event source that owns the one hook (the abbreviation watcher's too).

    The hook only listens (never suppresses). Modifier state and auto-repeat come from the event
    stream (core.usage.key_stream); on Windows the IME is asked at each Enter, and a watchdog
    re-installs the hook when Windows has removed it, telling the agent through `on_problem`.
    """

    def __init__(
        self,
        on_problem: Callable[[str], None] | None = None,
        source: KeyboardKeyEvents | None = None,
    ) -> None:
        self.source = source or KeyboardKeyEvents()
        self._handle: Callable[[Any], None] | None = None
        self._on_problem = on_problem or log.warning
        self._watch: Any = None

    def available(self) -> tuple[bool, str]:
        """Return whether the `keyboard` hook can run here (the key-event source's own check)."""
        return self.source.available()

    def start(self, on_key: KeyCallback) -> None:
        """Listen to the hook's events; each key-down becomes on_key(is_enter, ms)."""
        if self._handle is not None:
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
            self.source.add_hook_listener(handle)
        except BackendUnavailableError:
            self._stop_watch()
            raise
        self._handle = handle

    def stop(self) -> None:
        """Stop listening (the source removes the hook with its last listener) and the watchdog."""
        self._stop_watch()
        if self._handle is not None:
            self.source.remove_hook_listener(self._handle)
            self._handle = None

    def _stop_watch(self) -> None:
        if self._watch is not None:
            self._watch.stop()
            self._watch = None
