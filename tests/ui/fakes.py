"""Test seams for widget tests: key sender, usage recorder and hotkey backend that only record.

The real parts are tested end to end under Xvfb; these stand in for them where a widget is the
subject.
"""

from __future__ import annotations

from collections.abc import Callable

from quickreply.core.hotkey import Hotkey
from quickreply.core.usage.event import UsageEvent
from quickreply.platform.errors import HotkeyTakenError


class RecordingKeys:
    """Remembers what would have been sent; a paste combo reads the clipboard, as a target does."""

    def __init__(self, reads_paste: bool = True) -> None:
        self.sent: list[str] = []
        self.reads_paste = reads_paste

    def keys_down(self, keys: object) -> bool:
        return False  # nobody presses keys in a widget test

    def release_held_modifiers(self) -> None:
        self.sent.append("release-modifiers")

    def send_combo(self, hotkey: Hotkey) -> None:
        self.sent.append(str(hotkey))
        if self.reads_paste:
            from PySide6.QtGui import QGuiApplication

            QGuiApplication.clipboard().text()

    def tap(self, key: str, count: int = 1) -> None:
        self.sent.extend([key] * count)

    def type_text(self, text: str) -> None:
        self.sent.append(f"type:{text}")

    def close(self) -> None:
        self.sent.append("closed")


class Events:
    """A usage recorder that keeps the events in a list."""

    def __init__(self) -> None:
        self.events: list[UsageEvent] = []

    def record(self, event: UsageEvent) -> None:
        self.events.append(event)

    def close(self) -> None:
        """Nothing is pending in a list."""


TAKEN = "ctrl+alt+9"  # held by "another program" in the fake hotkey backend


class FakeHotkeys:
    """A hotkey backend where another program holds TAKEN."""

    name = "fake"

    def __init__(self) -> None:
        self.registered: dict[str, Callable[[], None]] = {}
        self.grabbing = True  # False between pause() and resume()

    def register(self, hotkey: Hotkey, callback: Callable[[], None]) -> None:
        if str(hotkey) == TAKEN:
            raise HotkeyTakenError(hotkey)
        self.registered[str(hotkey)] = callback

    def unregister(self, hotkey: Hotkey) -> None:
        self.registered.pop(str(hotkey), None)

    def pause(self) -> None:
        self.grabbing = False

    def resume(self) -> None:
        self.grabbing = True

    def close(self) -> None: ...
