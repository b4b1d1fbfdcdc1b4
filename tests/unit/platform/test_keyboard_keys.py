"""KeyboardKeySender.keys_down reads the `keyboard` package's own state of the keys its hook saw."""

from __future__ import annotations

import keyboard
import pytest

from quickreply.platform.keys import KeyboardKeySender


class Down:
    """One entry of keyboard's pressed-keys table: the key's name is all get_hotkey_name reads."""

    def __init__(self, name: str) -> None:
        self.name = name


@pytest.fixture
def pressed(monkeypatch: pytest.MonkeyPatch) -> dict[int, Down]:
    """keyboard's table of keys down, with its hook thread kept from starting."""
    table: dict[int, Down] = {}
    monkeypatch.setattr(keyboard._listener, "start_if_necessary", lambda: None)
    monkeypatch.setattr(keyboard, "_pressed_events", table)
    return table


def test_keys_down_until_the_hook_saw_the_keys_come_up(pressed: dict[int, Down]) -> None:
    sender = KeyboardKeySender()
    keys = frozenset({"2", "pageup"})
    assert not sender.keys_down(keys)
    pressed[29] = Down("ctrl")
    pressed[3] = Down("2")
    assert sender.keys_down(keys)
    pressed.clear()  # both came up
    pressed[2] = Down("1")  # the trigger's own key, still held
    assert not sender.keys_down(keys)
    pressed[73] = Down("page up")
    assert sender.keys_down(keys)
    assert sender.keys_down(None)
    pressed.clear()
    assert not sender.keys_down(None)
