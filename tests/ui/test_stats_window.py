"""The statistics window (offscreen): empty log, seeded log, periods, reply-speed states, screenshot.

`QUICKREPLY_SCREENSHOT_DIR=docs python -m pytest tests/ui/test_stats_window.py -k screenshot`
writes docs/stats-window.png (and stats-window-zh-CN.png) for people to look at.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pyqtgraph as pg
import pytest

from quickreply.core import i18n
from quickreply.core.library.settings import Settings, load_settings
from quickreply.core.library.store import LibraryStore
from quickreply.core.packs.defaults import open_library
from quickreply.core.usage.event import UsageEvent
from quickreply.core.usage.log import UsageLog, open_usage_log
from quickreply.core.usage.metrics import char_classes
from quickreply.ui.stats import StatsWindow, open_stats_window

pytestmark = pytest.mark.usefixtures("shanghai_time")

TODAY = date(2025, 3, 31)


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    """Tests here switch the interface language; leave it English for the next ones."""
    yield
    i18n.set_language("en")


@pytest.fixture
def store(quickreply_home: Path) -> LibraryStore:
    return open_library()


@pytest.fixture
def empty_log(quickreply_home: Path) -> Iterator[UsageLog]:
    log = open_usage_log()
    yield log
    log.close()


def seed(store: LibraryStore, log: UsageLog) -> None:
    """30 days of a plausible shift: Zipf-like snippet choice, busy afternoons, some replies."""
    rng = random.Random(7)
    snippets = [s for s in store.snippets() if s.pack_id == "qr-default-zh"][:40]
    weights = [1 / (rank + 1) for rank in range(len(snippets))]
    events = []
    for offset in range(30):
        day = TODAY - timedelta(days=29 - offset)
        for _ in range(rng.randint(15, 80)):
            snippet = rng.choices(snippets, weights)[0]
            hour = min(22, max(8, round(rng.gauss(14, 3.5))))
            ts = datetime(day.year, day.month, day.day, hour, rng.randrange(60))
            cjk, latin = char_classes(snippet.body)
            palette = rng.random() < 0.5
            events.append(
                UsageEvent(
                    int(ts.timestamp() * 1000), snippet.id, "palette" if palette else "hotkey",
                    len(snippet.body), rng.uniform(40, 140), snippet.pack_id,
                    snippet.pack_version, snippet.category or None, 3,
                    rng.uniform(800, 6000) if palette else None, "AliWorkBench.exe", None,
                    "s-1", cjk, latin,
                )
            )  # fmt: skip
    log.append_many(events)
    end = int(datetime(TODAY.year, TODAY.month, TODAY.day, 20).timestamp() * 1000)
    for _ in range(150):
        compose = int(rng.lognormvariate(10, 0.8))
        log.record_reply(0, compose, rng.random() < 0.6, ts_ms=end - rng.randrange(25 * 86_400_000))
    log.flush()


@pytest.fixture
def seeded_log(store: LibraryStore, empty_log: UsageLog) -> UsageLog:
    seed(store, empty_log)
    return empty_log


def make_window(qtbot, store, log, settings=None, hook=(True, "")) -> StatsWindow:
    window = StatsWindow(store, log, settings or load_settings(store), reply_hook=hook, today=TODAY)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_empty_log_shows_zeros_and_every_snippet_as_unused(qtbot, store, empty_log):
    window = make_window(qtbot, store, empty_log)
    assert window.uses_card.value.text() == "0"
    assert window.saved_card.value.text() == "–"  # not "0 ms": nothing was measured
    assert window.pick_card.value.text() == "–"
    assert window.top_table.rowCount() == 0
    assert window.never_table.rowCount() == len(store.snippets())
    assert window.reply_card.value.text() == "Off"
    assert not window.grab().isNull()
    for plot in (window.day_plot, window.category_plot):
        notes = [i for i in plot.getPlotItem().items if isinstance(i, pg.TextItem)]
        assert [n.textItem.toPlainText() for n in notes] == ["No insertions in this period"]
    assert window.day_plot.getPlotItem().getAxis("left")._tickLevels == [[(0, "0")]]
    packs = {window.never_table.item(r, 2).text() for r in range(window.never_table.rowCount())}
    assert packs == {"默认话术（中文）", "Default replies (English)"}  # names, not pack ids


def test_a_filled_chart_has_no_no_data_note(qtbot, store, seeded_log):
    window = make_window(qtbot, store, seeded_log)
    notes = [i for i in window.day_plot.getPlotItem().items if isinstance(i, pg.TextItem)]
    assert notes == []


def test_seeded_log_fills_cards_tables_and_charts(qtbot, store, seeded_log):
    window = make_window(qtbot, store, seeded_log)
    stats = window.stats
    assert stats is not None and stats.period.days == 7
    assert window.uses_card.value.text() == f"{stats.total.uses:,}"
    assert stats.total.uses > 0
    top = stats.snippets[0]
    assert window.top_table.item(0, 0).text() == top.name
    assert window.top_table.item(0, 2).text() == f"{top.tally.uses:,}"
    (bars,) = [i for i in window.day_plot.getPlotItem().items if isinstance(i, pg.BarGraphItem)]
    assert list(bars.opts["height"]) == [t.uses for _, t, _ in stats.days]
    assert window.never_table.rowCount() == len(stats.never_used)


def test_period_selector_changes_the_figures(qtbot, store, seeded_log):
    window = make_window(qtbot, store, seeded_log)
    week = window.stats.total.uses
    window.set_period("30d")
    assert window.stats.period.days == 30
    assert window.stats.total.uses > week
    window.set_period("today")
    assert window.stats.period.start == TODAY
    window.set_period("custom", date(2025, 3, 1), date(2025, 3, 2))
    assert window.start_edit.isEnabled()
    assert (window.stats.period.start, window.stats.period.end) == (
        date(2025, 3, 1),
        date(2025, 3, 2),
    )
    assert len(window.stats.days) == 2


def test_reply_speed_card_when_on_unavailable_and_measured(qtbot, store, empty_log, seeded_log):
    on = replace(load_settings(store), reply_speed_tracking=True)
    window = make_window(qtbot, store, seeded_log, on)
    assert window.reply_card.value.text().endswith("%")
    assert "replies" in window.reply_note.text()
    window.set_period("custom", date(2024, 1, 1), date(2024, 1, 2))
    assert window.reply_card.value.text() == "–"  # on, hook fine, nothing in that period
    blind = make_window(qtbot, store, seeded_log, on, hook=(False, "no X display"))
    blind.set_period("custom", date(2024, 1, 1), date(2024, 1, 2))
    assert blind.reply_card.value.text() == "Unavailable"
    assert "no X display" in blind.reply_note.text()


def test_open_stats_window_shows_it(qtbot, store, empty_log):
    window = open_stats_window(store, empty_log, Settings())
    qtbot.addWidget(window)
    assert window.isVisible()


@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_screenshot_of_the_seeded_window(qtbot, store, seeded_log, tmp_path, language):
    i18n.set_language(language)
    on = replace(load_settings(store), reply_speed_tracking=True)
    window = make_window(qtbot, store, seeded_log, on)
    window.resize(1100, 860)  # the docs' screenshot size (a real screen sizes it to fit)
    window.set_period("30d")
    image = window.grab().toImage()
    assert image.width() > 800 and image.height() > 600
    colors = {
        image.pixel(x, y) for x in range(0, image.width(), 37) for y in range(0, image.height(), 41)
    }
    assert len(colors) > 20  # charts and text, not a blank window
    name = "stats-window.png" if language == "en" else f"stats-window-{language}.png"
    target = Path(os.environ.get("QUICKREPLY_SCREENSHOT_DIR") or tmp_path) / name
    assert window.grab().save(str(target))
