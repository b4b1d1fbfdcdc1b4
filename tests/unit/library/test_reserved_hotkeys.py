"""Combinations the system and chat clients need are refused everywhere a hotkey is saved."""

from __future__ import annotations

from dataclasses import replace

import pytest

from quickreply.core.errors import ValidationError
from quickreply.core.hotkey import RESERVED_HOTKEYS, normalize_hotkey, reserved_hotkey_reason
from quickreply.core.library.model import Category, Snippet
from quickreply.core.library.settings import Settings, load_settings, save_settings
from quickreply.core.library.store import LibraryStore
from quickreply.core.packs.format import parse_pack
from quickreply.core.packs.install import install_pack
from tests.unit.pack_samples import pack_data


@pytest.fixture
def store(tmp_path) -> LibraryStore:
    return LibraryStore(tmp_path / "library.json")


def test_reserved_set_is_in_canonical_spelling():
    assert all(normalize_hotkey(combo) == combo for combo in RESERVED_HOTKEYS)
    assert reserved_hotkey_reason("ctrl+v") == "paste"
    assert reserved_hotkey_reason("ctrl+alt+1") is None


@pytest.mark.parametrize("combo", ["ctrl+v", "Ctrl+C", "ctrl+a", "ctrl+z", "alt+tab", "alt+f4"])
def test_store_refuses_a_snippet_on_a_reserved_combination(store, combo):
    with pytest.raises(ValidationError, match="reserved"):
        store.add(Snippet(id="s-1", title="t", body="b", hotkey=combo))
    assert store.snippets() == []


def test_store_refuses_a_category_on_a_reserved_combination(store):
    with pytest.raises(ValidationError, match="reserved"):
        store.save_category(Category(id="c-1", name="x", hotkey="ctrl+x"))


def test_a_changed_paste_key_is_reserved_for_quickreply(store):
    save_settings(store, replace(load_settings(store), app_paste_keys={"wechat.exe": "ctrl+alt+v"}))
    with pytest.raises(ValidationError, match="QuickReply itself"):
        store.add(Snippet(id="s-1", title="t", body="b", hotkey="ctrl+alt+v"))


def test_palette_hotkey_cannot_be_a_reserved_combination():
    from quickreply.core.library.settings import validate_settings

    with pytest.raises(ValidationError, match="palette_hotkey"):
        validate_settings(Settings(palette_hotkey="ctrl+v"))


def test_a_pack_hotkey_on_a_reserved_combination_is_dropped_with_a_warning(store):
    data = pack_data()
    data["snippets"][0]["hotkey"] = "ctrl+v"
    pack = parse_pack(data)
    result = install_pack(store, pack)
    first = pack.snippets[0].id
    assert store.get(first).hotkey is None
    assert any("ctrl+v" in w and "reserved" in w for w in result.warnings)
