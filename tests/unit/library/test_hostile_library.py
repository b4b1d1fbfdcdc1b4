"""Hostile library files (issue 13, items 3-6): malformed structure kept aside and reported,
stale temp files cleaned, one category per name under races, owner-only permissions."""

from __future__ import annotations

import json
import multiprocessing
import os
import time

import pytest

from quickreply.core.errors import StorageError
from quickreply.core.library.store import LibraryStore
from quickreply.core.packs.signing import TrustStore
from quickreply.core.packs.subscriptions import SubscriptionBook
from tests.hostile import tried

GOOD_META = {"app": "quickreply", "schema": 1}
SNIPPET = {"id": "s-1", "title": "t", "body": "b", "tags": []}

MALFORMED = {
    "meta without schema": {"meta": {"1": {"app": "quickreply"}}},
    "schema 0": {"meta": {"1": {"app": "quickreply", "schema": 0}}},
    "schema -1": {"meta": {"1": {"app": "quickreply", "schema": -1}}},
    "schema text": {"meta": {"1": {"app": "quickreply", "schema": "1"}}},
    "schema float": {"meta": {"1": {"app": "quickreply", "schema": 1.5}}},
    "schema true": {"meta": {"1": {"app": "quickreply", "schema": True}}},
    "meta a list": {"meta": {"1": ["quickreply"]}},
    "string row": {"snippets": {"1": "hello"}},
    "row without id": {"snippets": {"1": {"title": "t", "body": "b"}}},
    "numeric id": {"snippets": {"1": {**SNIPPET, "id": 5}}},
    "tags a string": {"snippets": {"1": {**SNIPPET, "tags": "a,b"}}},
    "tags of numbers": {"snippets": {"1": {**SNIPPET, "tags": [1]}}},
    "hotkey a number": {"snippets": {"1": {**SNIPPET, "hotkey": 12}}},
    "hotkey a list": {"snippets": {"1": {**SNIPPET, "hotkey": ["ctrl"]}}},
    "title a dict": {"snippets": {"1": {**SNIPPET, "title": {"a": 1}}}},
    "auto_send text": {"snippets": {"1": {**SNIPPET, "auto_send": "false"}}},
    "category order text": {"categories": {"1": {"id": "c-1", "name": "n", "order": "abc"}}},
    "category order bool": {"categories": {"1": {"id": "c-1", "name": "n", "order": True}}},
    "category without name": {"categories": {"1": {"id": "c-1", "name": 3}}},
    "pack record without id": {"packs": {"1": {"name": "p", "version": "1.0.0"}}},
    "pack record without version": {"packs": {"1": {"id": "p"}}},
    "settings a list": {"settings": {"1": ["x"]}},
    "language a number": {"settings": {"1": {"language": 5}}},
    "retention text": {"settings": {"1": {"usage_retention_months": "12"}}},
    "shop facts a list": {"settings": {"1": {"shop_facts": ["shop"]}}},
    "tracking text": {"settings": {"1": {"reply_speed_tracking": "yes"}}},
    "table a list": {"snippets": []},
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_a_malformed_library_is_kept_aside_and_reported(tmp_path, name):
    tried("library")
    path = tmp_path / "library.json"
    doc = {"meta": {"1": GOOD_META}, **MALFORMED[name]}
    if "meta" in MALFORMED[name]:
        doc["meta"] = MALFORMED[name]["meta"]
    raw = json.dumps(doc)
    path.write_text(raw)
    store = LibraryStore(path)
    assert store.recovered is not None, name
    backup = tmp_path / os.path.basename(store.recovered.backup_path or "")
    assert backup.read_text() == raw  # kept byte for byte
    assert store.snippets() == []  # and a working new library


@pytest.mark.parametrize("raw", [b"", b"   \n\t ", b"\n"])
def test_an_empty_library_file_is_reported_not_silently_new(tmp_path, raw):
    tried("library")
    path = tmp_path / "library.json"
    path.write_bytes(raw)
    store = LibraryStore(path)
    assert store.recovered is not None and "empty" in str(store.recovered)


@pytest.mark.parametrize("text", ['{"meta": {"1": ' * 1000 + "}" * 1000, "[" * 100_000])
def test_a_deep_library_file_is_kept_aside(tmp_path, text):
    tried("library")
    path = tmp_path / "library.json"
    path.write_text(text)
    assert LibraryStore(path).recovered is not None


@pytest.mark.parametrize(
    "content",
    [
        '{"format": "x", "keys": ' + "[" * 100_000 + "]" * 100_000 + "}",
        "[1, 2]",
        '{"keys": ["x"]}',
        '{"keys": [{"public_key": 5}]}',
    ],
)
def test_a_hostile_trust_file_is_one_clear_error_and_is_not_rewritten(tmp_path, content):
    tried("library")
    path = tmp_path / "trusted_keys.json"
    path.write_text(content)
    with pytest.raises(StorageError, match="trusted_keys.json"):
        TrustStore(path).public_keys()
    assert path.read_text() == content


@pytest.mark.parametrize(
    "content",
    [
        "[]",
        '{"subscriptions": []}',
        '{"subscriptions": {"p": "x"}}',
        '{"subscriptions": {"p": {"pack_id": 1, "source": "s"}}}',
        '{"subscriptions": {"p": {"pack_id": "p", "source": "s", "last_checked": "soon"}}}',
        '{"subscriptions": ' + "[" * 50_000 + "]" * 50_000 + "}",
    ],
)
def test_a_hostile_subscriptions_file_is_one_clear_error(tmp_path, content):
    tried("library")
    path = tmp_path / "subscriptions.json"
    path.write_text(content)
    with pytest.raises(StorageError, match="subscriptions.json"):
        SubscriptionBook(path).all()
    assert path.read_text() == content


def test_stale_temp_files_of_our_naming_are_removed_on_open(tmp_path):
    tried("library", 3)
    path = tmp_path / "library.json"
    LibraryStore(path)
    old = [tmp_path / f".library.json.{n}.tmp" for n in ("a1b2", "c3d4")]
    fresh = tmp_path / ".library.json.e5f6.tmp"
    foreign = tmp_path / ".other.json.zz.tmp"
    for file in [*old, fresh, foreign]:
        file.write_bytes(b"x" * 1000)
    stale = time.time() - 3600
    for file in [*old, foreign]:
        os.utime(file, (stale, stale))
    LibraryStore(path)
    assert not any(f.exists() for f in old)
    assert fresh.exists() and foreign.exists()


def _add_category(path: str, barrier, name: str) -> None:
    store = LibraryStore(path)
    barrier.wait()
    store.ensure_category(name)


def test_simultaneous_creates_of_one_category_make_one(tmp_path):
    tried("library", 6)
    path = tmp_path / "library.json"
    LibraryStore(path)
    context = multiprocessing.get_context("fork")
    for trial in range(2):
        barrier = context.Barrier(3)
        workers = [
            context.Process(target=_add_category, args=(str(path), barrier, f"X{trial}"))
            for _ in range(3)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(30)
        names = [c.name for c in LibraryStore(path).categories()]
        assert names.count(f"X{trial}") == 1


def test_the_library_file_is_owner_only(tmp_path):
    path = tmp_path / "library.json"
    old = os.umask(0)
    try:
        store = LibraryStore(path)
        store.set_settings(agent_name="a")
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o600
