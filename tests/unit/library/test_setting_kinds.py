"""The settings' kinds are Literal types, and the values validate_settings accepts are unchanged."""

from __future__ import annotations

from dataclasses import replace

import pytest

from quickreply.core.errors import ValidationError
from quickreply.core.importers.result import FORMATS
from quickreply.core.library.settings import CHOICES, Settings, validate_settings


def test_choices_come_from_the_literal_kinds_with_the_same_values():
    assert CHOICES["language"] == ("auto", "zh-CN", "en")
    assert CHOICES["hotkey_backend"] == ("auto", "x11", "win32", "keyboard")
    assert CHOICES["insert_mode"] == ("paste", "type")
    assert CHOICES["send_keys"] == ("enter", "ctrl+enter")
    assert CHOICES["newline_keys"] == ("shift+enter", "ctrl+enter")
    assert CHOICES["abbreviations"] == ("on", "off")
    assert CHOICES["abbreviation_end_key"] == ("space", "tab", "none")
    assert FORMATS == ("espanso", "beeftext", "ahk", "csv", "xlsx")


@pytest.mark.parametrize(
    "name, bad", [("language", "fr"), ("hotkey_backend", "wayland"), ("abbreviations", "yes")]
)
def test_a_value_outside_the_kind_is_still_refused(name, bad):
    with pytest.raises(ValidationError, match=name):
        validate_settings(replace(Settings(), **{name: bad}))
