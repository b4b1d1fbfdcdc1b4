"""Snippets with images in the library: validation, the schema 1 -> 2 migration, and garbage
collection of the assets after deletes and edits."""

from __future__ import annotations

import json

import pytest

from quickreply.core.errors import ValidationError
from quickreply.core.library.model import Snippet, clean_snippet
from quickreply.core.library.store import LibraryStore
from tests.image_samples import png_bytes


@pytest.fixture
def store(tmp_path):
    store = LibraryStore(tmp_path / "library.json")
    store.assets.grace_s = 0  # collect at once: the grace is for other processes
    return store


def image(store: LibraryStore, seed: int) -> str:
    return store.assets.add_bytes(png_bytes(seed=seed))


def test_a_snippet_may_be_only_images():
    ref = "0" * 64 + ".png"
    cleaned = clean_snippet(Snippet(id="s-1", title="尺码表", body="", images=(ref,)))
    assert cleaned.images == (ref,)


def test_a_snippet_without_images_still_needs_a_body():
    with pytest.raises(ValidationError, match="body is empty"):
        clean_snippet(Snippet(id="s-1", title="空", body=" "))


def test_ten_images_are_too_many():
    refs = tuple(f"{i:064x}.png" for i in range(10))
    with pytest.raises(ValidationError, match="10 images; a snippet may have at most 9"):
        clean_snippet(Snippet(id="s-1", title="t", body="b", images=refs))


def test_a_malformed_reference_is_refused():
    with pytest.raises(ValidationError, match="not <sha256>"):
        clean_snippet(Snippet(id="s-1", title="t", body="b", images=("../library.json",)))


def test_the_store_refuses_an_image_it_does_not_hold(store):
    ref = "f" * 64 + ".png"
    with pytest.raises(ValidationError, match=f"image {ref} is not stored"):
        store.add(Snippet(id="s-1", title="t", body="b", images=(ref,)))


def test_library_json_holds_only_the_references(store):
    ref = image(store, 1)
    store.add(Snippet(id="s-1", title="尺码表", body="", images=(ref,), image_order="text_first"))
    row = json.loads(store.path.read_text("utf-8"))["snippets"]["1"]
    assert row["images"] == [ref] and row["image_order"] == "text_first"
    assert store.path.stat().st_size < 2_000
    assert LibraryStore(store.path).get("s-1").images == (ref,)


def test_removing_a_snippet_removes_its_image_but_not_a_shared_one(store):
    own, shared = image(store, 1), image(store, 2)
    store.add(Snippet(id="s-1", title="a", body="a", images=(own, shared)))
    store.add(Snippet(id="s-2", title="b", body="b", images=(shared,)))
    store.remove("s-1")
    assert not store.assets.exists(own)
    assert store.assets.exists(shared)


def test_replacing_the_images_removes_the_old_one(store):
    old = image(store, 1)
    store.add(Snippet(id="s-1", title="a", body="a", images=(old,)))
    new = image(store, 2)
    store.update(store.get("s-1").edited(images=(new,)))
    assert store.assets.refs() == {new}


def test_an_image_added_by_another_process_is_spared_within_the_grace(tmp_path):
    store = LibraryStore(tmp_path / "library.json")  # the default grace
    store.add(Snippet(id="s-1", title="a", body="a"))
    pending = image(store, 1)  # the CLI attached it and is about to save its snippet
    store.remove("s-1")
    assert store.assets.exists(pending)


def test_an_old_library_is_migrated_and_written_with_the_new_schema(tmp_path):
    path = tmp_path / "library.json"
    old = {
        "meta": {"1": {"app": "quickreply", "schema": 1}},
        "snippets": {"1": {"id": "s-1", "title": "问候", "body": "亲，您好", "tags": []}},
    }
    path.write_text(json.dumps(old, ensure_ascii=False), encoding="utf-8")
    store = LibraryStore(path)
    assert store.get("s-1").images == ()
    data = json.loads(path.read_text("utf-8"))
    assert data["meta"]["1"]["schema"] == 2
    assert data["snippets"]["1"]["images"] == []
    assert data["snippets"]["1"]["image_order"] == "images_first"


def test_a_current_library_with_images_that_are_not_a_list_is_refused(tmp_path):
    path = tmp_path / "library.json"
    bad = {
        "meta": {"1": {"app": "quickreply", "schema": 2}},
        "snippets": {"1": {"id": "s-1", "title": "t", "body": "b", "images": "x.png"}},
    }
    path.write_text(json.dumps(bad), encoding="utf-8")
    store = LibraryStore(path)
    assert store.recovered is not None and "images must be a list" in str(store.recovered)


def test_a_lost_image_does_not_block_editing_the_title(store):
    ref = image(store, 1)
    store.add(Snippet(id="s-1", title="a", body="a", images=(ref,)))
    store.assets.path_for(ref).unlink()  # a library copied without its assets folder
    assert store.update(store.get("s-1").edited(title="b")).title == "b"
