from __future__ import annotations

import pytest

from quickreply.core.packs.defaults import default_pack_dirs, open_library
from quickreply.core.packs.format import load_pack
from quickreply.core.render import default_values, fields, placeholder_problems, render

REQUIRED_CATEGORIES = {
    "greeting": "问候/欢迎",
    "hear": "倾听",
    "empathize": "共情",
    "apologize": "道歉",
    "responsibility": "担责与补救",
    "chase-payment": "催付",
    "returns": "退换货",
    "logistics": "物流/快递",
    "quality": "质量问题",
    "wrong-item": "发错货/漏发",
    "price-protect": "活动补差价",
    "presales": "售前咨询",
    "closing": "结束语",
}


@pytest.fixture(scope="module")
def packs():
    return {folder.name: load_pack(folder) for folder in default_pack_dirs()}


def test_zh_cn_is_first_and_english_second():
    assert [d.name for d in default_pack_dirs()] == ["zh-CN", "en"]


def test_every_required_category_present_with_at_least_four_snippets(packs):
    for name, pack in packs.items():
        local_ids = {c.id.split("/", 1)[1]: c for c in pack.categories}
        assert set(REQUIRED_CATEGORIES) <= set(local_ids), name
        for cat_id in REQUIRED_CATEGORIES:
            members = [s for s in pack.snippets if s.category == f"{pack.id}/{cat_id}"]
            assert len(members) >= 4, (name, cat_id)
    zh_names = {c.id.split("/", 1)[1]: c.name for c in packs["zh-CN"].categories}
    assert {k: zh_names[k] for k in REQUIRED_CATEGORIES} == REQUIRED_CATEGORIES


def test_all_placeholders_valid_and_renderable(packs):
    for pack in packs.values():
        for snippet in pack.snippets:
            assert placeholder_problems(snippet.body) == [], snippet.id
            values = default_values(pack.manifest.language)
            values.update(
                {f.key: (f.options[0] if f.options else "X") for f in fields(snippet.body)}
            )
            assert render(snippet.body, values).text.strip()


def test_no_duplicate_ids_abbrevs_or_hotkeys_across_packs(packs):
    snippets = [s for p in packs.values() for s in p.snippets]
    ids = [s.id for s in snippets]
    assert len(ids) == len(set(ids))
    abbrevs = [s.abbrev for s in snippets if s.abbrev]
    assert len(abbrevs) == len(set(abbrevs))
    hotkeys = [s.hotkey for s in snippets if s.hotkey] + [
        c.hotkey for p in packs.values() for c in p.categories if c.hotkey
    ]
    assert len(hotkeys) == len(set(hotkeys))


def test_shop_facts_are_placeholders_not_hard_coded(packs):
    returns = [s for s in packs["zh-CN"].snippets if s.category.endswith("/returns")]
    assert any("{{return_days}}" in s.body for s in returns)
    assert any("{{refund_days}}" in s.body for s in returns)
    assert any(
        "{{return_shipping}}" in s.body or "{{exchange_shipping}}" in s.body for s in returns
    )
    assert not any("7天" in s.body or "七天" in s.body for s in returns)


def test_customer_and_order_placeholders_used(packs):
    bodies = " ".join(s.body for s in packs["zh-CN"].snippets)
    assert "{{customer}}" in bodies and "{{order}}" in bodies


def test_defaults_loaded_on_first_start_and_reloadable_keeping_personal():
    store = open_library()
    count = len(store.snippets())
    assert count >= 2 * 13 * 4
    from quickreply.core.library.model import Snippet
    from quickreply.core.packs.defaults import install_default_packs

    personal = store.add(Snippet(id=store.new_snippet_id(), title="Mine", body="my text"))
    store.remove("qr-default-zh/greeting-welcome")
    install_default_packs(store)
    assert store.get(personal.id) == personal
    assert store.find("qr-default-zh/greeting-welcome") is None  # deleted stays deleted
    install_default_packs(store, restore_deleted=True)
    assert store.find("qr-default-zh/greeting-welcome") is not None
    assert len(store.snippets()) == count + 1


def test_default_pack_ids_and_names_read_from_the_manifest_lines_match_the_whole_pack():
    from quickreply.core.packs.defaults import default_pack_dirs
    from quickreply.core.packs.format import load_pack
    from quickreply.core.packs.visibility import default_packs

    whole = [(d.name, load_pack(d).id, load_pack(d).manifest.name) for d in default_pack_dirs()]
    assert [(p.language, p.pack_id, p.name) for p in default_packs()] == whole


def test_the_zh_cn_default_pack_ships_a_sample_size_chart_image():
    store = open_library()
    sample = store.get("qr-default-zh/sample-size-chart")
    assert "示例" in sample.title and len(sample.images) == 1
    info = store.assets.describe(sample.images[0])
    assert info.ext == "png" and info.width > 400 and info.height > 200


def test_a_manifest_line_that_is_not_a_plain_value_is_read_by_the_yaml_reader(tmp_path):
    from quickreply.core.packs.visibility import _default_pack

    folder = tmp_path / "xx"
    folder.mkdir()
    (folder / "pack.yaml").write_text(
        "id: 'quoted-id'\nname: \"Replies: short\"\nversion: 1.0.0\ncategories: []\n",
        encoding="utf-8",
    )
    pack = _default_pack(folder)
    assert (pack.pack_id, pack.name) == ("quoted-id", "Replies: short")
