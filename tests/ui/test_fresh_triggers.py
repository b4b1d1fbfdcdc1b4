"""A press whose insertion cannot start in time is dropped and the agent told once; the search
index is built off the main thread with plain search until it is ready."""

from __future__ import annotations

import time

from quickreply.app.search_index import IndexBuilder
from quickreply.core.library.model import Snippet
from quickreply.core.search.plain import PlainSearch


def _add(controller, body: str) -> Snippet:
    store = controller.store
    return store.add(Snippet(id=store.new_snippet_id(), title="t", body=body))


def test_a_press_older_than_the_limit_is_not_pasted_and_the_agent_is_told_once(controller):
    snippet = _add(controller, "您好")
    messages: list[str] = []
    controller.error.connect(messages.append)
    old = time.perf_counter_ns() - 2_000_000_000  # pressed 2 s ago
    controller.insert(snippet, "hotkey", trigger_ns=old)
    controller.insert(snippet, "hotkey", trigger_ns=old)
    assert "ctrl+v" not in controller.injector.keys.sent
    assert controller.recorder.events == []
    assert messages == ["QuickReply was busy, press again"]


def test_a_fresh_press_is_pasted(controller):
    snippet = _add(controller, "您好")
    controller.insert(snippet, "hotkey", trigger_ns=time.perf_counter_ns())
    assert controller.injector.keys.sent.count("ctrl+v") == 1
    assert len(controller.recorder.events) == 1


def test_the_limit_is_a_setting(controller):
    controller.store.set_settings(trigger_fresh_ms=5000)
    snippet = _add(controller, "您好")
    controller.insert(snippet, "hotkey", trigger_ns=time.perf_counter_ns() - 2_000_000_000)
    assert controller.injector.keys.sent.count("ctrl+v") == 1


def test_search_falls_back_to_plain_search_until_the_index_is_built(controller, qtbot):
    store = controller.store
    builder = IndexBuilder(store)
    assert isinstance(builder.current(), PlainSearch)
    plain_hits = builder.current().query("您好")
    assert plain_hits, "plain search finds Chinese text by substring"
    with qtbot.waitSignal(builder.ready, timeout=30_000):
        builder.start()
    index = builder.current()
    assert not isinstance(index, PlainSearch)
    assert index.query("cf")  # pinyin initials (催付) work once the full index is there
    added = _add(controller, "全新的一条话术")
    assert added.id in [hit.snippet.id for hit in index.query("全新")]


def test_changes_made_while_the_index_builds_are_not_lost(controller, qtbot):
    store = controller.store
    builder = IndexBuilder(store)
    with qtbot.waitSignal(builder.ready, timeout=30_000):
        builder.start()
        added = _add(controller, "构建期间新增的话术")
    assert added.id in [hit.snippet.id for hit in builder.current().query("构建期间")]


def test_the_index_builder_stores_the_readings_it_looked_up_for_the_next_start(controller, qtbot):
    from quickreply.core.library import paths
    from quickreply.core.search.reading_cache import CACHE_NAME, load_reading_cache

    store = controller.store  # a title with a rare character (titles and tags are spelled)
    store.add(Snippet(id=store.new_snippet_id(), title="䶮字说明", body="正文"))
    builder = IndexBuilder(controller.store)
    with qtbot.waitSignal(builder.ready, timeout=30_000):
        builder.start()
    stored = load_reading_cache(paths.data_dir() / CACHE_NAME)
    assert stored["䶮"] == ["yan"] and "催" in stored  # the library's characters, rare ones too


def test_a_large_change_is_indexed_on_the_worker_and_taken_over_by_the_same_index(
    controller, qtbot
):
    store = controller.store
    builder = IndexBuilder(store)
    with qtbot.waitSignal(builder.ready, timeout=30_000):
        builder.start()
    index = builder.current()
    with store.batch():  # one change of 30 snippets, as a pack update makes
        added = [
            store.add(Snippet(id=store.new_snippet_id(), title=f"批量{n}", body=f"批量话术{n}"))
            for n in range(30)
        ]
    assert builder._building  # handed to the worker thread, not analysed here
    qtbot.waitUntil(lambda: not builder._building, timeout=30_000)
    assert builder.current() is index  # the palette's and the manager's index, now current
    found = {hit.snippet.id for hit in index.query("批量话术", limit=50)}
    assert {s.id for s in added} <= found
