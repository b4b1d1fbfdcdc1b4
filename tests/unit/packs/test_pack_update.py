"""Update semantics: what a new pack version replaces, and what of the agent's it never touches."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quickreply.core.errors import LockedError, NotFoundError, QuickReplyError, StorageError
from quickreply.core.library import atomic, storage
from quickreply.core.library.model import Category, Snippet
from quickreply.core.library.store import LibraryStore
from quickreply.core.packs.defaults import open_library
from quickreply.core.packs.format import parse_pack
from quickreply.core.packs.install import install_pack, installed_record, uninstall_pack
from quickreply.core.packs.manage import install_from, remove_pack
from tests.unit.pack_samples import make_pack, pack_data, write_pack


def personal(store: LibraryStore, title: str = "我的话术", hotkey: str | None = None) -> Snippet:
    return store.add(
        Snippet(id=store.new_snippet_id(), title=title, body="我自己的回复", hotkey=hotkey)
    )


def test_update_keeps_personal_snippets_and_replaces_pack_content():
    store = open_library()
    mine = personal(store)
    install_pack(store, make_pack(version="1.0.0", count=4))
    install_pack(store, make_pack(version="1.1.0", count=4, skip=(3,), changed=(1,)))
    assert store.get(mine.id) == mine
    assert store.find("team/s3") is None  # removed from the pack: removed from the library
    assert "新版" in store.get("team/s1").body
    assert store.get("team/s1").pack_version == "1.1.0"


def test_update_keeps_personal_hotkey_and_abbrev_on_unlocked_snippets():
    store = open_library()
    install_pack(store, make_pack(version="1.0.0"))
    store.update(store.get("team/s0").edited(hotkey="ctrl+alt+f10", abbrev="mine0"))
    store.update(store.get("team/s1").edited(abbrev="mine1"))
    install_pack(store, make_pack(version="1.1.0", changed=(0, 1)))
    assert (store.get("team/s0").hotkey, store.get("team/s0").abbrev) == ("ctrl+alt+f10", "mine0")
    assert store.get("team/s1").abbrev == "mine1"
    assert "新版" in store.get("team/s0").body
    install_pack(store, make_pack(version="1.2.0"))  # and again, on the next update
    assert store.get("team/s0").hotkey == "ctrl+alt+f10"


def test_personal_clear_of_a_pack_hotkey_survives_the_update():
    store = open_library()
    install_pack(store, make_pack(version="1.0.0"))
    store.update(store.get("team/s0").edited(hotkey=None))
    install_pack(store, make_pack(version="1.1.0"))
    assert store.get("team/s0").hotkey is None


def test_locked_snippet_takes_the_packs_values_and_cannot_be_edited():
    store = open_library()
    install_pack(store, make_pack(version="1.0.0"))
    store.update(store.get("team/s0").edited(hotkey="ctrl+alt+f10"))
    install_pack(store, make_pack(version="1.1.0", locked=(0,)))
    locked = store.get("team/s0")
    assert locked.locked and locked.hotkey == "ctrl+alt+f9"
    with pytest.raises(LockedError):
        store.update(locked.edited(body="改掉"))


def test_agents_choices_win_over_pack_values_of_other_snippets():
    store = open_library()
    install_pack(store, make_pack(version="1.0.0"))
    store.update(store.get("team/s0").edited(abbrev=None))
    store.update(store.get("team/s1").edited(abbrev="team0"))  # the agent moved s0's abbrev
    result = install_pack(store, make_pack(version="1.1.0"))
    assert store.get("team/s1").abbrev == "team0"
    assert store.get("team/s0").abbrev is None
    assert not result.warnings


def test_new_pack_hotkey_taken_by_a_personal_snippet_is_dropped_with_a_warning():
    store = open_library()
    install_pack(store, make_pack(version="1.0.0"))
    mine = personal(store, hotkey="ctrl+alt+f8")
    data = pack_data(version="1.1.0")
    data["snippets"][1]["hotkey"] = "ctrl+alt+f8"
    result = install_pack(store, parse_pack(data))
    assert store.get(mine.id).hotkey == "ctrl+alt+f8"
    assert store.get("team/s1").hotkey is None
    assert result.warnings == ["'话术 1': hotkey ctrl+alt+f8 kept by '我的话术'"]


def test_installing_the_same_version_twice_changes_nothing(tmp_path):
    store = open_library()
    path = write_pack(tmp_path / "team.qrpack")
    assert install_from(store, str(path)).status == "installed"
    before = store.path.read_bytes()
    report = install_from(store, str(path))
    assert report.status == "unchanged"
    assert store.path.read_bytes() == before


def test_failed_write_leaves_the_previous_version_fully_in_place(tmp_path, monkeypatch):
    store = open_library()
    path = tmp_path / "team.qrpack"
    install_from(store, str(write_pack(path)))
    before = store.path.read_bytes()

    def disk_full(path, data):
        raise StorageError(f"could not write {path}: No space left on device")

    monkeypatch.setattr(atomic, "atomic_write_bytes", disk_full)
    monkeypatch.setattr(storage, "atomic_write_bytes", disk_full)
    write_pack(path, version="2.0.0", count=2, changed=(0,))
    with pytest.raises(StorageError, match="No space left"):
        install_from(store, str(path))
    assert store.path.read_bytes() == before
    assert installed_record(LibraryStore(store.path), "team").version == "1.0.0"
    assert "新版" not in store.get("team/s0").body


def test_uninstall_removes_exactly_that_pack_and_several_packs_coexist(tmp_path):
    store = open_library()
    mine = personal(store)
    install_from(store, str(write_pack(tmp_path / "a.qrpack", "team-a")))
    install_from(store, str(write_pack(tmp_path / "b.qrpack", "team-b")))
    assert {s.pack_id for s in store.snippets()} >= {"team-a", "team-b"}
    remove_pack(store, "team-a")
    assert not [s for s in store.snippets() if s.pack_id == "team-a"]
    assert not [c for c in store.categories() if c.pack_id == "team-a"]
    assert len([s for s in store.snippets() if s.pack_id == "team-b"]) == 3
    assert store.get(mine.id) == mine
    with pytest.raises(NotFoundError):
        uninstall_pack(store, "team-a")


def test_id_clash_with_a_pack_from_elsewhere_is_reported(tmp_path):
    store = open_library()
    install_from(store, str(write_pack(tmp_path / "one.qrpack", "team")))
    other = write_pack(tmp_path / "other.qrpack", "team", version="2.0.0")
    with pytest.raises(QuickReplyError, match="pack id 'team' is already used.*--replace"):
        install_from(store, str(other))
    assert install_from(store, str(other), replace=True).status == "updated"


def test_going_back_to_an_older_version_needs_force(tmp_path):
    store = open_library()
    path = tmp_path / "team.qrpack"
    install_from(store, str(write_pack(path, version="2.0.0")))
    write_pack(path, version="1.0.0")
    with pytest.raises(QuickReplyError, match="use --force"):
        install_from(store, str(path))
    assert install_from(store, str(path), force=True).new_version == "1.0.0"


personal_snippets = st.lists(
    st.tuples(
        st.text(alphabet="退款发货亲您好abc 123", min_size=1, max_size=12).filter(str.strip),
        st.text(alphabet="退款发货亲您好abc {}", min_size=1, max_size=40).filter(
            lambda body: body.strip() and "{{" not in body and "}}" not in body
        ),
        st.sampled_from([None, "ctrl+alt+1", "ctrl+alt+f12"]),
    ),
    max_size=6,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=personal_snippets,
    first=st.integers(1, 6),
    second=st.integers(1, 6),
    locked=st.sets(st.integers(0, 5)),
)
def test_install_update_uninstall_leaves_personal_library_byte_for_byte(
    tmp_path_factory, rows, first, second, locked
):
    store = LibraryStore(tmp_path_factory.mktemp("lib") / "library.json")
    store.save_category(Category(id="c-mine", name="我的"))
    used: set[str] = set()
    for n, (title, body, hotkey) in enumerate(rows):
        key = hotkey if hotkey not in used else None
        used.add(key or "")
        store.add(Snippet(id=f"s-{n:04d}", title=title, body=body, category="c-mine", hotkey=key))
    # touch the packs table once so "before" and "after" have the same set of tables
    install_pack(store, make_pack("warmup", count=1))
    uninstall_pack(store, "warmup")
    before = store.path.read_bytes()
    install_pack(store, make_pack(version="1.0.0", count=first))
    if first > 1:
        store.update(store.get("team/s1").edited(abbrev="personal1"))
    install_pack(store, make_pack(version="1.1.0", count=second, locked=tuple(locked)))
    uninstall_pack(store, "team")
    assert store.path.read_bytes() == before


def test_personal_snippet_edits_after_update_are_not_mistaken_for_pack_values():
    store = open_library()
    install_pack(store, make_pack(version="1.0.0"))
    snippet = store.get("team/s2")
    store.update(replace(snippet, hotkey="ctrl+alt+f11"))
    install_pack(store, make_pack(version="1.1.0"))
    install_pack(store, make_pack(version="1.2.0"))
    assert store.get("team/s2").hotkey == "ctrl+alt+f11"
