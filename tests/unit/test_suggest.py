"""Suggestions from a buyer's message: synonyms, segmentation, ranking, and their quality on the
labelled set (tests/fixtures/suggest_messages.yaml)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from quickreply.core.library.model import Category, Snippet
from quickreply.core.packs.defaults import default_pack_dirs, open_library
from quickreply.core.packs.format import load_pack, parse_pack
from quickreply.core.suggest.analyzer import Analyzer
from quickreply.core.suggest.evaluate import evaluate, load_labelled
from quickreply.core.suggest.index import SuggestIndex
from quickreply.core.suggest.synonyms import SynonymTable, default_table

LABELLED = Path(__file__).resolve().parent.parent / "fixtures" / "suggest_messages.yaml"


@pytest.fixture(scope="module")
def default_index() -> SuggestIndex:
    snippets: list[Snippet] = []
    categories: list[Category] = []
    for folder in default_pack_dirs():
        pack = load_pack(folder)
        snippets += pack.snippets
        categories += pack.categories
    return SuggestIndex(snippets, categories)


def test_synonym_phrases_are_found_inside_chinese_text_longest_first():
    table = default_table()
    found = table.chinese_phrases("我的快递三天了还没收到")
    assert [(m.surface, m.keys) for m in found if m.surface != "三天了"] == [
        ("快递", ("快递",)),
        ("还没收到", ("没收到",)),
    ]


def test_english_phrases_match_after_stemming():
    table = SynonymTable([["not received", "never arrived", "never got"]], ["it", "i", "but"])
    assert table.english_terms("It never ARRIVED but I never got it") == [
        ("not receiv", "never arrived"),
        ("not receiv", "never got"),
    ]


def test_unknown_chinese_words_still_match_through_character_pairs():
    terms = Analyzer().terms("腰围太紧")
    assert "~腰围" in {t.key for t in terms}


def test_pack_synonyms_extend_the_table_for_that_library():
    data = {
        "id": "shoes",
        "name": "Shoes",
        "version": "1.0.0",
        "categories": [{"id": "fit", "name": "Fit", "keywords": ["挤脚"]}],
        "snippets": [
            {"id": "wide", "category": "fit", "title": "宽楦建议", "body": "亲，建议拍大一码～",
             "questions": ["鞋子挤脚怎么办"]},
        ],
        "synonyms": [["挤脚", "夹脚", "磨脚"]],
    }  # fmt: skip
    pack = parse_pack(data)
    assert pack.synonyms == [["挤脚", "夹脚", "磨脚"]]
    assert pack.snippets[0].questions == ("鞋子挤脚怎么办",)
    assert pack.categories[0].keywords == ("挤脚",)
    plain = SuggestIndex(pack.snippets, pack.categories).suggest("穿着夹脚")
    extended = SuggestIndex(
        pack.snippets, pack.categories, synonyms=default_table().extended(pack.synonyms)
    ).suggest("穿着夹脚")
    assert not plain
    assert extended[0].snippet.id == "shoes/wide"
    assert "夹脚" in extended[0].matched


def test_from_store_uses_the_synonyms_of_installed_packs(quickreply_home):
    from quickreply.core.packs.install import install_pack

    store = open_library()
    pack = parse_pack(
        {
            "id": "shoes",
            "name": "Shoes",
            "version": "1.0.0",
            "categories": [{"id": "fit", "name": "Fit"}],
            "snippets": [{"id": "wide", "category": "fit", "title": "挤脚", "body": "亲～"}],
            "synonyms": [["挤脚", "夹脚"]],
        }
    )
    install_pack(store, pack)
    assert SuggestIndex.from_store(store).suggest("有点夹脚")[0].snippet.id == "shoes/wide"


def test_the_issue_examples_come_first(default_index):
    expected = {
        "我的快递三天了还没到，怎么回事": "logistics",
        "退货的运费谁出？": "returns-shipping-fee",
        "我170，120斤穿什么码": "presales-size",
        "My parcel says delivered but I never got it": "logistics-signed-not-received",
    }
    for message, wanted in expected.items():
        first = default_index.suggest(message, 1)[0]
        assert wanted in first.snippet.id, (message, first.snippet.id)
        assert first.matched, message


def test_matched_words_are_the_message_words_in_order(default_index):
    first = default_index.suggest("退货的运费谁出？", 1)[0]
    assert first.matched == ("退货", "运费谁出")


def test_nothing_is_suggested_for_a_message_without_meaning(default_index):
    assert default_index.suggest("。。。") == []
    assert default_index.suggest("") == []


def test_frequent_use_lifts_a_reply_among_close_ones():
    snippets = [
        Snippet(id=f"s-{n}", title="退款", body="亲，退款说明", category="c") for n in range(3)
    ]
    now = int(time.time() * 1000)
    index = SuggestIndex(snippets, [], usage=lambda: {"s-2": (20, now)})
    assert index.suggest("怎么退款")[0].snippet.id == "s-2"


def test_accuracy_on_the_labelled_set_meets_the_targets(default_index):
    labelled = load_labelled(LABELLED)
    assert len(labelled) >= 150
    categories = {c for item in labelled for c in item.categories}
    assert categories >= {
        "greeting", "hear", "empathize", "apologize", "responsibility", "chase-payment",
        "returns", "logistics", "quality", "wrong-item", "price-protect", "presales", "closing",
    }  # fmt: skip
    result = evaluate(default_index, labelled)
    assert result.category_top3 >= 0.90, result.misses[:5]
    assert result.category_top1 >= 0.75, result.misses[:5]


def test_every_default_snippet_has_three_example_questions_and_categories_keywords():
    for folder in default_pack_dirs():
        pack = load_pack(folder)
        for snippet in pack.snippets:
            assert len(snippet.questions) >= 3, snippet.id
            assert not set(snippet.questions) & {snippet.title, snippet.body}, snippet.id
        assert all(c.keywords for c in pack.categories), folder.name


def test_questions_keywords_and_synonyms_survive_a_qrpack_and_satisfy_the_schemas(tmp_path):
    import json

    import jsonschema

    from quickreply.core.library.paths import resources_dir
    from quickreply.core.packs.file import pack_to_data, read_pack_file, write_pack_file

    pack = parse_pack(
        {
            "id": "shoes",
            "name": "Shoes",
            "version": "1.0.0",
            "created": "2026-11-30T08:00:00+00:00",
            "categories": [{"id": "fit", "name": "Fit", "keywords": ["挤脚", "码数"]}],
            "snippets": [
                {"id": "wide", "category": "fit", "title": "宽楦", "body": "亲，拍大一码～",
                 "questions": ["鞋子挤脚怎么办", "脚宽穿多大"]},
            ],
            "synonyms": [["挤脚", "夹脚"]],
        }
    )  # fmt: skip
    write_pack_file(tmp_path / "shoes.qrpack", pack)
    back = read_pack_file(tmp_path / "shoes.qrpack").pack
    assert back.synonyms == [["挤脚", "夹脚"]]
    assert back.categories[0].keywords == ("挤脚", "码数")
    assert back.snippets[0].questions == ("鞋子挤脚怎么办", "脚宽穿多大")
    schemas = resources_dir() / "schema"
    manifest, snippets = pack_to_data(back)
    for data, name in ((manifest, "manifest"), (snippets, "snippets")):
        schema = json.loads((schemas / f"qrpack-{name}.schema.json").read_text("utf-8"))
        jsonschema.validate(data, schema)


def test_bad_questions_keywords_and_synonyms_are_named_problems():
    from quickreply.core.errors import ValidationError

    data = {
        "id": "p",
        "name": "P",
        "version": "1.0.0",
        "categories": [{"id": "c", "name": "C", "keywords": "快递"}],
        "snippets": [{"id": "s", "category": "c", "title": "T", "body": "B", "questions": [1]}],
        "synonyms": [["孤单"]],
    }
    with pytest.raises(ValidationError) as err:
        parse_pack(data)
    text = "\n".join(err.value.problems)
    assert "keywords must be a list of texts" in text
    assert "questions must be a list of texts" in text
    assert "synonyms[0]: a group needs two or more words" in text
