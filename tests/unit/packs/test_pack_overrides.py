"""An agent's edit of a pack reply survives updates and `defaults`; a deleted one stays deleted."""

from __future__ import annotations

import pytest

from quickreply.core.errors import ValidationError
from quickreply.core.packs.defaults import install_default_packs, open_library
from quickreply.core.packs.install import install_pack
from quickreply.core.packs.overrides import is_edited, revert_to_pack
from tests.unit.pack_samples import make_pack

WELCOME = "qr-default-zh/greeting-welcome"


@pytest.fixture
def store(tmp_path):
    return open_library(tmp_path / "library.json")


def test_an_edited_default_reply_survives_defaults_and_reverts(store):
    pack_body = store.get(WELCOME).body
    store.update(store.get(WELCOME).edited(body="您好，我是小王～"))
    assert is_edited(store, store.get(WELCOME))
    install_default_packs(store)
    assert store.get(WELCOME).body == "您好，我是小王～"
    assert is_edited(store, store.get(WELCOME))
    revert_to_pack(store, WELCOME)
    assert store.get(WELCOME).body == pack_body
    assert not is_edited(store, store.get(WELCOME))


def test_a_deleted_default_reply_stays_deleted_until_the_delete_is_undone(store):
    snippet = store.remove(WELCOME)
    install_default_packs(store)
    assert store.find(WELCOME) is None
    store.add(snippet)  # Ctrl+Z in the manager
    install_default_packs(store)
    assert store.find(WELCOME) is not None


def test_an_update_keeps_the_edit_and_revert_gives_the_new_pack_text(store):
    install_pack(store, make_pack("team", "1.0.0"))
    sid = "team/s1"
    store.update(store.get(sid).edited(title="我的版本"))
    install_pack(store, make_pack("team", "1.1.0", changed=(1,)))
    assert store.get(sid).title == "我的版本"
    assert store.get("team/s2").body.endswith("第2条回复")  # untouched ones follow the pack
    revert_to_pack(store, sid)
    assert store.get(sid).title == "话术 1" and store.get(sid).body.endswith("（新版）")


def test_locked_snippets_follow_the_pack(store):
    install_pack(store, make_pack("team", "1.0.0", locked=(1,)))
    store.update(store.get("team/s1").edited(body="x"), allow_locked=True)
    install_pack(store, make_pack("team", "1.1.0", locked=(1,)))
    assert store.get("team/s1").body.endswith("第1条回复")


def test_revert_of_an_unedited_reply_is_refused(store):
    with pytest.raises(ValidationError, match="not an edited pack reply"):
        revert_to_pack(store, WELCOME)


def test_a_hidden_pack_stays_hidden_through_defaults(store):
    from quickreply.core.packs.visibility import hidden_packs, set_pack_hidden

    set_pack_hidden(store, "qr-default-en", True)
    install_default_packs(store)
    assert hidden_packs(store) == {"qr-default-en"}


def test_choosing_english_binds_the_english_defaults_and_hides_the_chinese(store):
    from quickreply.core.packs.visibility import hidden_packs, prefer_default_pack

    zh_first = next(s for s in store.snippets() if s.hotkey == "shift+f1")
    assert zh_first.pack_id == "qr-default-zh"
    prefer_default_pack(store, "en")
    assert hidden_packs(store) == {"qr-default-zh"}
    english = [
        s for s in store.snippets() if s.pack_id == "qr-default-en" and s.hotkey == "shift+f1"
    ]
    assert len(english) == 1 and not any("\u4e00" <= ch <= "\u9fff" for ch in english[0].body)
    prefer_default_pack(store, "zh-CN")
    assert hidden_packs(store) == {"qr-default-en"}
