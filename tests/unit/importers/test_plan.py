"""Importing into the library: preview, merge, clashes, one atomic write, undo as one step."""

from __future__ import annotations

from pathlib import Path

import pytest

from quickreply.core.errors import NotFoundError, StorageError
from quickreply.core.importers import read_import
from quickreply.core.importers.plan import apply_import, plan_import, undo_import
from quickreply.core.importers.result import ImportedSnippet, ImportResult
from quickreply.core.library.model import Snippet
from quickreply.core.library.store import LibraryStore

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "importers"


@pytest.fixture
def store(tmp_path: Path) -> LibraryStore:
    return LibraryStore(tmp_path / "library.json")


def state(store: LibraryStore):
    return (
        sorted((s.id, s.title, s.body, s.category, s.abbrev) for s in store.snippets()),
        sorted((c.id, c.name) for c in store.categories()),
    )


def result_of(*items: ImportedSnippet) -> ImportResult:
    result = ImportResult("test.csv", "csv")
    for item in items:
        result.add(item)
    return result


def test_plan_writes_nothing_and_apply_adds_categories_and_snippets(store, tmp_path):
    before = (tmp_path / "library.json").read_bytes()
    plan = plan_import(store, read_import(FIXTURES / "sheets" / "qianniu-gbk.csv"))
    assert (tmp_path / "library.json").read_bytes() == before
    assert [c.name for c in plan.new_categories] == ["售前", "售后", "qianniu-gbk"]
    assert len(plan.added) == 5 and plan.merged == [] and len(plan.skipped) == 1
    apply_import(store, plan, tmp_path / "undo.json")
    names = {c.id: c.name for c in store.categories()}
    assert sorted((names[s.category], s.abbrev or "") for s in store.snippets()) == [
        ("qianniu-gbk", "kd"),
        ("售前", "1"),
        ("售前", "fh"),
        ("售后", ""),
        ("售后", "th"),
    ]
    assert all(s.pack_id is None and not s.locked for s in store.snippets())


def test_importing_the_same_sheet_twice_merges_instead_of_doubling(store, tmp_path):
    result = read_import(FIXTURES / "sheets" / "qianniu-gbk.csv")
    apply_import(store, plan_import(store, result), tmp_path / "undo.json")
    again = plan_import(store, result)
    assert again.added == [] and len(again.merged) == 5 and again.clashes == []
    assert again.is_empty


def test_same_body_in_the_same_category_inside_one_source_is_merged(store):
    plan = plan_import(
        store,
        result_of(
            ImportedSnippet("A", "亲，在的", "售前", None, "row 1"),
            ImportedSnippet("A again", "亲，在的", "售前", "zd", "row 2"),
            ImportedSnippet("B", "亲，在的", "售后", None, "row 3"),
        ),
    )
    assert [(s.title, s.abbrev) for s in plan.added] == [("A", "zd"), ("B", None)]
    assert len(plan.merged) == 1


def test_merge_gives_the_library_snippet_a_missing_abbreviation(store, tmp_path):
    category = store.new_category("售前")
    store.add(Snippet(id="s-mine", title="Mine", body="亲，在的", category=category.id))
    plan = plan_import(store, result_of(ImportedSnippet("X", "亲，在的", "售前", "zd", "row 1")))
    assert plan.added == [] and plan.merged[0].updated.abbrev == "zd"
    apply_import(store, plan, tmp_path / "undo.json")
    assert store.get("s-mine").abbrev == "zd"
    undo_import(store, tmp_path / "undo.json")
    assert store.get("s-mine").abbrev is None


def test_abbreviation_clash_names_both_snippets_and_the_import_keeps_none(store):
    store.add(Snippet(id="s-mine", title="我的欢迎语", body="您好", abbrev="hy"))
    plan = plan_import(
        store, result_of(ImportedSnippet("导入的欢迎语", "亲，您好", "售前", "HY", "r1"))
    )
    assert plan.clashes == [
        "abbreviation 'hy' of '导入的欢迎语' is already used by '我的欢迎语'; "
        "imported without an abbreviation"
    ]
    assert plan.added[0].abbrev is None


def test_bad_placeholder_is_skipped_with_the_reason_and_bad_abbreviation_noted(store):
    plan = plan_import(
        store,
        result_of(
            ImportedSnippet("T", "您好 {{nosuch}}", "售前", None, "row 2"),
            ImportedSnippet("U", "您好", "售前", "两个 字", "row 3"),
        ),
    )
    assert plan.skipped[0].where == "row 2"
    assert plan.skipped[0].reason.startswith("unknown placeholder {{nosuch}} at line 1, column 4")
    assert plan.added[0].abbrev is None and plan.notes[0].startswith("row 3: '两个 字'")


def test_undo_takes_back_the_last_import_as_one_step(store, tmp_path):
    store.add(Snippet(id="s-mine", title="Mine", body="我自己的"))
    before = state(store)
    undo = tmp_path / "undo.json"
    apply_import(store, plan_import(store, read_import(FIXTURES / "espanso")), undo)
    assert len(store.snippets()) == 12
    done = undo_import(store, undo)
    assert (done.removed, done.restored) == (11, 0)
    assert state(store) == before
    with pytest.raises(NotFoundError, match="no import to undo"):
        undo_import(store, undo)


def test_an_import_that_fails_half_way_leaves_library_and_undo_record_unchanged(
    store, tmp_path, monkeypatch
):
    undo = tmp_path / "undo.json"
    apply_import(
        store, plan_import(store, read_import(FIXTURES / "sheets" / "no-header.csv")), undo
    )
    record = undo.read_bytes()
    before = state(store)
    plan = plan_import(store, read_import(FIXTURES / "beeftext" / "combos-v7.json"))

    def refuse(self):
        raise StorageError("disk full")

    monkeypatch.setattr("quickreply.core.library.storage.SafeJSONStorage.flush", refuse)
    with pytest.raises(StorageError):
        apply_import(store, plan, undo)
    monkeypatch.undo()
    assert state(LibraryStore(store.path)) == before
    assert undo.read_bytes() == record


def test_prefix_abbreviations_and_full_width_prefix_are_accepted(store):
    plan = plan_import(
        store,
        result_of(
            ImportedSnippet("A", "甲", "x", ";hy", "r1"),
            ImportedSnippet("B", "乙", "x", "／tk", "r2"),
        ),
    )
    assert [s.abbrev for s in plan.added] == [";hy", "/tk"]


def test_category_option_puts_everything_in_one_category(store):
    result = read_import(FIXTURES / "beeftext" / "combos-v7.json").with_category("从Beeftext导入")
    plan = plan_import(store, result)
    assert [c.name for c in plan.new_categories] == ["从Beeftext导入"]
    assert {s.category for s in plan.added} == {plan.new_categories[0].id}
