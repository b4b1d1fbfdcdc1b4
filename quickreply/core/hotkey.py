"""Hotkey syntax: parse, validate and print key combinations such as ``ctrl+shift+1``.

One canonical spelling (lower case, modifiers in the order ctrl, alt, shift, win) so that
conflicts are found by comparing strings, and every platform backend translates from it.
"""

from __future__ import annotations

from dataclasses import dataclass

from quickreply.core.errors import ValidationError

MODIFIER_ORDER = ("ctrl", "alt", "shift", "win")
MODIFIER_ALIASES = {
    "ctrl": "ctrl",
    "control": "ctrl",
    "ctl": "ctrl",
    "alt": "alt",
    "option": "alt",
    "shift": "shift",
    "win": "win",
    "super": "win",
    "meta": "win",
    "cmd": "win",
    "command": "win",
    "windows": "win",
}

FUNCTION_KEYS = frozenset(f"f{n}" for n in range(1, 25))
NAMED_KEYS = frozenset(
    {
        "space", "tab", "enter", "backspace", "delete", "insert", "home", "end",
        "pageup", "pagedown", "up", "down", "left", "right", "escape",
    }
)  # fmt: skip
KEY_ALIASES = {
    "return": "enter",
    "del": "delete",
    "ins": "insert",
    "pgup": "pageup",
    "pgdn": "pagedown",
    "esc": "escape",
    "spacebar": "space",
    " ": "space",
}
PUNCTUATION_KEYS = frozenset(",./;'[]-=`\\")
KEYS = (
    frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
    | FUNCTION_KEYS
    | NAMED_KEYS
    | PUNCTUATION_KEYS
)


# Combinations the system and every chat client need: a global hotkey on one of them hijacks it
# everywhere (and QuickReply's own Ctrl+V would fire it). Listed in docs/insertion.md.
RESERVED_HOTKEYS: dict[str, str] = {
    "ctrl+a": "select all",
    "ctrl+c": "copy",
    "ctrl+v": "paste",
    "ctrl+x": "cut",
    "ctrl+z": "undo",
    "ctrl+y": "redo",
    "ctrl+shift+z": "redo",
    "ctrl+insert": "copy",
    "ctrl+enter": "send in chat clients",
    "alt+enter": "send or new line in chat clients",
    "ctrl+backspace": "delete a word",
    "ctrl+delete": "delete a word",
    "ctrl+space": "switch the input method",
    "win+space": "switch the input method",
    "ctrl+.": "Chinese/English punctuation in input methods",
    "alt+tab": "switch windows",
    "alt+shift+tab": "switch windows",
    "alt+f4": "close the window",
    "alt+space": "window menu",
    "ctrl+tab": "next tab or chat",
    "ctrl+shift+tab": "previous tab or chat",
    "ctrl+w": "close a tab or chat",
    "ctrl+f": "find",
    "ctrl+alt+delete": "system security screen",
    "ctrl+shift+escape": "task manager",
    "ctrl+escape": "start menu",
    "win+l": "lock the screen",
    "win+d": "show the desktop",
}


def reserved_hotkey_reason(combo: str) -> str | None:
    """Return what the system or chat clients use `combo` (canonical spelling) for, or None.

    Enter, Shift+Enter and Shift+Insert are refused by parse_hotkey already (they block typing).
    """
    return RESERVED_HOTKEYS.get(combo)


@dataclass(frozen=True)
class Hotkey:
    """A parsed key combination: a set of modifiers and one main key."""

    modifiers: frozenset[str]
    key: str

    def __str__(self) -> str:
        """Return the canonical spelling, e.g. ``ctrl+shift+1``."""
        mods = [m for m in MODIFIER_ORDER if m in self.modifiers]
        return "+".join([*mods, self.key])

    def display(self) -> str:
        """Return the spelling shown to people, e.g. ``Ctrl+Shift+1``."""
        names = {"ctrl": "Ctrl", "alt": "Alt", "shift": "Shift", "win": "Win"}
        mods = [names[m] for m in MODIFIER_ORDER if m in self.modifiers]
        key = self.key.upper() if len(self.key) == 1 else self.key.capitalize()
        if self.key in FUNCTION_KEYS:
            key = self.key.upper()
        return "+".join([*mods, key])

    @property
    def uses_altgr_combination(self) -> bool:
        """True for Ctrl+Alt+key: on many non-US Windows layouts that is AltGr and types a character."""
        return {"ctrl", "alt"} <= self.modifiers and "shift" not in self.modifiers


def parse_hotkey(text: str) -> Hotkey:
    """Parse a combination like ``Ctrl+Alt+1`` into a Hotkey.

    Raises ValidationError naming the bad part: an unknown key, two main keys, no main key, or a
    combination that would swallow ordinary typing (a printable key with no modifier or Shift only).
    """
    hotkey = parse_keys(text)
    if hotkey.key not in FUNCTION_KEYS and not (hotkey.modifiers - {"shift"}):
        raise ValidationError(
            f"hotkey '{text.strip()}': would block normal typing; add Ctrl, Alt or Win (or use F1-F24)"
        )
    return hotkey


def parse_keys(text: str) -> Hotkey:
    """Parse keys QuickReply sends (paste, send, new line) such as ``Shift+Insert`` or ``Enter``.

    Like parse_hotkey, but a key without modifiers is fine: these are pressed, never grabbed.
    """
    raw = text.strip()
    if not raw:
        raise ValidationError("hotkey is empty")
    parts = [p.strip().lower() for p in _split_combo(raw)]
    modifiers: set[str] = set()
    key: str | None = None
    for part in parts:
        if part in MODIFIER_ALIASES:
            modifiers.add(MODIFIER_ALIASES[part])
            continue
        name = KEY_ALIASES.get(part, part)
        if name not in KEYS:
            raise ValidationError(f"hotkey '{raw}': unknown key '{part}'")
        if key is not None:
            raise ValidationError(f"hotkey '{raw}': two main keys ('{key}' and '{name}'); use one")
        key = name
    if key is None:
        raise ValidationError(
            f"hotkey '{raw}': needs a main key after the modifiers, e.g. ctrl+shift+1"
        )
    return Hotkey(frozenset(modifiers), key)


def normalize_hotkey(text: str) -> str:
    """Return the canonical spelling of `text` (see parse_hotkey for the errors it raises)."""
    return str(parse_hotkey(text))


def _split_combo(raw: str) -> list[str]:
    """Split on '+', keeping a literal '+' key impossible but allowing 'ctrl+=' style keys."""
    parts = raw.split("+")
    if any(p.strip() == "" for p in parts):
        raise ValidationError(f"hotkey '{raw}': empty part between '+' signs")
    return parts
