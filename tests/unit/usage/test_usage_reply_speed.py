"""The compose-time state machine, the typing test arithmetic and the key counter's availability."""

from __future__ import annotations

import random

import pytest

from quickreply.core.errors import ValidationError
from quickreply.core.usage.calibration import SENTENCES, measure_typing, pick_sentence
from quickreply.core.usage.reply_speed import MAX_COMPOSE_MS, Composed, ComposeTracker
from quickreply.platform.keycount import X11KeyCounter


def test_reply_runs_from_first_key_after_enter_to_the_next_enter():
    tracker = ComposeTracker()
    assert tracker.key(False, 1_000) is None
    assert tracker.key(False, 1_400) is None
    assert tracker.key(True, 9_000, "qianniu") == Composed(1_000, 9_000, False, "qianniu")
    assert not tracker.composing
    tracker.key(False, 20_000)
    assert tracker.key(True, 23_500) == Composed(20_000, 23_500, False)


def test_enter_with_nothing_typed_is_not_a_reply():
    tracker = ComposeTracker()
    assert tracker.key(True, 1_000) is None
    assert tracker.key(True, 2_000) is None


def test_snippet_insertion_marks_the_reply_and_can_start_it():
    tracker = ComposeTracker()
    tracker.key(False, 1_000)
    tracker.snippet_inserted(2_000)
    assert tracker.key(True, 3_000) == Composed(1_000, 3_000, True)
    tracker.snippet_inserted(10_000)  # palette straight after sending: the insertion starts it
    tracker.key(False, 10_050)  # the paste keys themselves
    assert tracker.key(True, 11_000) == Composed(10_000, 11_000, True)
    tracker.key(False, 20_000)
    assert tracker.key(True, 21_000) == Composed(20_000, 21_000, False)


def test_a_reply_left_for_too_long_is_dropped():
    tracker = ComposeTracker()
    tracker.key(False, 0)
    assert tracker.key(True, MAX_COMPOSE_MS + 1) is None
    tracker.key(False, 0)
    assert tracker.key(True, MAX_COMPOSE_MS) is not None


def test_keys_outside_the_chat_apps_are_ignored():
    tracker = ComposeTracker(chat_apps=["AliWorkBench.exe"])
    tracker.key(False, 1_000, "aliworkbench.exe")
    assert tracker.key(True, 2_000, "excel.exe") is None  # Enter in a spreadsheet sends nothing
    assert tracker.key(False, 2_500, None) is None
    assert tracker.key(True, 4_000, "AliWorkBench.exe") == Composed(
        1_000, 4_000, False, "AliWorkBench.exe"
    )


def test_reset_forgets_the_reply_in_progress():
    tracker = ComposeTracker()
    tracker.key(False, 1_000)
    tracker.reset()
    assert tracker.key(True, 2_000) is None


def test_chinese_typing_speed_is_correct_characters_per_minute():
    target = "亲，您好！您的订单已发货。"  # 13 characters
    result = measure_typing(target, target, 15.6, "zh-CN")
    # 13 in 15.6 s = 50 per minute
    assert (result.correct_chars, result.speed, result.accuracy) == (13, 50, 1.0)


def test_english_typing_speed_is_correct_non_space_characters_over_five_per_minute():
    target = "Your order has shipped today."  # 25 characters without spaces
    result = measure_typing(target, "Your order has shiped today.", 7.5, "en")
    # 24 correct (one 'p' missing) / 5 = 4.8 words in 0.125 min = 38.4 -> 38
    assert (result.correct_chars, result.speed) == (24, 38)


def test_typing_test_rejects_another_text_or_pinyin():
    with pytest.raises(ValidationError, match="typed correctly"):
        measure_typing("亲，您好！", "hello there", 5, "zh-CN")
    with pytest.raises(ValidationError, match="input method"):
        measure_typing("ni hao", "ni hao", 5, "zh-CN")
    with pytest.raises(ValidationError, match="no time"):
        measure_typing("abc", "abc", 0, "en")


def test_typing_test_rejects_a_pasted_sentence():
    target = "亲，您好！您的订单已发货。"
    with pytest.raises(ValidationError, match="pasted"):
        measure_typing(target, target, 1.0, "zh-CN")  # 780 characters per minute


def test_pick_sentence_uses_the_language():
    assert pick_sentence("zh-CN", random.Random(1)) in SENTENCES["zh-CN"]
    assert pick_sentence("en", random.Random(1)) in SENTENCES["en"]


def test_key_counter_unavailable_without_a_display(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    usable, reason = X11KeyCounter().available()
    assert not usable
    assert "DISPLAY" in reason
