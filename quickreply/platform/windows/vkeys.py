"""Virtual-key codes for our key names, and which keys need KEYEVENTF_EXTENDEDKEY.

Punctuation uses the US-layout VK_OEM_* codes: RegisterHotKey and SendInput name physical keys,
and these are the ones `parse_hotkey` accepts.
"""

from __future__ import annotations

from quickreply.core.hotkey import FUNCTION_KEYS, Hotkey
from quickreply.platform.errors import HotkeyError
from quickreply.platform.windows.constants import (
    MOD_ALT,
    MOD_CONTROL,
    MOD_NOREPEAT,
    MOD_SHIFT,
    MOD_WIN,
)

VK_BACK, VK_TAB, VK_RETURN, VK_ESCAPE, VK_SPACE = 0x08, 0x09, 0x0D, 0x1B, 0x20
VK_SHIFT, VK_CONTROL, VK_MENU, VK_LWIN, VK_RWIN = 0x10, 0x11, 0x12, 0x5B, 0x5C
VK_LSHIFT, VK_RSHIFT, VK_LCONTROL, VK_RCONTROL, VK_LMENU, VK_RMENU = range(0xA0, 0xA6)
VK_LEFT = 0x25
VK_MASK = 0xE8  # unassigned: tapped before releasing Alt/Win so no menu or Start opens

_NAMED = {
    "backspace": VK_BACK, "tab": VK_TAB, "enter": VK_RETURN, "escape": VK_ESCAPE,
    "space": VK_SPACE, "pageup": 0x21, "pagedown": 0x22, "end": 0x23, "home": 0x24,
    "left": VK_LEFT, "up": 0x26, "right": 0x27, "down": 0x28, "insert": 0x2D, "delete": 0x2E,
    ";": 0xBA, "=": 0xBB, ",": 0xBC, "-": 0xBD, ".": 0xBE, "/": 0xBF, "`": 0xC0,
    "[": 0xDB, "\\": 0xDC, "]": 0xDD, "'": 0xDE,
}  # fmt: skip

# Keys of the navigation block (and right-hand modifiers) are "extended": without the flag they
# arrive as their numpad twins, which type digits in RDP/Citrix sessions with NumLock on.
EXTENDED_VKS = frozenset(
    {0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x2D, 0x2E,
     VK_RCONTROL, VK_RMENU, VK_LWIN, VK_RWIN, 0x6F, 0x90}
)  # fmt: skip

MODIFIER_VKS = {"ctrl": VK_CONTROL, "alt": VK_MENU, "shift": VK_SHIFT, "win": VK_LWIN}
HOTKEY_MODIFIERS = {"ctrl": MOD_CONTROL, "alt": MOD_ALT, "shift": MOD_SHIFT, "win": MOD_WIN}
# The sided modifier keys GetAsyncKeyState can report held, in release order.
HELD_MODIFIER_VKS = (
    VK_LSHIFT,
    VK_RSHIFT,
    VK_LCONTROL,
    VK_RCONTROL,
    VK_LMENU,
    VK_RMENU,
    VK_LWIN,
    VK_RWIN,
)
MASKED_ON_RELEASE = frozenset({VK_LMENU, VK_RMENU, VK_LWIN, VK_RWIN})
# Every keyboard virtual key GetAsyncKeyState can report (0x01-0x07 are mouse buttons and
# reserved; VK_MASK is only ever tapped by us; 0xFF is reserved).
KEYBOARD_VKS = tuple(vk for vk in range(0x08, 0xFF) if vk != VK_MASK)


def vk_for_key(key: str) -> int:
    """Return the virtual-key code for one of our key names; raises HotkeyError for others."""
    if len(key) == 1 and (key.isascii() and key.isalnum()):
        return ord(key.upper())
    if key in FUNCTION_KEYS:
        return 0x70 + int(key[1:]) - 1  # VK_F1 .. VK_F24
    if key in _NAMED:
        return _NAMED[key]
    raise HotkeyError(f"the key '{key}' has no Windows virtual-key code")


def hotkey_modifiers(hotkey: Hotkey) -> int:
    """Return RegisterHotKey's fsModifiers for `hotkey`, with MOD_NOREPEAT."""
    flags = 0
    for name in hotkey.modifiers:
        flags |= HOTKEY_MODIFIERS[name]
    return flags | MOD_NOREPEAT
