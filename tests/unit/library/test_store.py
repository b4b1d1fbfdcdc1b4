from __future__ import annotations

import json
import multiprocessing
import os
from pathlib import Path

import pytest

from quickreply.core.errors import LockedError, NotFoundError, StorageError, ValidationError
from quickreply.core.library import atomic
from quickreply.core.library.model import Category, Snippet
from quickreply.core.library.pack_record import PackRecord
from quickreply.core.library.store import LibraryStore


@pytest.fixture
def store(tmp_path: Path) -> LibraryStore:
    return LibraryStore(tmp_path / "library.json")


def add(store: LibraryStore, title: str = "Hi", **kw) -> Snippet:
    snippet = Snippet(id=store.new_snippet_id(), title=title, body=kw.pop("body", "Hello"), **kw)
    return store.add(snippet)


def test_file_is_utf8_json_with_schema(store):
    add(store, "问候", body="亲，您好")
    raw = store.path.read_bytes()
    data = json.loads(raw.decode("utf-8"))
    assert data["meta"]["1"] == {"app": "quickreply", "schema": 2}
    assert "亲，您好".encode() in raw  # stored as UTF-8, not \u escapes or a locale code page


def test_add_update_remove_round_trip(store, tmp_path):
    s = add(store, hotkey="Ctrl+Shift+1")
    store.update(s.edited(title="Hello"))
    reopened = LibraryStore(tmp_path / "library.json")
    assert reopened.get(s.id).title == "Hello"
    assert reopened.get(s.id).hotkey == "ctrl+shift+1"
    reopened.remove(s.id)
    with pytest.raises(NotFoundError):
        LibraryStore(tmp_path / "library.json").get(s.id)


def test_duplicate_hotkey_and_abbrev_refused_at_save(store):
    add(store, "A", hotkey="ctrl+shift+1", abbrev="hy")
    with pytest.raises(ValidationError) as err:
        add(store, "B", hotkey="ctrl+shift+1", abbrev="hy")
    assert "already used by snippet 'A'" in str(err.value)


def test_reserved_hotkey_refused(store):
    with pytest.raises(ValidationError, match="used by QuickReply itself"):
        add(store, hotkey="ctrl+alt+space")  # the palette's default hotkey: the store reserves it


def test_locked_snippet_content_cannot_change_but_personal_hotkey_can(store):
    store.save_category(Category(id="p/c", name="Pack cat", pack_id="p"))
    s = Snippet(id="p/a", title="Policy", body="Approved", category="p/c", pack_id="p", locked=True)
    store.replace_pack_content(
        "p", store.categories(), [s], PackRecord("p", name="P", version="1.0.0")
    )
    with pytest.raises(LockedError):
        store.update(s.edited(body="changed"))
    with pytest.raises(LockedError):
        store.remove(s.id)
    assert store.update(s.edited(hotkey="ctrl+shift+9")).hotkey == "ctrl+shift+9"


def test_interrupted_write_leaves_old_file_intact(store, monkeypatch):
    add(store, "Kept")
    before = store.path.read_bytes()

    def crash(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", crash)
    with pytest.raises(StorageError, match="No space left on device"):
        add(store, "Lost")
    assert store.path.read_bytes() == before
    assert not [p for p in store.path.parent.iterdir() if p.suffix == ".tmp"]
    monkeypatch.undo()
    assert [s.title for s in store.snippets()] == ["Kept"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'{"snippets": {"1": ', "not valid JSON at line 1"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b'{"users": {"1": {"name": "x"}}}', "not a QuickReply library"),
        (b"[1, 2, 3]", "not a QuickReply library"),
    ],
)
def test_corrupt_or_foreign_file_is_moved_aside_and_reported(tmp_path, content, reason):
    path = tmp_path / "library.json"
    path.write_bytes(content)
    store = LibraryStore(path)
    assert store.recovered is not None
    assert reason in str(store.recovered)
    backup = Path(store.recovered.backup_path)
    assert backup.name.startswith("library.json.corrupt-")
    assert backup.read_bytes() == content  # nothing lost
    assert store.snippets() == []


def test_newer_schema_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "library.json"
    path.write_text(
        json.dumps({"meta": {"1": {"app": "quickreply", "schema": 99}}}), encoding="utf-8"
    )
    before = path.read_bytes()
    with pytest.raises(StorageError, match="newer QuickReply"):
        LibraryStore(path)
    assert path.read_bytes() == before


def test_older_schema_is_migrated(tmp_path, monkeypatch):
    from quickreply.core.library import store as store_module

    path = tmp_path / "library.json"
    old = {
        "meta": {"1": {"app": "quickreply", "schema": 0}},
        "snippets": {"1": {"id": "s-1", "name": "Old", "body": "x"}},
    }
    path.write_text(json.dumps(old), encoding="utf-8")

    def rename_name_to_title(data):
        for row in data["snippets"].values():
            row["title"] = row.pop("name")
        return data

    monkeypatch.setattr(store_module, "SCHEMA_VERSION", 1)
    monkeypatch.setitem(store_module.MIGRATIONS, 0, rename_name_to_title)
    migrated = LibraryStore(path)
    assert migrated.get("s-1").title == "Old"
    assert json.loads(path.read_text(encoding="utf-8"))["meta"]["1"]["schema"] == 1


def test_change_by_another_process_is_seen_before_writing(tmp_path):
    path = tmp_path / "library.json"
    app_store = LibraryStore(path)
    cli_store = LibraryStore(path)
    add(cli_store, "From CLI")
    add(app_store, "From app")  # must re-read first, not overwrite the CLI's snippet
    titles = sorted(s.title for s in LibraryStore(path).snippets())
    assert titles == ["From CLI", "From app"]


def test_listeners_hear_changes(store):
    seen = []
    store.add_listener(seen.append)
    s = add(store)
    store.remove(s.id)
    assert s.id in seen[0].snippets
    assert s.id in seen[1].removed


def test_batch_is_one_write_and_all_or_nothing(store):
    add(store, "Before")
    with pytest.raises(ValidationError), store.batch():
        add(store, "One")
        add(store, "Two", body="")
    assert [s.title for s in store.snippets()] == ["Before"]


def _writer(path: str, label: str, count: int) -> None:
    store = LibraryStore(Path(path))
    for i in range(count):
        store.add(Snippet(id=f"{label}-{i}", title=f"{label} {i}", body="x"))


def test_two_processes_writing_do_not_corrupt_or_lose(tmp_path):
    path = tmp_path / "library.json"
    LibraryStore(path)
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(path), label, 15)) for label in ("a", "b")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    ids = {s.id for s in LibraryStore(path).snippets()}
    assert ids == {f"{label}-{i}" for label in "ab" for i in range(15)}


def test_category_remove_returns_members_for_undo(store):
    cat = store.new_category("Mine")
    s = add(store, category=cat.id)
    removed = store.remove_category(cat.id)
    assert removed == [s]
    assert store.categories() == []


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="root ignores file permissions")
def test_unwritable_folder_gives_clear_error(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    store = LibraryStore(folder / "library.json")
    folder.chmod(0o500)
    try:
        with pytest.raises(StorageError, match="could not write"):
            add(store)
    finally:
        folder.chmod(0o700)


def test_writing_into_a_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(StorageError, match="could not write .*No such file or directory"):
        atomic.atomic_write_bytes(tmp_path / "missing" / "x.json", b"{}")
