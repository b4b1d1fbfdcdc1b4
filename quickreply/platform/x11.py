"""Shared X11 helpers: the display connection and key names, for hotkeys, key sending, windows and
the key-event source."""

from __future__ import annotations

import os

import Xlib.ext
from Xlib import XK, X
from Xlib import error as xerror
from Xlib.display import Display

from quickreply.core.hotkey import FUNCTION_KEYS
from quickreply.platform.errors import BackendUnavailableError, HotkeyError

# python-xlib queries and sets up every extension it knows on each new connection (13 round trips
# and module imports on Xvfb, about 3 ms a connection); we use only these two.
USED_EXTENSIONS = ("XTEST", "RECORD")
Xlib.ext.__extensions__ = [e for e in Xlib.ext.__extensions__ if e[0] in USED_EXTENSIONS]

MODIFIER_MASKS = {
    "ctrl": X.ControlMask,
    "shift": X.ShiftMask,
    "alt": X.Mod1Mask,
    "win": X.Mod4Mask,
}

_KEYSYM_NAMES = {
    "space": "space",
    "tab": "Tab",
    "enter": "Return",
    "backspace": "BackSpace",
    "delete": "Delete",
    "insert": "Insert",
    "home": "Home",
    "end": "End",
    "pageup": "Prior",
    "pagedown": "Next",
    "up": "Up",
    "down": "Down",
    "left": "Left",
    "right": "Right",
    "escape": "Escape",
    ",": "comma",
    ".": "period",
    "/": "slash",
    ";": "semicolon",
    "'": "apostrophe",
    "[": "bracketleft",
    "]": "bracketright",
    "-": "minus",
    "=": "equal",
    "`": "grave",
    "\\": "backslash",
}


def keysym_for_key(key: str) -> int:
    """Return the X keysym for one of our key names (``enter`` -> Return, ``,`` -> comma).

    Raises HotkeyError for a name X11 does not know.
    """
    name = _KEYSYM_NAMES.get(key) or (key.upper() if key in FUNCTION_KEYS else key)
    keysym = XK.string_to_keysym(name)
    if keysym == X.NoSymbol:
        raise HotkeyError(f"the key '{key}' has no X11 key symbol")
    return keysym


def keycode_for_key(display: Display, key: str) -> int:
    """Return the keycode that produces `key` on this keyboard; raises HotkeyError if none does."""
    keycode = display.keysym_to_keycode(keysym_for_key(key))
    if not keycode:
        raise HotkeyError(f"this keyboard has no '{key}' key")
    return keycode


def key_is_down(keymap: list[int], keycode: int) -> bool:
    """True if `keycode` is down in a 32-byte XQueryKeymap bit vector."""
    return bool(keymap[keycode // 8] & (1 << (keycode % 8)))


def open_display(display_name: str | None = None) -> Display:
    """Connect to the X server; raises BackendUnavailableError saying what to check."""
    shown = display_name or os.environ.get("DISPLAY") or "(DISPLAY unset)"
    try:
        return Display(display_name)
    except (xerror.DisplayError, xerror.ConnectionClosedError, OSError) as exc:
        raise BackendUnavailableError(
            f"cannot connect to X display {shown} ({exc}); check DISPLAY and XAUTHORITY, "
            "or run under Xvfb: xvfb-run quickreply"
        ) from exc
