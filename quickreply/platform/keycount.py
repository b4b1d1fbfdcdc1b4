"""Counting key presses for the opt-in reply-speed figures: "a key" or "Enter", never which key.

Built on the one key-event source (platform/keyevents: X11 RECORD, or the `keyboard` hook on
Windows), the same one the typed-abbreviation watcher listens to. Callbacks run on the source's
thread and must only hand off.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from quickreply.platform.keyevents import (
    KeyEvent,
    KeyEventSource,
    X11KeyEvents,
    monotonic_ms,
    shared_key_events,
)

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


def choose_key_counter() -> KeyCounter:
    """Return the key counter for this system (check `available()` before `start`)."""
    return EventKeyCounter(shared_key_events())
