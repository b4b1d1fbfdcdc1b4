from __future__ import annotations

import pytest

from quickreply.core.errors import ValidationError
from quickreply.core.hotkey import parse_hotkey
from quickreply.core.library.model import (
    Category,
    Snippet,
    clean_category,
    clean_snippet,
    conflicts,
)


def snippet(**kw):
    base = {"id": "s-1", "title": "Hi", "body": "Hello {{customer}}"}
    base.update(kw)
    return Snippet(**base)


def test_clean_snippet_normalises_hotkey_abbrev_and_tags():
    cleaned = clean_snippet(
        snippet(hotkey="Shift+Ctrl+1", abbrev=" HY ", tags=("a", " a", "", "b"))
    )
    assert cleaned.hotkey == "ctrl+shift+1"
    assert cleaned.abbrev == "hy"
    assert cleaned.tags == ("a", "b")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"body": "   "}, "body is empty"),
        ({"title": ""}, "title is empty"),
        ({"hotkey": "ctrl+nokey"}, "unknown key 'nokey'"),
        ({"hotkey": "a"}, "would block normal typing"),
        ({"abbrev": "two words"}, "abbreviation 'two words'"),
        ({"body": "Hi {{nme}}"}, "unknown placeholder {{nme}} at line 1, column 4"),
        ({"id": "Bad Id"}, "id must be lowercase"),
    ],
)
def test_clean_snippet_rejects_bad_fields_with_clear_message(changes, message):
    with pytest.raises(ValidationError) as err:
        clean_snippet(snippet(**changes))
    assert message in str(err.value)


def test_conflicts_name_the_other_snippet():
    a = clean_snippet(snippet(id="s-a", title="A", hotkey="ctrl+shift+1", abbrev="hy"))
    b = clean_snippet(snippet(id="s-b", title="B", hotkey="ctrl+shift+1", abbrev="hy"))
    problems = conflicts(b, [a, b], [])
    assert any("hotkey ctrl+shift+1 is already used by snippet 'A'" in p for p in problems)
    assert any("abbreviation 'hy' is already used by snippet 'A'" in p for p in problems)


def test_conflict_with_category_hotkey():
    cat = Category(id="c-1", name="Greetings", hotkey="alt+shift+1")
    s = clean_snippet(snippet(hotkey="alt+shift+1"))
    assert conflicts(s, [], [cat]) == ["hotkey alt+shift+1 is already used by category 'Greetings'"]


def test_category_validation():
    assert (
        clean_category(Category(id="c-1", name=" 问候 ", hotkey="Alt+Shift+1")).hotkey
        == "alt+shift+1"
    )
    with pytest.raises(ValidationError, match="name is empty"):
        clean_category(Category(id="c-1", name=" "))


def test_snippet_round_trips_through_dict():
    s = clean_snippet(
        snippet(tags=("x",), auto_send=True, pack_id="p", pack_version="1.0.0", locked=True)
    )
    assert Snippet.from_dict(s.to_dict()) == s


def test_hotkey_display_and_altgr_warning():
    h = parse_hotkey("ctrl+alt+1")
    assert h.display() == "Ctrl+Alt+1"
    assert h.uses_altgr_combination
    assert not parse_hotkey("alt+shift+1").uses_altgr_combination
    assert str(parse_hotkey("super+F5")) == "win+f5"
