"""Whether the focused text field must not get an abbreviation expansion, where the platform
can tell: a password field, or an input method composing (Chinese typed as pinyin, not yet
committed).

Windows: the focused control's ES_PASSWORD style, and the IMM composition string of the focused
window (IMM is also what TSF input methods report to classic applications). X11 can tell
neither: IBus/Fcitx keep the composition inside the client, and there is no standard property
for password fields; there the prefix convention (`;hy`) keeps expansions safe.
"""

from __future__ import annotations

import sys
from typing import Any, Protocol

_ES_PASSWORD = 0x0020
_GWL_STYLE = -16
_GCS_COMPSTR = 0x0008


class InputState(Protocol):
    """Tells why the focused field must not be expanded into, or None when it may."""

    def blocks_expansion(self) -> str | None:
        """Return a reason (password field, composition in progress) or None."""


class UnknownInputState:
    """Where the platform cannot tell (X11): never blocks."""

    def blocks_expansion(self) -> str | None:
        """Return None: nothing is known about the focused field."""
        return None


class Win32InputState:
    """The focused control of the foreground window, through GetGUIThreadInfo and IMM32."""

    def __init__(self) -> None:
        import ctypes
        from ctypes import wintypes

        class GuiThreadInfo(ctypes.Structure):
            _fields_ = [
                ("cbSize", wintypes.DWORD),
                ("flags", wintypes.DWORD),
                ("hwndActive", wintypes.HWND),
                ("hwndFocus", wintypes.HWND),
                ("hwndCapture", wintypes.HWND),
                ("hwndMenuOwner", wintypes.HWND),
                ("hwndMoveSize", wintypes.HWND),
                ("hwndCaret", wintypes.HWND),
                ("rcCaret", wintypes.RECT),
            ]

        self._ctypes = ctypes
        self._info_type = GuiThreadInfo
        self._user32: Any = ctypes.windll.user32  # type: ignore[attr-defined]
        self._imm32: Any = ctypes.windll.imm32  # type: ignore[attr-defined]

    def _focused(self) -> int:
        info = self._info_type()
        info.cbSize = self._ctypes.sizeof(info)
        if not self._user32.GetGUIThreadInfo(0, self._ctypes.byref(info)):
            return 0
        return int(info.hwndFocus or info.hwndActive or 0)

    def blocks_expansion(self) -> str | None:
        """Return "password field" or "input method composing" when that is the case."""
        hwnd = self._focused()
        if not hwnd:
            return None
        if self._user32.GetWindowLongW(hwnd, _GWL_STYLE) & _ES_PASSWORD:
            return "password field"
        context = self._imm32.ImmGetContext(hwnd)
        if not context:
            return None
        try:
            if self._imm32.ImmGetCompositionStringW(context, _GCS_COMPSTR, None, 0) > 0:
                return "input method composing"
        finally:
            self._imm32.ImmReleaseContext(hwnd, context)
        return None


def choose_input_state() -> InputState:
    """Return the probe for this system."""
    if sys.platform == "win32":
        return Win32InputState()
    return UnknownInputState()
