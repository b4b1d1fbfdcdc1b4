"""Errors raised by the OS adapters, each worded for the person who has to fix it."""

from __future__ import annotations

from quickreply.core.errors import QuickReplyError
from quickreply.core.hotkey import Hotkey
from quickreply.core.i18n import tr


class HotkeyError(QuickReplyError):
    """A combination this system cannot register (a key missing from the keyboard, for example)."""


class HotkeyTakenError(HotkeyError):
    """Another program already holds the combination as its own global hotkey."""

    def __init__(self, hotkey: Hotkey) -> None:
        self.hotkey = hotkey
        super().__init__(
            tr(
                "{combo} is already used by another program; choose another hotkey in Settings",
                combo=hotkey.display(),
            )
        )


class BackendUnavailableError(QuickReplyError):
    """No way to watch or send keys here; the message says why and what to do."""
