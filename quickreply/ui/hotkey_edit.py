"""A hotkey recorder: press the combination to set it; the field shows and emits our canonical form.

Backspace or Delete alone clears it; Tab and Shift+Tab still move the focus. Keys are read as Qt
reports them, with the shifted symbols of a US layout mapped back to their key (Shift+1, not !).
While it has focus it emits `recording(True)` so the owner suspends our global hotkeys (the
physical combination must reach the field, not fire a snippet); combinations the system and chat
clients need (core.hotkey.RESERVED_HOTKEYS) are refused unless `allow_reserved` (the paste keys).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFocusEvent, QHideEvent, QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget

from quickreply.core.errors import ValidationError
from quickreply.core.hotkey import KEYS, MODIFIER_ORDER, parse_hotkey, reserved_hotkey_reason
from quickreply.core.i18n import tr
from quickreply.ui.problem_text import shown_error

_NAMED = {
    Qt.Key.Key_Space: "space",
    Qt.Key.Key_Return: "enter",
    Qt.Key.Key_Enter: "enter",
    Qt.Key.Key_Backspace: "backspace",
    Qt.Key.Key_Delete: "delete",
    Qt.Key.Key_Insert: "insert",
    Qt.Key.Key_Home: "home",
    Qt.Key.Key_End: "end",
    Qt.Key.Key_PageUp: "pageup",
    Qt.Key.Key_PageDown: "pagedown",
    Qt.Key.Key_Up: "up",
    Qt.Key.Key_Down: "down",
    Qt.Key.Key_Left: "left",
    Qt.Key.Key_Right: "right",
    Qt.Key.Key_Escape: "escape",
    Qt.Key.Key_Tab: "tab",
    Qt.Key.Key_Backtab: "tab",
}
_SHIFTED = dict(zip('!@#$%^&*()_+{}:"<>?|~', "1234567890-=[];',./\\`"))
_MODIFIER_KEYS = {
    Qt.Key.Key_Control: "ctrl",
    Qt.Key.Key_Alt: "alt",
    Qt.Key.Key_AltGr: "alt",
    Qt.Key.Key_Shift: "shift",
    Qt.Key.Key_Meta: "win",
    Qt.Key.Key_Super_L: "win",
    Qt.Key.Key_Super_R: "win",
}


def key_name(key: int, text: str) -> str | None:
    """Return our name for a Qt key (``a``, ``1``, ``f5``, ``pageup``, ``;``), or None."""
    if Qt.Key.Key_F1 <= key <= Qt.Key.Key_F24:
        return f"f{key - Qt.Key.Key_F1 + 1}"
    if key in _NAMED:
        return _NAMED[Qt.Key(key)]
    if Qt.Key.Key_A <= key <= Qt.Key.Key_Z or Qt.Key.Key_0 <= key <= Qt.Key.Key_9:
        return chr(key).lower()
    raw = chr(key) if 0x20 < key < 0x7F else text
    char = _SHIFTED.get(raw, raw).lower()
    return char if len(char) == 1 and char in KEYS else None


def modifier_names(modifiers: Qt.KeyboardModifier) -> list[str]:
    """Return our modifier names held in `modifiers`, in canonical order."""
    pairs = (
        (Qt.KeyboardModifier.ControlModifier, "ctrl"),
        (Qt.KeyboardModifier.AltModifier, "alt"),
        (Qt.KeyboardModifier.ShiftModifier, "shift"),
        (Qt.KeyboardModifier.MetaModifier, "win"),
    )
    return [name for flag, name in pairs if modifiers & flag]


class HotkeyEdit(QLineEdit):
    """Records a key combination. `changed` carries the canonical combo ("" when cleared);
    `rejected` carries why a pressed combination cannot be a hotkey."""

    changed = Signal(str)
    rejected = Signal(str)
    recording = Signal(bool)  # True while the field has focus: suspend the global hotkeys

    def __init__(
        self,
        combo: str | None = None,
        parent: QWidget | None = None,
        *,
        allow_reserved: bool = False,
    ) -> None:
        super().__init__(parent)
        self._allow_reserved = allow_reserved
        self.setReadOnly(True)  # the keys are recorded, never typed
        self.setPlaceholderText(tr("Press a key combination"))
        self._combo = ""
        self.set_combo(combo or "")

    def combo(self) -> str:
        """The recorded combination in canonical form, or "" when none."""
        return self._combo

    def set_combo(self, combo: str) -> None:
        """Show `combo` (canonical or any spelling parse_hotkey accepts; "" clears) silently."""
        self._combo = str(parse_hotkey(combo)) if combo else ""
        self.setText(parse_hotkey(combo).display() if combo else "")

    def event(self, event: QEvent) -> bool:
        """Claim every key combination before window shortcuts (Ctrl+N, Ctrl+S ...) can."""
        if event.type() == QEvent.Type.ShortcutOverride:
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        """Record the combination being pressed."""
        key, modifiers = event.key(), event.modifiers()
        held = modifier_names(modifiers)
        if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and set(held) <= {"shift"}:
            super().keyPressEvent(event)  # leave focus navigation alone
            return
        event.accept()
        if key in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete) and not held:
            self._set(None)
            return
        if key in _MODIFIER_KEYS:
            # show the modifiers while the combination is being pressed (X11 reports a modifier's
            # own press without it, so it is added here)
            names = {*held, _MODIFIER_KEYS[Qt.Key(key)]}
            shown = [m.capitalize() for m in MODIFIER_ORDER if m in names]
            self.setText("+".join(shown) + "+…")
            return
        name = key_name(key, event.text())
        if name is None:
            self.rejected.emit(tr("This key cannot be used in a hotkey"))
            self._show()
            return
        try:
            hotkey = parse_hotkey("+".join([*held, name]))
        except ValidationError as exc:
            self.rejected.emit(shown_error(exc))
            self._show()
            return
        reason = None if self._allow_reserved else reserved_hotkey_reason(str(hotkey))
        if reason:
            self.rejected.emit(
                tr(
                    "{combo} is reserved: the system and chat apps use it ({reason})",
                    combo=hotkey.display(),
                    reason=tr(reason),
                )
            )
            self._show()
            return
        self._set(str(hotkey))

    def keyReleaseEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        """Show the recorded combination again when modifiers are let go without a main key."""
        still_held = set(modifier_names(event.modifiers()))
        if event.key() in _MODIFIER_KEYS:
            still_held.discard(_MODIFIER_KEYS[Qt.Key(event.key())])  # X11 counts it as held
        if not still_held:
            self._show()

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        """Start recording: ask the owner to suspend the global hotkeys."""
        super().focusInEvent(event)
        self.recording.emit(True)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        """Drop a half-pressed combination shown while recording; hotkeys may fire again."""
        self._show()
        super().focusOutEvent(event)
        self.recording.emit(False)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt override
        """A closed dialog gets no focus-out: end the recording here too."""
        super().hideEvent(event)
        self.recording.emit(False)

    def _show(self) -> None:
        self.setText(parse_hotkey(self._combo).display() if self._combo else "")

    def _set(self, combo: str | None) -> None:
        self._combo = combo or ""
        self._show()
        self.changed.emit(self._combo)
