"""Search: pinyin (full, initials, polyphonic), typos, several words, ranking, incremental index."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quickreply.core.library.model import Category, Snippet
from quickreply.core.library.store import LibraryStore
from quickreply.core.packs.defaults import open_library
from quickreply.core.search.index import (
    FUZZY,
    TIER_SCORES,
    SearchIndex,
    frecency,
)
from quickreply.core.search.pinyin import readings, spellings

NOW_MS = int(time.time() * 1000)


def snip(sid: str, title: str, body: str = "正文", **kw) -> Snippet:
    return Snippet(id=sid, title=title, body=body, **kw)


LIBRARY = [
    snip("s-refund", "退款说明", "亲，退款会在3天内原路退回～", tags=("退款", "售后")),
    snip("s-chase", "催付提醒", "亲，您的订单还没有付款哦～", tags=("催付",)),
    snip("s-ship", "催发货", "亲，我们马上为您催促仓库发货～"),
    snip("s-resend", "重新发货", "亲，已经为您重新安排发货～"),
    snip("s-policy", "Refund policy", "Refunds reach you in 3 days.", tags=("after-sales",)),
    snip("s-track", "Tracking number", "Your tracking number is {{tracking}}."),
    snip("s-thanks", "感谢光临", "感谢您的光临，祝您生活愉快！", abbrev="tk"),
]


def ids(hits) -> list[str]:
    return [h.snippet.id for h in hits]


@pytest.fixture
def index() -> SearchIndex:
    return SearchIndex(LIBRARY)


@pytest.mark.parametrize("query", ["tk", "tuikuan", "tuik", "退款", "TuiKuan"])
def test_refund_found_by_initials_full_pinyin_and_characters(index, query):
    assert "s-refund" in ids(index.query(query))


def test_cf_finds_the_chase_payment_snippet_first(index):
    hits = index.query("cf")
    assert hits[0].snippet.id == "s-chase"
    assert "s-ship" in ids(hits)  # 催发货 starts with c-f too, but only as a prefix


@pytest.mark.parametrize("query", ["chongxin", "zhongxin", "cxfh", "zxfh", "重新"])
def test_polyphonic_characters_match_every_reading(index, query):
    assert ids(index.query(query))[:1] == ["s-resend"]


def test_every_reading_of_a_polyphonic_character_is_spelled():
    assert {"zhong", "chong"} <= {r[0] for r in readings("重")}
    full, firsts = spellings("重新")
    assert ("chong", "xin") in full and ("z", "x") in firsts and ("c", "x") in firsts


def test_readings_are_capped_but_keep_each_alternative():
    found = readings("还没有付款的重要订单", cap=16)
    assert len(found) == 16
    assert found[0][:2] == ("hai", "mei")
    assert any(r[6] == "chong" for r in found)  # a single deviation survives the cap


@pytest.mark.parametrize(("typo", "expected"), [("tuikaun", "s-refund"), ("refnd", "s-policy")])
def test_typos_are_forgiven_in_the_lowest_tier(index, typo, expected):
    hits = index.query(typo)
    assert ids(hits)[:1] == [expected]
    assert hits[0].field == "fuzzy"
    assert hits[0].score <= TIER_SCORES[FUZZY]


def test_no_typo_guessing_for_a_word_that_matches_as_typed(index):
    assert ids(index.query("tracking")) == ["s-track"]


def test_several_words_must_all_match(index):
    assert ids(index.query("refund policy")) == ["s-policy"]
    assert ids(index.query("refund 退款")) == []
    assert ids(index.query("tk 原路")) == ["s-refund"]


def test_exact_abbreviation_comes_first(index):
    hits = index.query("tk")
    assert hits[0].snippet.id == "s-thanks"
    assert hits[0].field == "abbrev"
    assert "s-refund" in ids(hits[1:])


def test_substring_in_title_tags_body_and_abbreviation(index):
    assert ids(index.query("number")) == ["s-track"]
    assert ids(index.query("after-sales")) == ["s-policy"]
    assert ids(index.query("原路")) == ["s-refund"]
    assert index.query("原路")[0].field == "body"
    assert index.query("after")[0].field == "tags"


def test_placeholders_are_searched_as_the_agent_sees_them():
    index = SearchIndex(
        [snip("s-1", "单号", "订单{{order}}，快递{{input:快递单号}}{{choice:快递|顺丰|中通}}")]
    )
    assert ids(index.query("order")) == []
    assert ids(index.query("快递单号 中通")) == ["s-1"]


def test_match_quality_orders_prefix_before_body():
    index = SearchIndex([snip("s-body", "Other", "about refunds"), snip("s-title", "Refunds", "x")])
    assert ids(index.query("refund")) == ["s-title", "s-body"]


def test_usage_ranks_within_a_tier_but_not_across_tiers():
    library = [snip("s-a", "Refund A"), snip("s-b", "Refund B"), snip("s-c", "Other", "refund")]
    stats = {"s-b": (5, NOW_MS), "s-c": (500, NOW_MS)}
    index = SearchIndex(library, usage=lambda: stats)
    hits = index.query("refund")
    assert ids(hits) == ["s-b", "s-a", "s-c"]
    assert hits[0].score > hits[1].score > hits[2].score


def test_recent_use_outranks_old_use():
    library = [snip("s-old", "Refund old"), snip("s-new", "Refund new")]
    old = NOW_MS - 60 * 86_400_000
    index = SearchIndex(library, usage=lambda: {"s-old": (10, old), "s-new": (3, NOW_MS)})
    assert ids(index.query("refund")) == ["s-new", "s-old"]
    assert frecency(10, old, NOW_MS) < frecency(3, NOW_MS, NOW_MS) == 3.0


def test_usage_is_read_again_only_when_asked():
    stats: dict[str, tuple[int, int]] = {}
    index = SearchIndex(LIBRARY, usage=lambda: stats)
    assert ids(index.query("c"))[0] == "s-chase"
    stats["s-ship"] = (1, NOW_MS)
    assert ids(index.query("c"))[0] == "s-chase"  # not re-read per keystroke
    index.refresh_usage()
    assert ids(index.query("c"))[0] == "s-ship"


def test_empty_query_lists_most_used_then_library_order():
    index = SearchIndex(LIBRARY, usage=lambda: {"s-track": (2, NOW_MS)})
    assert ids(index.query("", limit=3)) == ["s-track", "s-refund", "s-chase"]


def test_category_filter_by_argument_and_hash_prefix():
    cats = [Category("c-after", "售后"), Category("c-pre", "售前咨询")]
    library = [snip("s-1", "退款", category="c-after"), snip("s-2", "退款政策", category="c-pre")]
    index = SearchIndex(library, cats)
    assert ids(index.query("tk", category="c-pre")) == ["s-2"]
    assert ids(index.search_text("#售前 tk")) == ["s-2"]
    assert ids(index.search_text("#sh tk")) == ["s-1"]  # initials; ties go to the first category
    assert ids(index.search_text("#shouqian ")) == ["s-2"]
    assert index.parse_category("#nothing tk") == (None, "tk")
    assert index.parse_category("tk") == (None, "tk")


def test_limit_is_respected(index):
    assert len(index.query("", limit=2)) == 2
    assert index.query("x", limit=0) == []


def test_many_snippets_each_found_by_its_own_words():
    library = [snip(f"s-{i}", f"话术{i} 退款说明", f"body {i}") for i in range(3000)]
    index = SearchIndex(library)
    assert ids(index.query("body 2999")) == ["s-2999"]
    assert len(index.query("tksm", limit=50)) == 50


# -- following the library --------------------------------------------------------------------


def test_index_follows_store_changes(quickreply_home):
    store = open_library()
    index = SearchIndex.from_store(store)
    category = store.new_category("我的")
    store.add(snip("s-mine", "专属问候", "您好", category=category.id))
    assert ids(index.query("zswh")) == ["s-mine"]
    store.update(store.get("s-mine").edited(title="专属告别"))
    assert ids(index.query("zswh")) == []
    assert ids(index.query("zsgb")) == ["s-mine"]
    store.remove("s-mine")
    assert ids(index.query("zsgb")) == []
    assert index.query("cf")[0].snippet.id == "qr-default-zh/chase-payment-reminder"


def test_store_reload_from_another_process_rebuilds(quickreply_home):
    store = open_library()
    index = SearchIndex.from_store(store)
    other = LibraryStore(store.path)
    other.add(snip("s-other", "另一个进程", "x"))
    assert store.refresh()
    assert ids(index.query("lygjc")) == ["s-other"]


def test_reordering_categories_reorders_ties(quickreply_home):
    store = open_library()
    index = SearchIndex.from_store(store)
    first = store.new_category("甲")
    second = store.new_category("乙")
    store.add(snip("s-1", "Qwzx title", category=first.id))
    store.add(snip("s-2", "Qwzx title", category=second.id))
    assert ids(index.query("qwzx")) == ["s-1", "s-2"]
    store.save_category(Category(first.id, first.name, order=second.order + 1))
    assert ids(index.query("qwzx")) == ["s-2", "s-1"]


# -- incremental updates equal a rebuild ------------------------------------------------------

WORDS = ["退款", "催付", "重新", "发货", "refund", "policy", "tracking", "长期", "银行", "ok"]
QUERIES = ["", "tk", "tuikuan", "cf", "chong", "zhong", "refund", "refnd", "pol", "yh", "hang",
           "xing", "退", "ok", "tk cf", "refund policy", "#c0 ", "#c1 r"]  # fmt: skip

titles = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join)
snippet_fields = st.fixed_dictionaries(
    {
        "title": titles,
        "body": titles,
        "tags": st.lists(st.sampled_from(WORDS), max_size=2).map(tuple),
        "abbrev": st.sampled_from([None, "tk", "cf", "ok1"]),
        "category": st.sampled_from(["c0", "c1"]),
    }
)
operations = st.lists(
    st.tuples(st.sampled_from(["upsert", "remove"]), st.integers(0, 7), snippet_fields),
    max_size=25,
)


@settings(max_examples=60, deadline=None)
@given(operations)
def test_incremental_updates_equal_a_rebuild(ops):
    categories = [Category("c0", "常用"), Category("c1", "售后")]
    stats = {"s-1": (3, NOW_MS), "s-4": (1, NOW_MS)}
    incremental = SearchIndex([], categories, usage=lambda: stats)
    incremental.query("warm")  # laid out before the changes, as in the running app
    model: dict[str, Snippet] = {}
    for action, number, values in ops:
        sid = f"s-{number}"
        if action == "upsert":
            model[sid] = Snippet(id=sid, **values)
            incremental.upsert(model[sid])
        else:
            model.pop(sid, None)
            incremental.remove(sid)
        incremental.query("t")  # interleaved queries must not leave stale state behind
    rebuilt = SearchIndex(list(model.values()), categories, usage=lambda: stats)
    for query in QUERIES:
        expected = summary(rebuilt.search_text(query, 10))
        assert summary(incremental.search_text(query, 10)) == expected, query


def summary(hits) -> list[tuple[Snippet, float, str]]:
    # scores to the microsecond: frecency decays while the test runs
    return [(h.snippet, round(h.score, 6), h.field) for h in hits]
