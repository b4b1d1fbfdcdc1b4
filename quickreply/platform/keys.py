"""Sending synthetic keys to the focused window: paste combos, caret moves and typed text.

Newlines are typed as Shift+Enter: in chat clients a bare Enter sends the half-written message.
"""

from __future__ import annotations

import sys
import time
from collections import OrderedDict
from collections.abc import Collection
from typing import Protocol

import keyboard

from quickreply.core.hotkey import MODIFIER_ORDER, Hotkey
from quickreply.platform.errors import BackendUnavailableError, HotkeyError
from quickreply.platform.hotkeys.keyboard_backend import keyboard_combo, keyboard_key_name

if sys.platform == "linux":
    from Xlib import XK, X
    from Xlib.display import Display
    from Xlib.ext import xtest

    from quickreply.platform.x11 import key_is_down, keycode_for_key, open_display
    from quickreply.platform.x11_ping import FocusedClientPing

_HELD_MODIFIER_KEYSYMS = (
    "Control_L", "Control_R", "Alt_L", "Alt_R", "Meta_L", "Meta_R",
    "Shift_L", "Shift_R", "Super_L", "Super_R", "ISO_Level3_Shift",
)  # fmt: skip
_COMBO_MODIFIER_KEYSYMS = {
    "ctrl": "Control_L",
    "alt": "Alt_L",
    "shift": "Shift_L",
    "win": "Super_L",
}
# A busy target translates its queued keys with the keymap it fetches when it reads the mapping
# change, so a slot remapped too soon turns a queued key into the next character (seen under
# load). Before a typed slot is remapped, the focused client is pinged and must answer; one that
# does not answer pings gets this long instead.
_REMAP_SETTLE = 0.25
_PING_TIMEOUT = 2.0  # a target slower than this is hung: typing goes on
_LEVELS = (0, 1)  # a borrowed keycode carries two characters: plain and with Shift


class KeySender(Protocol):
    """Sends keys to whatever window has the keyboard focus. Call from one thread only."""

    def keys_down(self, keys: Collection[str] | None) -> bool:
        """True when one of `keys` (our key names; None: any key at all) is held down now; a
        sender that cannot tell, or a key this keyboard lacks, counts as up."""

    def release_held_modifiers(self) -> None:
        """Release Ctrl/Alt/Shift/Super keys still held down, so they cannot join the next keys."""

    def send_combo(self, hotkey: Hotkey) -> None:
        """Press the modifiers, tap the key, release the modifiers (e.g. ctrl+v, shift+insert)."""

    def tap(self, key: str, count: int = 1) -> None:
        """Press and release one of our key names `count` times, e.g. tap("left", 5)."""

    def type_text(self, text: str) -> None:
        """Type `text` key by key; newlines become Shift+Enter."""

    def close(self) -> None:
        """Release what the sender holds (connections, borrowed keycodes)."""


def choose_key_sender(backend_name: str) -> KeySender:
    """Return the key sender that goes with hotkey backend `backend_name` (x11, win32, keyboard).

    On Windows keys always go out through SendInput. Raises BackendUnavailableError if that
    sender cannot run here.
    """
    if sys.platform == "win32" and backend_name in ("win32", "keyboard"):
        from quickreply.platform.windows.keys import SendInputKeySender

        return SendInputKeySender()
    if backend_name == "x11":
        if sys.platform != "linux":
            raise BackendUnavailableError(f"X11 key sending is not available on {sys.platform}")
        return X11KeySender()
    if backend_name == "keyboard":
        return KeyboardKeySender()
    raise BackendUnavailableError(f"no key sender for backend '{backend_name}'")


