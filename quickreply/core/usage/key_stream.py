"""From a key event stream to "a key" or "the Enter that sends", for the reply-speed counter.

Modifier state comes from the stream itself (downs and ups), not from asking the OS at the moment
Enter arrives (racy, and stale after Win+L swallowed the key-ups). A modifier not seen going down
again for `stale_ms` no longer counts as held. An Enter while an IME composition is open only
commits the pinyin: it is a key, not a send. Auto-repeated Enter sends nothing more.
"""

from __future__ import annotations

from typing import Literal

KeyKind = Literal["enter", "shift", "ctrl", "other"]
STALE_MODIFIER_MS = 10_000


def key_kind(name: str) -> KeyKind:
    """Classify a key name from a hook (``enter``, ``left shift``, ``right ctrl`` ...)."""
    lowered = name.lower()
    if lowered in ("enter", "return", "kp_enter", "keypad enter"):
        return "enter"
    if "shift" in lowered:
        return "shift"
    if "ctrl" in lowered or "control" in lowered:
        return "ctrl"
    return "other"


class KeyStream:
    """Feed every key event; `event` says what a key-down means for reply speed."""

    def __init__(self, stale_ms: int = STALE_MODIFIER_MS) -> None:
        """Start with nothing held."""
        self._stale_ms = stale_ms
        self._modifiers: dict[KeyKind, int] = {}  # kind -> ms of its last key-down
        self._enter_down = False

    def event(
        self, kind: KeyKind, down: bool, t_ms: int, composing: bool | None = None
    ) -> bool | None:
        """Take one event; return None (nothing to count), False (a key) or True (a send).

        `composing` is the IME state at an Enter: True (a composition is open), False, or None
        when the platform cannot tell (then Enter counts as a send).
        """
        if kind in ("shift", "ctrl"):
            if down:
                self._modifiers[kind] = t_ms
            else:
                self._modifiers.pop(kind, None)
            return None
        if kind == "enter":
            if not down:
                self._enter_down = False
                return None
            if self._enter_down:
                return None  # auto-repeat
            self._enter_down = True
            return not (self.modifier_held(t_ms) or composing is True)
        return False if down else None

    def modifier_held(self, t_ms: int) -> bool:
        """True if Shift or Ctrl went down within `stale_ms` and has not come up."""
        return any(t_ms - since <= self._stale_ms for since in self._modifiers.values())

    def reset(self) -> None:
        """Forget held keys (the platform saw the session lock or a desktop switch)."""
        self._modifiers.clear()
        self._enter_down = False
