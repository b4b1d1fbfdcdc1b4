"""Rule 14: SendInput typing — Unicode batches, extended keys, modifiers released, not restored."""

from __future__ import annotations

import pytest

from quickreply.core.hotkey import parse_hotkey
from quickreply.platform.errors import BackendUnavailableError
from quickreply.platform.windows.constants import (
    KEYEVENTF_EXTENDEDKEY,
    KEYEVENTF_KEYUP,
    KEYEVENTF_UNICODE,
)
from quickreply.platform.windows.keys import SendInputKeySender, clean_text, text_batches
from quickreply.platform.windows.vkeys import (
    VK_CONTROL,
    VK_LMENU,
    VK_LSHIFT,
    VK_MASK,
    VK_RETURN,
    VK_SHIFT,
)
from quickreply.platform.windows.win32 import KeyInput
from tests.unit.platform.fake_win32 import FakeWin32


def typed(batches: list[list[KeyInput]]) -> str:
    """The text the Unicode key-downs of `batches` type, with Shift+Enter shown as \\n."""
    units = bytearray()
    out = []
    for event in (e for batch in batches for e in batch):
        if event.flags & KEYEVENTF_UNICODE and not event.flags & KEYEVENTF_KEYUP:
            units += event.scan.to_bytes(2, "little")
        elif event.vk == VK_RETURN and not event.flags & KEYEVENTF_KEYUP:
            out.append(units.decode("utf-16-le"))
            units = bytearray()
    out.append(units.decode("utf-16-le"))
    return "\n".join(out)


def test_text_goes_out_as_unicode_units_with_shift_enter_newlines() -> None:
    batches = text_batches("亲，您好\r\n第二行 😊")
    assert typed(batches) == "亲，您好\n第二行 😊"
    enter_chord = [e for e in batches[0] if e.vk in (VK_SHIFT, VK_RETURN)]
    assert [(e.vk, bool(e.flags & KEYEVENTF_KEYUP)) for e in enter_chord] == [
        (VK_SHIFT, False), (VK_RETURN, False), (VK_RETURN, True), (VK_SHIFT, True),
    ]  # fmt: skip


def test_control_characters_are_dropped_but_tabs_kept() -> None:
    assert clean_text("a\x00b\x1bc\td\x7fe\x85f") == "abc\tdef"
    assert typed(text_batches("a\x07b")) == "ab"


def test_long_text_is_split_into_chunks_of_one_sendinput_call_each(api: FakeWin32) -> None:
    sender = SendInputKeySender(api)
    sender.type_text("好" * 450)
    assert len(api.sent) == 3  # 200 + 200 + 50 characters
    assert typed(api.sent) == "好" * 450


def test_chord_is_one_sendinput_call_in_press_order(api: FakeWin32) -> None:
    SendInputKeySender(api).send_combo(parse_hotkey("ctrl+v"))
    assert len(api.sent) == 1
    assert [(e.vk, e.flags & KEYEVENTF_KEYUP) for e in api.sent[0]] == [
        (VK_CONTROL, 0), (0x56, 0), (0x56, KEYEVENTF_KEYUP), (VK_CONTROL, KEYEVENTF_KEYUP),
    ]  # fmt: skip


@pytest.mark.parametrize("key", ["left", "right", "up", "down", "home", "end", "insert", "delete", "pageup", "pagedown"])  # fmt: skip
def test_navigation_keys_carry_the_extended_flag(api: FakeWin32, key: str) -> None:
    SendInputKeySender(api).tap(key, 2)
    assert len(api.sent) == 1 and len(api.sent[0]) == 4
    assert all(e.flags & KEYEVENTF_EXTENDEDKEY for e in api.sent[0])


def test_enter_is_not_extended(api: FakeWin32) -> None:
    SendInputKeySender(api).tap("enter")
    assert not any(e.flags & KEYEVENTF_EXTENDEDKEY for e in api.sent[0])


def test_held_modifiers_are_released_first_and_never_pressed_again(api: FakeWin32) -> None:
    api.down = {VK_LSHIFT, VK_LMENU}
    sender = SendInputKeySender(api)
    sender.release_held_modifiers()
    sender.tap("left", 3)
    sender.tap("enter")
    release = api.sent[0]
    assert [e.vk for e in release[:2]] == [VK_MASK, VK_MASK]  # Alt-up would open the menu bar
    assert {e.vk for e in release[2:]} == {VK_LSHIFT, VK_LMENU}
    assert all(e.flags & KEYEVENTF_KEYUP for e in release[2:])
    later = [e for batch in api.sent[1:] for e in batch]
    assert {e.vk for e in later} == {0x25, VK_RETURN}  # Left and Enter only: no Shift+Left


def test_nothing_held_sends_nothing(api: FakeWin32) -> None:
    SendInputKeySender(api).release_held_modifiers()
    assert api.sent == []


def test_dropped_input_is_an_error_not_silence(api: FakeWin32) -> None:
    api.accept_inputs = 0
    with pytest.raises(BackendUnavailableError, match="administrator"):
        SendInputKeySender(api).send_combo(parse_hotkey("ctrl+v"))


def test_import_works_off_windows_and_loading_says_why_not() -> None:
    import sys

    if sys.platform == "win32":
        pytest.skip("only meaningful off Windows")
    with pytest.raises(BackendUnavailableError, match="Win32"):
        SendInputKeySender()


def test_keys_down_asks_getasynckeystate_about_the_keys_named(api: FakeWin32) -> None:
    sender = SendInputKeySender(api)
    keys = frozenset({"2", "f12", ";"})
    assert not sender.keys_down(keys)
    for vk in (ord("2"), 0x7B, 0xBA):  # '2', F12, ';'
        api.down = {vk}
        assert sender.keys_down(keys), hex(vk)
    api.down = {ord("1"), VK_LSHIFT}  # the trigger's own key and a modifier are not asked about
    assert not sender.keys_down(keys)
    api.down = {0xBA}
    assert sender.keys_down(None)
    api.down = {0x01, 0x02}  # mouse buttons are not keys
    assert not sender.keys_down(None)