def _lines(text: str) -> list[str]:
    """Split text into lines, accepting \\r\\n and \\r as newlines."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


class X11KeySender:
    """Keys sent with the XTest extension on the sender's own X connection.

    Characters missing from the keyboard (Chinese, for example) are typed the way xdotool does:
    a spare keycode is remapped to the character's keysym. Borrowed keycodes stay mapped until
    close() or until the pool runs out: many clients re-read the keymap only when they get round
    to the mapping change (Xlib does it lazily), so restoring it right after typing turns the
    characters still queued in a busy target into nothing.
    """

    def __init__(self, display_name: str | None = None) -> None:
        """Connect to the X server; raises BackendUnavailableError without a display or XTEST."""
        self._display: Display = open_display(display_name)
        if not self._display.has_extension("XTEST"):
            self._display.close()
            raise BackendUnavailableError(
                "the X server lacks the XTEST extension needed to send keys"
            )
        self._root = self._display.screen().root
        self._spare = self._spare_keycodes()
        self._free: list[tuple[int, int]] = [(k, level) for k in self._spare for level in _LEVELS]
        # keysym -> (keycode, level), the least recently typed first
        self._borrowed: OrderedDict[int, tuple[int, int]] = OrderedDict()
        self._pairs: dict[int, list[int]] = {}  # borrowed keycode -> its [plain, shifted] keysyms
        self._unsettled: set[tuple[int, int]] = set()  # slots typed since the last settle
        self._last_typed = 0.0  # perf_counter() of the last key typed with a borrowed slot
        self._ping: FocusedClientPing | None = None  # opened when a typed slot is first remapped

    def keys_down(self, keys: Collection[str] | None) -> bool:
        """True when one of `keys` (None: any key) is down on the keyboard (XQueryKeymap)."""
        keymap = self._display.query_keymap()
        if keys is None:
            return any(keymap)
        for key in keys:
            try:
                keycode = keycode_for_key(self._display, key)
            except HotkeyError:
                continue
            if key_is_down(keymap, keycode):
                return True
        return False

    def release_held_modifiers(self) -> None:
        """Send a key release for every modifier key that is down (XQueryKeymap)."""
        self._read_mapping_changes()
        keymap = self._display.query_keymap()
        down = set()
        for name in _HELD_MODIFIER_KEYSYMS:
            for keycode, _ in self._display.keysym_to_keycodes(XK.string_to_keysym(name)):
                if key_is_down(keymap, keycode):
                    down.add(keycode)
        for keycode in sorted(down):
            xtest.fake_input(self._display, X.KeyRelease, keycode)
        if down:  # sent, not waited for: this connection's later keys come after them anyway
            self._display.flush()

    def send_combo(self, hotkey: Hotkey) -> None:
        """Press the combination's modifiers, tap its key and release; raises HotkeyError."""
        self._read_mapping_changes()
        modifiers = [
            self._keycode(_COMBO_MODIFIER_KEYSYMS[m])
            for m in MODIFIER_ORDER
            if m in hotkey.modifiers
        ]
        self._chord(modifiers, keycode_for_key(self._display, hotkey.key))
        self._display.sync()

    def tap(self, key: str, count: int = 1) -> None:
        """Tap `key` (one of our key names) `count` times; raises HotkeyError for unknown keys."""
        self._read_mapping_changes()
        keycode = keycode_for_key(self._display, key)
        for _ in range(count):
            self._chord([], keycode)
        self._display.sync()

    def type_text(self, text: str) -> None:
        """Type `text`; newlines as Shift+Enter, tabs as Tab, other control characters skipped."""
        self._read_mapping_changes()
        caps_lock = bool(self._root.query_pointer().mask & X.LockMask)
        shift = self._keycode("Shift_L")
        enter = self._keycode("Return")
        for number, line in enumerate(_lines(text)):
            if number:
                self._chord([shift], enter)
            for char in line:
                if ord(char) < 0x20 and char != "\t":
                    continue
                keycode, shifted = self._keycode_for_char(char, caps_lock)
                self._chord([shift] if shifted else [], keycode)
        self._display.sync()

    def close(self) -> None:
        """Give borrowed keycodes back their empty mapping and close the X connection."""
        for keycode in self._pairs:
            self._display.change_keyboard_mapping(keycode, [(X.NoSymbol, X.NoSymbol)])
        self._borrowed.clear()
        self._pairs.clear()
        if self._ping is not None:
            self._ping.close()
        self._display.sync()
        self._display.close()

    def _keycode(self, keysym_name: str) -> int:
        keycode = self._display.keysym_to_keycode(XK.string_to_keysym(keysym_name))
        if not keycode:
            raise HotkeyError(f"this keyboard has no {keysym_name} key")
        return keycode

    def _chord(self, modifiers: list[int], keycode: int) -> None:
        for modifier in modifiers:
            xtest.fake_input(self._display, X.KeyPress, modifier)
        xtest.fake_input(self._display, X.KeyPress, keycode)
        xtest.fake_input(self._display, X.KeyRelease, keycode)
        for modifier in reversed(modifiers):
            xtest.fake_input(self._display, X.KeyRelease, modifier)

    def _keycode_for_char(self, char: str, caps_lock: bool) -> tuple[int, bool]:
        """Return (keycode, needs Shift) typing `char`, borrowing a spare key slot if needed."""
        keysym = _keysym_for_char(char)
        if keysym not in self._borrowed:
            for keycode, index in self._display.keysym_to_keycodes(keysym):
                if index in (0, 1) and keycode not in self._spare:
                    # CapsLock flips the case of letters; Shift flips it back.
                    return keycode, (index == 1) != (caps_lock and char.lower() != char.upper())
            self._borrow(keysym)
        self._borrowed.move_to_end(keysym)
        slot = self._borrowed[keysym]
        self._unsettled.add(slot)
        self._last_typed = time.perf_counter()
        return slot[0], slot[1] == 1

    def _borrow(self, keysym: int) -> None:
        """Map `keysym` onto a free slot, or onto the least recently typed one once it settled."""
        if not self._spare:
            raise BackendUnavailableError("the keyboard map has no spare keycode to type with")
        if self._free:
            slot = self._free.pop(0)
        else:
            _, slot = self._borrowed.popitem(last=False)
            if slot in self._unsettled:
                self._wait_for_target()
                self._unsettled.clear()
        keycode, level = slot
        pair = self._pairs.setdefault(keycode, [X.NoSymbol, X.NoSymbol])
        pair[level] = keysym
        self._display.change_keyboard_mapping(keycode, [tuple(pair)])
        self._display.sync()
        self._borrowed[keysym] = slot

    def _wait_for_target(self) -> None:
        """Return once the focused client has read the keys typed so far (or settle time passed)."""
        self._display.sync()
        if self._ping is None:
            self._ping = FocusedClientPing(self._display.get_display_name())
        if self._ping.caught_up(_PING_TIMEOUT) is None:
            time.sleep(max(0.0, self._last_typed + _REMAP_SETTLE - time.perf_counter()))

    def _spare_keycodes(self) -> frozenset[int]:
        """Return the keycodes with no keysym at all: free to borrow for typing."""
        first = self._display.display.info.min_keycode
        count = self._display.display.info.max_keycode - first + 1
        mapping = self._display.get_keyboard_mapping(first, count)
        return frozenset(
            first + offset for offset, keysyms in enumerate(mapping) if not any(keysyms)
        )

    def _read_mapping_changes(self) -> None:
        """Apply queued MappingNotify events so keycode lookups follow layout changes."""
        while self._display.pending_events():
            event = self._display.next_event()
            if event.type == X.MappingNotify:
                self._display.refresh_keyboard_mapping(event)


