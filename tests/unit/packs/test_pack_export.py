"""Leads' side: building a pack from the library, diffs between versions, version suggestions."""

from __future__ import annotations

import pytest

from quickreply.core.errors import ValidationError
from quickreply.core.library.model import Snippet
from quickreply.core.packs.defaults import open_library
from quickreply.core.packs.diff import diff_packs, suggest_version
from quickreply.core.packs.export import (
    guess_language,
    pack_from_library,
    pack_id_from_name,
    suggested_version,
)
from quickreply.core.packs.format import PackManifest
from quickreply.core.packs.install import install_pack
from tests.unit.pack_samples import make_pack

MANIFEST = PackManifest(id="double11", name="双11话术", version="1.0.0", author="李组长")


def add(store, title, category=None, **fields):
    category_id = store.new_category(category).id if category else ""
    return store.add(
        Snippet(
            id=store.new_snippet_id(),
            title=title,
            body=f"{title}的回复",
            category=category_id,
            **fields,
        )
    )


def test_export_selected_category_keeps_ids_hotkeys_and_locks():
    store = open_library()
    first = add(store, "发货说明", "双11", abbrev="s11")
    add(store, "不导出", "别的")
    zh = store.category("催付").id
    pack = pack_from_library(store, MANIFEST, category_ids=["双11", zh], lock=True)
    by_id = {s.id: s for s in pack.snippets}
    assert by_id[f"double11/{first.id}"].abbrev == "s11"
    assert "double11/chase-payment-reminder" in by_id  # pack ids lose their old prefix
    assert all(s.locked and s.pack_id == "double11" for s in pack.snippets)
    assert not any(s.title == "不导出" for s in pack.snippets)


def test_export_without_selection_takes_personal_snippets_and_files_loose_ones():
    store = open_library()
    add(store, "无分类话术")
    pack = pack_from_library(store, MANIFEST)
    assert [s.title for s in pack.snippets] == ["无分类话术"]
    assert pack.categories[0].id == "double11/uncategorized"


def test_export_of_nothing_is_explained():
    store = open_library()
    with pytest.raises(ValidationError, match="nothing to export"):
        pack_from_library(store, MANIFEST)


def test_diff_names_added_changed_removed_and_categories():
    old = make_pack(version="1.0.0", count=4)
    new = make_pack(version="1.1.0", count=5, skip=(3,), changed=(1,))
    diff = diff_packs(old, new)
    assert [s.id for s in diff.added] == ["team/s4"]
    assert [(c.id, c.fields) for c in diff.changed] == [("team/s1", ("body",))]
    assert [s.id for s in diff.removed] == ["team/s3"]
    assert diff.summary() == "1 added, 1 changed, 1 removed"
    assert diff_packs(old, old).is_empty


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ((4, ()), (4, ()), "1.2.4"),  # nothing but wording (or nothing): patch
        ((4, ()), (5, ()), "1.3.0"),  # added: minor
        ((4, ()), (4, (3,)), "2.0.0"),  # removed: major
    ],
)
def test_version_suggestion_follows_the_changes(old, new, expected):
    before = make_pack(version="1.2.3", count=old[0], skip=old[1])
    after = make_pack(version="0.0.0", count=new[0], skip=new[1])
    assert suggest_version("1.2.3", diff_packs(before, after)) == expected
    assert suggest_version(None, None) == "1.0.0"


def test_suggestion_uses_the_installed_pack_of_the_same_id():
    store = open_library()
    install_pack(store, make_pack(version="1.4.0", count=3))
    assert suggested_version(store, make_pack(count=4)) == "1.5.0"
    assert suggested_version(store, make_pack("brand-new")) == "1.0.0"


def test_pack_id_from_a_chinese_name_and_language_guess():
    assert pack_id_from_name("双11话术") == "shuang-11-hua-shu"
    assert pack_id_from_name("！！") == "team-pack"
    assert guess_language(make_pack().snippets) == "zh-CN"
    assert guess_language([Snippet(id="s-1", title="t", body="Hello there")]) == "en"
