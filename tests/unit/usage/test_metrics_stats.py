"""The statistics of a period (what the window and `quickreply stats` show), computed by hand."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from quickreply.core.errors import ValidationError
from quickreply.core.library.model import Category, Snippet
from quickreply.core.library.settings import Settings
from quickreply.core.usage.event import UsageEvent
from quickreply.core.usage.log import UsageLog, open_usage_log
from quickreply.core.usage.metrics import Tally
from quickreply.core.usage.stats import Period, build_stats, last_days, parse_since

pytestmark = pytest.mark.usefixtures("shanghai_time")

TODAY = date(2025, 3, 10)
CATEGORIES = [Category("c-greet", "问候"), Category("c-refund", "退款")]
SNIPPETS = [
    Snippet("s-hello", "欢迎语", "亲，您好！", category="c-greet"),
    Snippet("s-refund", "退款说明", "退款三天内到账", category="c-refund"),
    Snippet("s-idle", "没人用", "...", category="c-refund", pack_id="p-team"),
]


def ms(day: date, hour: int = 12, minute: int = 0) -> int:
    return int(datetime(day.year, day.month, day.day, hour, minute).timestamp() * 1000)


@pytest.fixture
def log(quickreply_home: Path) -> Iterator[UsageLog]:
    opened = open_usage_log()
    # 9 March 10:00, hotkey: 5 Chinese chars = 6 s to type, 0.2 s spent -> 5.8 s saved
    # 9 March 10:30, palette: same snippet, 1.8 s picking + 0.2 s -> 4.0 s saved
    # 10 March 15:00, palette: 7 Chinese chars = 8.4 s, 3 s + 0.4 s spent -> 5.0 s saved
    # 1 March (outside a 7-day period) and a snippet deleted from the library
    opened.append_many(
        [
            UsageEvent(ms(date(2025, 3, 9), 10), "s-hello", "hotkey", 5, 200.0,
                       category="c-greet", cjk_chars=5, latin_chars=0),
            UsageEvent(ms(date(2025, 3, 9), 10, 30), "s-hello", "palette", 5, 200.0,
                       category="c-greet", pick_ms=1800.0, cjk_chars=5, latin_chars=0),
            UsageEvent(ms(TODAY, 15), "s-refund", "palette", 7, 400.0,
                       category="c-refund", pick_ms=3000.0, cjk_chars=7, latin_chars=0),
            UsageEvent(ms(date(2025, 3, 1), 9), "s-gone", "hotkey", 10, 100.0,
                       cjk_chars=0, latin_chars=10),
        ]
    )  # fmt: skip
    yield opened
    opened.close()


def test_headline_figures_of_the_last_seven_days(log: UsageLog):
    stats = build_stats(log, SNIPPETS, CATEGORIES, Settings(), last_days(7, TODAY), today=TODAY)
    assert stats.period == Period(date(2025, 3, 4), TODAY)
    assert stats.total == Tally(3, 17, 17, 0, 200.0 + 2000.0 + 3400.0)
    assert stats.saved_ms == pytest.approx(5_800 + 4_000 + 5_000)
    assert (stats.pick.count, stats.pick.median, stats.pick.p90) == (2, 2400.0, 2880.0)
    assert (stats.inject.count, stats.inject.median) == (3, 200.0)


def test_every_day_of_the_period_is_listed_even_without_uses(log: UsageLog):
    stats = build_stats(log, SNIPPETS, CATEGORIES, Settings(), last_days(7, TODAY), today=TODAY)
    assert [d for d, _, _ in stats.days] == [date(2025, 3, d) for d in range(4, 11)]
    per_day = {d: (t.uses, round(saved)) for d, t, saved in stats.days}
    assert per_day[date(2025, 3, 9)] == (2, 9_800)
    assert per_day[TODAY] == (1, 5_000)
    assert per_day[date(2025, 3, 5)] == (0, 0)


def test_hours_categories_and_snippets(log: UsageLog):
    stats = build_stats(log, SNIPPETS, CATEGORIES, Settings(), last_days(7, TODAY), today=TODAY)
    assert len(stats.hours) == 24
    assert stats.hours[10][0].uses == 2 and stats.hours[10][1] == pytest.approx(9_800)
    assert stats.hours[15][0].uses == 1
    assert sum(t.uses for t, _ in stats.hours) == 3
    assert [(g.key, g.name, g.tally.uses) for g in stats.categories] == [
        ("c-greet", "问候", 2),
        ("c-refund", "退款", 1),
    ]
    assert [(g.key, g.name, g.category_name, g.tally.uses) for g in stats.snippets] == [
        ("s-hello", "欢迎语", "问候", 2),
        ("s-refund", "退款说明", "退款", 1),
    ]


def test_deleted_snippets_keep_their_uses_without_a_name(log: UsageLog):
    period = Period(date(2025, 3, 1), TODAY)
    stats = build_stats(log, SNIPPETS, CATEGORIES, Settings(), period, today=TODAY)
    gone = next(g for g in stats.snippets if g.key == "s-gone")
    assert gone.name is None
    assert next(g for g in stats.categories if g.key == "").tally.uses == 1


def test_never_used_lists_library_snippets_without_uses_in_30_days(log: UsageLog):
    stats = build_stats(log, SNIPPETS, CATEGORIES, Settings(), last_days(1, TODAY), today=TODAY)
    assert [s.id for s in stats.never_used] == ["s-idle"]


def test_empty_log_gives_zeros_not_errors(quickreply_home: Path):
    empty = open_usage_log()
    stats = build_stats(empty, SNIPPETS, CATEGORIES, Settings(), last_days(30, TODAY), today=TODAY)
    empty.close()
    assert stats.total == Tally()
    assert stats.pick.median is None
    assert len(stats.days) == 30
    assert stats.snippets == []
    assert len(stats.never_used) == 3
    assert stats.to_dict()["pick_ms"] == {"count": 0, "median": None, "p90": None}


def test_reply_speed_is_off_unless_opted_in(log: UsageLog):
    stats = build_stats(log, SNIPPETS, CATEGORIES, Settings(), last_days(7, TODAY), today=TODAY)
    assert stats.reply.state == "off"


def test_reply_speed_says_why_the_hook_is_unavailable_instead_of_zeros(log: UsageLog):
    settings = Settings(reply_speed_tracking=True)
    stats = build_stats(
        log, SNIPPETS, CATEGORIES, settings, last_days(7, TODAY), (False, "no X display"), TODAY
    )
    assert (stats.reply.state, stats.reply.reason) == ("unavailable", "no X display")
    assert "share_within" not in stats.to_dict()["reply_speed"]


def test_reply_speed_figures_from_samples(log: UsageLog):
    for compose_ms, used in ((12_000, True), (25_000, False), (200_000, False), (8_000, True)):
        log.record_reply(0, compose_ms, used, ts_ms=ms(TODAY, 11))
    log.flush()
    settings = Settings(reply_speed_tracking=True)
    stats = build_stats(log, SNIPPETS, CATEGORIES, settings, last_days(7, TODAY), today=TODAY)
    summary = stats.reply.summary
    assert stats.reply.state == "ok"
    assert (summary.count, summary.with_snippet) == (4, 2)
    assert (summary.median_with_ms, summary.median_without_ms) == (10_000, 112_500)
    assert summary.within == {15_000: 0.5, 30_000: 0.75, 180_000: 0.75}
    assert stats.to_dict()["reply_speed"]["share_within"] == {"15s": 0.5, "30s": 0.75, "180s": 0.75}


def test_parse_since():
    assert parse_since("7d", TODAY) == date(2025, 3, 4)
    assert parse_since("1d", TODAY) == TODAY
    assert parse_since("today", TODAY) == TODAY
    assert parse_since("2025-01-31", TODAY) == date(2025, 1, 31)
    for bad in ("0d", "week", "31/01/2025", ""):
        with pytest.raises(ValidationError):
            parse_since(bad, TODAY)
