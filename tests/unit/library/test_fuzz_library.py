"""Fuzzing the library loader (issue 13): any library.json gives a working store, the damaged
file kept byte for byte beside it, or a clear error; never another exception."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quickreply.core.library.store import LibraryStore
from quickreply.core.library.structure import library_problem
from tests.fuzz import JSON_VALUES, bounded, mutated

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
VALID = {
    "meta": {"1": {"app": "quickreply", "schema": 1}},
    "snippets": {"1": {"id": "s-1", "title": "t", "body": "b", "tags": ["x"], "hotkey": None}},
    "categories": {"1": {"id": "c-1", "name": "n", "order": 1}},
    "packs": {"1": {"id": "p", "name": "P", "version": "1.0.0"}},
    "settings": {"1": {"language": "zh-CN", "shop_facts": {"shop": "本店"}}},
}


@settings(max_examples=300, deadline=None)
@given(mutated(VALID))
def test_structure_check_never_raises(data):
    bounded("library", lambda: library_problem(data))


@FUZZ
@given(
    st.one_of(mutated(VALID).map(json.dumps), JSON_VALUES.map(json.dumps), st.text(max_size=200))
)
def test_any_library_file_opens_or_is_kept_aside(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("lib")
    path = folder / "library.json"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))

    def open_it() -> None:
        store = LibraryStore(path)
        store.snippets()
        store.categories()
        store.pack_records()
        store.settings()
        if store.recovered is not None:
            kept = folder / (store.recovered.backup_path or "").rsplit("/", 1)[-1]
            assert kept.read_bytes() == text.encode("utf-8", "surrogatepass")

    bounded("library", open_it)
