"""Every metric formula, against values computed by hand (see docs/metrics.md)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quickreply.core.library.settings import Settings
from quickreply.core.usage.event import ReplySample, UsageEvent
from quickreply.core.usage.metrics import (
    Tally,
    char_classes,
    event_tally,
    percentile,
    reply_summary,
    speed_summary,
    time_saved_ms,
    typing_ms,
)

DEFAULTS = Settings()  # 50 Chinese characters per minute, 40 words per minute


def event(**fields: object) -> UsageEvent:
    values: dict[str, object] = {
        "ts_ms": 0,
        "snippet_id": "s-1",
        "trigger": "hotkey",
        "chars": 0,
        "inject_ms": 0.0,
    }
    values.update(fields)
    return UsageEvent(**values)  # type: ignore[arg-type]


def test_char_classes_counts_wide_characters_and_other_non_space_ones():
    # 亲 ， 您 好 ！ are wide (full-width punctuation too); "Order", "12", "ok" are 9 others;
    # the three spaces and the newline count as neither
    assert char_classes("亲，您好！Order 12 ok\n") == (5, 9)


def test_char_classes_of_empty_and_blank_text():
    assert char_classes("") == (0, 0)
    assert char_classes(" \t\n　") == (0, 0)  # the ideographic space is whitespace too


def test_typing_time_at_the_default_speeds():
    # 50 Chinese characters at 50 per minute: one minute
    assert typing_ms(50, 0, DEFAULTS) == 60_000
    # 200 Latin characters at 40 words x 5 characters per minute: one minute
    assert typing_ms(0, 200, DEFAULTS) == 60_000
    assert typing_ms(25, 100, DEFAULTS) == 60_000


def test_typing_time_follows_the_settings():
    fast = Settings(typing_speed_cjk_cpm=100, typing_speed_latin_wpm=60)
    # 100 / 100 per minute + 150 / 300 per minute = 1.5 minutes
    assert typing_ms(100, 150, fast) == 90_000


def test_time_saved_is_typing_time_minus_pick_and_inject_time():
    used = event(chars=48, cjk_chars=25, latin_chars=20, pick_ms=1500.0, inject_ms=100.0)
    # 25 / 50 min = 30 s; 20 / 200 min = 6 s; minus 1.5 s picking and 0.1 s inserting
    assert time_saved_ms(used, DEFAULTS) == pytest.approx(34_400)


def test_time_saved_without_palette_counts_only_inject_time():
    used = event(chars=10, cjk_chars=10, latin_chars=0, inject_ms=200.0)
    assert time_saved_ms(used, DEFAULTS) == pytest.approx(12_000 - 200)


def test_unclassified_event_counts_all_characters_as_latin():
    used = event(chars=40, inject_ms=100.0)
    # 40 / 200 per minute = 12 s
    assert time_saved_ms(used, DEFAULTS) == pytest.approx(11_900)


def test_time_saved_is_negative_when_picking_took_longer_than_typing():
    used = event(chars=2, cjk_chars=0, latin_chars=2, pick_ms=5000.0, inject_ms=100.0)
    assert time_saved_ms(used, DEFAULTS) == pytest.approx(600 - 5100)


@given(
    st.lists(
        st.tuples(
            st.integers(0, 2000),
            st.integers(0, 2000),
            st.floats(0, 60_000),
            st.none() | st.floats(0, 60_000),
        ),
        max_size=30,
    )
)
def test_summed_tallies_save_what_their_events_save(rows):
    events = [
        event(chars=c + lat, cjk_chars=c, latin_chars=lat, inject_ms=i, pick_ms=p)
        for c, lat, i, p in rows
    ]
    total = sum((event_tally(e) for e in events), Tally())
    expected = sum(time_saved_ms(e, DEFAULTS) for e in events)
    assert total.uses == len(events)
    assert total.saved_ms(DEFAULTS) == pytest.approx(expected, abs=1e-3)


def test_percentile_interpolates_between_ranks():
    values = [4.0, 1.0, 3.0, 2.0]
    assert percentile(values, 0.5) == 2.5
    # position 0.9 x 3 = 2.7: 3 + 0.7 x (4 - 3)
    assert percentile(values, 0.9) == pytest.approx(3.7)
    assert percentile(values, 0.0) == 1.0
    assert percentile(values, 1.0) == 4.0


def test_percentile_of_one_and_of_none():
    assert percentile([7.0], 0.9) == 7.0
    assert percentile([], 0.5) is None


def test_speed_summary_gives_median_and_90th_percentile():
    summary = speed_summary([100.0, 200.0, 300.0, 400.0, 1000.0])
    assert summary.count == 5
    assert summary.median == 300.0
    # position 0.9 x 4 = 3.6: 400 + 0.6 x 600
    assert summary.p90 == pytest.approx(760.0)


def test_reply_summary_shares_and_medians():
    samples = [
        ReplySample(0, 10_000, True),
        ReplySample(0, 20_000, False),
        ReplySample(0, 30_000, True),  # exactly on the JD target: within it
        ReplySample(0, 40_000, True),
        ReplySample(0, 200_000, False),
    ]
    summary = reply_summary(samples)
    assert summary.count == 5
    assert summary.with_snippet == 3
    assert summary.median_with_ms == 30_000
    assert summary.median_without_ms == 110_000
    assert summary.within == {15_000: 0.2, 30_000: 0.6, 180_000: 0.8}


def test_reply_summary_without_replies_has_no_shares():
    summary = reply_summary([])
    assert summary.count == 0
    assert summary.within == {}
    assert summary.median_with_ms is None
