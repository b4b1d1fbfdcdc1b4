"""SendInput key sending (the Windows KeySender): one SendInput call per chord or text chunk.

Text goes out as KEYEVENTF_UNICODE units (any character, any layout, no modifier involved);
newlines become Shift+Enter, other control characters are dropped. Modifiers the agent still
holds are released first and never pressed again afterwards (`keyboard.write` re-presses them,
turning {{cursor}}'s Left into Shift+Left and auto-send's Enter into Shift+Enter).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from quickreply.core.hotkey import MODIFIER_ORDER, Hotkey
from quickreply.platform.errors import BackendUnavailableError, HotkeyError
from quickreply.platform.windows import win32
from quickreply.platform.windows.constants import (
    KEYEVENTF_EXTENDEDKEY,
    KEYEVENTF_KEYUP,
    KEYEVENTF_UNICODE,
)
from quickreply.platform.windows.vkeys import (
    EXTENDED_VKS,
    HELD_MODIFIER_VKS,
    KEYBOARD_VKS,
    MASKED_ON_RELEASE,
    MODIFIER_VKS,
    VK_MASK,
    VK_RETURN,
    VK_SHIFT,
    vk_for_key,
)
from quickreply.platform.windows.win32 import KeyInput

CHUNK_CHARS = 200  # UTF-16 units per SendInput call: large enough to be fast, small to stay fair


def key_events(vk: int, scan: int = 0, *, up: bool) -> KeyInput:
    """Return the INPUT for pressing or releasing `vk`, with the extended flag where it belongs."""
    flags = (KEYEVENTF_KEYUP if up else 0) | (KEYEVENTF_EXTENDEDKEY if vk in EXTENDED_VKS else 0)
    return KeyInput(vk, scan, flags)


def chord_events(modifiers: Iterable[int], vk: int, count: int = 1) -> list[KeyInput]:
    """Modifiers down, `vk` tapped `count` times, modifiers up in reverse order."""
    held = list(modifiers)
    events = [key_events(m, up=False) for m in held]
    for _ in range(count):
        events += [key_events(vk, up=False), key_events(vk, up=True)]
    events += [key_events(m, up=True) for m in reversed(held)]
    return events


def clean_text(text: str) -> str:
    """Normalise newlines to \\n and drop control characters other than \\n and \\t."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(c for c in text if c in "\n\t" or not (ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0))


def text_batches(text: str, chunk: int = CHUNK_CHARS) -> list[list[KeyInput]]:
    """Return the SendInput batches typing `text`: Unicode units, Shift+Enter for newlines."""
    batches: list[list[KeyInput]] = []
    current: list[KeyInput] = []
    units = 0
    for char in clean_text(text):
        if char == "\n":
            current += chord_events([VK_SHIFT], VK_RETURN)
        else:
            encoded = char.encode("utf-16-le")
            for index in range(0, len(encoded), 2):  # surrogate pairs: both units, in order
                unit = int.from_bytes(encoded[index : index + 2], "little")
                current.append(KeyInput(0, unit, KEYEVENTF_UNICODE))
                current.append(KeyInput(0, unit, KEYEVENTF_UNICODE | KEYEVENTF_KEYUP))
        units += 1
        if units >= chunk:
            batches.append(current)
            current, units = [], 0
    if current:
        batches.append(current)
    return batches


def release_events(held: Iterable[int]) -> list[KeyInput]:
    """Key-ups for held modifier keys; Alt/Win get a masking tap first so no menu or Start opens."""
    held = list(held)
    events: list[KeyInput] = []
    if any(vk in MASKED_ON_RELEASE for vk in held):
        events += [key_events(VK_MASK, up=False), key_events(VK_MASK, up=True)]
    return events + [key_events(vk, up=True) for vk in held]


class SendInputKeySender:
    """KeySender on SendInput. Raises BackendUnavailableError when Windows drops the input
    (SendInput returns fewer events than sent: the desktop is locked or a secure desktop is up)."""

    def __init__(self, api: Any = None) -> None:
        """Use `api` (a win32.Win32 or a fake); loads the real one by default."""
        self._api = api if api is not None else win32.load()

    def keys_down(self, keys: Collection[str] | None) -> bool:
        """True when GetAsyncKeyState reports one of `keys` (None: any keyboard key) down."""
        if keys is None:
            return any(self._api.key_is_down(vk) for vk in KEYBOARD_VKS)
        for key in keys:
            try:
                vk = vk_for_key(key)
            except HotkeyError:
                continue
            if self._api.key_is_down(vk):
                return True
        return False

    def release_held_modifiers(self) -> None:
        """Release every Ctrl/Alt/Shift/Win key GetAsyncKeyState reports down."""
        held = [vk for vk in HELD_MODIFIER_VKS if self._api.key_is_down(vk)]
        if held:
            self._send(release_events(held))

    def send_combo(self, hotkey: Hotkey) -> None:
        """Send the whole combination in one SendInput call."""
        modifiers = [MODIFIER_VKS[m] for m in MODIFIER_ORDER if m in hotkey.modifiers]
        self._send(chord_events(modifiers, vk_for_key(hotkey.key)))

    def tap(self, key: str, count: int = 1) -> None:
        """Tap one of our key names `count` times, in one SendInput call."""
        if count > 0:
            self._send(chord_events([], vk_for_key(key), count))

    def type_text(self, text: str) -> None:
        """Type `text` in Unicode batches; newlines as Shift+Enter, control characters dropped."""
        for batch in text_batches(text):
            self._send(batch)

    def probe(self) -> None:
        """Tap the unassigned VK 0xE8: programs ignore it, our own keyboard hook sees it."""
        self._send(chord_events([], VK_MASK))

    def close(self) -> None:
        """Nothing is held between calls."""

    def _send(self, events: list[KeyInput]) -> None:
        sent = self._api.send_input(events)
        if sent != len(events):
            raise BackendUnavailableError(
                f"Windows accepted {sent} of {len(events)} key events "
                "(locked screen, UAC prompt or a window running as administrator)"
            )
