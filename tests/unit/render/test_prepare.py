"""One insertion prepares its snippet once: language, values and parse each computed once."""

from __future__ import annotations

import pytest

from quickreply.core import prepare as prepare_module
from quickreply.core import render as render_module
from quickreply.core.library.model import Snippet
from quickreply.core.library.settings import Settings
from quickreply.core.library.store import LibraryStore
from quickreply.core.prepare import prepare


@pytest.fixture
def store(tmp_path):
    return LibraryStore(tmp_path / "library.json")


def _counting(monkeypatch, module, name, counts):
    original = getattr(module, name)

    def counted(*args, **kwargs):
        counts[name] = counts.get(name, 0) + 1
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)


def test_language_values_and_parse_are_computed_once(monkeypatch, store):
    counts: dict[str, int] = {}
    _counting(monkeypatch, prepare_module, "snippet_language", counts)
    _counting(monkeypatch, render_module, "_scan", counts)
    original_values = Settings.values_for

    def values_for(self, language):
        counts["values_for"] = counts.get("values_for", 0) + 1
        return original_values(self, language)

    monkeypatch.setattr(Settings, "values_for", values_for)
    reads = []
    snippet = Snippet(
        id="s-1",
        title="催付",
        body="{{customer}}，订单{{order}}还没付款：{{clipboard}}，{{choice:快递|顺丰|中通}}{{cursor}}",
    )
    prepared = prepare(
        snippet, Settings(), store, {"order": "A1"}, lambda: reads.append(1) or "剪贴"
    )
    assert [f.key for f in prepared.missing] == ["快递"]
    text = prepared.with_values({"快递": "顺丰"}).render().text
    preview = prepared.preview()
    assert text == "亲，订单A1还没付款：剪贴，顺丰"
    assert preview == "亲，订单A1还没付款：剪贴，[快递]"
    assert counts == {"snippet_language": 1, "_scan": 1, "values_for": 1}
    assert reads == [1]  # the clipboard is read once, and only because the body uses it


def test_clipboard_is_not_read_when_the_body_does_not_use_it(store):
    reads = []
    prepare(Snippet(id="s-1", title="t", body="您好"), Settings(), store, None, reads.append)
    assert reads == []


def test_a_given_choice_outside_its_options_is_a_problem(store):
    snippet = Snippet(id="s-1", title="t", body="{{choice:快递|顺丰|中通}}")
    prepared = prepare(snippet, Settings(), store, {"快递": "邮政"})
    assert prepared.problems and "顺丰 | 中通" in prepared.problems[0]


def test_language_follows_the_pack_then_the_text_then_the_setting(store):
    english = Snippet(id="s-1", title="Hi", body="Hello {{customer}}")
    assert prepare(english, Settings(language="en"), store).render().text == "Hello there"
    assert prepare(english, Settings(language="zh-CN"), store).render().text == "Hello 亲"
    chinese = Snippet(id="s-2", title="问候", body="{{customer}}您好")
    assert prepare(chinese, Settings(language="en"), store).render().text == "亲您好"
