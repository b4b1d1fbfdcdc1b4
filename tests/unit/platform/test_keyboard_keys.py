"""KeyboardKeySender.keys_up reads the `keyboard` package's own state of the keys its hook saw."""

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


def test_keys_up_until_the_hook_saw_a_key_go_down(pressed: dict[int, Down]) -> None:
    sender = KeyboardKeySender()
    assert sender.keys_up()
    pressed[29] = Down("ctrl")
    pressed[47] = Down("v")
    assert not sender.keys_up()
    pressed.clear()  # both came up
    assert sender.keys_up()