def _keysym_for_char(char: str) -> int:
    """Return the X keysym of a character: Latin-1 keysyms equal the code point, others 0x1000000+."""
    if char == "\t":
        return XK.XK_Tab
    code = ord(char)
    if 0x20 <= code <= 0x7E or 0xA0 <= code <= 0xFF:
        return code
    return 0x01000000 | code


class KeyboardKeySender:
    """Keys sent with the `keyboard` package (Windows, or Linux as root)."""

    _HELD_MODIFIERS = (
        "left ctrl", "right ctrl", "left alt", "right alt", "alt gr",
        "left shift", "right shift", "left windows", "right windows",
    )  # fmt: skip

    def keys_down(self, keys: Collection[str] | None) -> bool:
        """True when `keyboard`'s hook saw one of `keys` (None: any key) go down and not up."""
        names = keyboard.get_hotkey_name()  # no argument: the keys down now
        if keys is None:
            return bool(names)
        down = set(names.split("+"))
        return any(keyboard_key_name(key) in down for key in keys)

    def release_held_modifiers(self) -> None:
        """Release every modifier `keyboard` saw go down and not come up."""
        for name in self._HELD_MODIFIERS:
            try:
                if keyboard.is_pressed(name):
                    keyboard.release(name)
            except ValueError:
                continue  # this layout has no such key

    def send_combo(self, hotkey: Hotkey) -> None:
        """Send the combination with keyboard.send."""
        keyboard.send(keyboard_combo(hotkey))

    def tap(self, key: str, count: int = 1) -> None:
        """Tap one of our key names `count` times."""
        for _ in range(count):
            keyboard.send((keyboard_key_name(key),))

    def type_text(self, text: str) -> None:
        """Type line by line with Shift+Enter between (keyboard.write would send "\\n" as Enter)."""
        for number, line in enumerate(_lines(text)):
            if number:
                keyboard.send(("shift", "enter"))
            if line:
                keyboard.write(line)

    def close(self) -> None:
        """Nothing to release: the `keyboard` package is shared by the whole process."""
