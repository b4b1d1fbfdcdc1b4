"""The statistics window: headline cards, uses and time saved per day, hours, categories, snippets.

Every figure comes from `core.usage_stats.build_stats`, which reads the usage log's roll-ups, so
the window opens as fast with a million stored events as with none.
"""

from __future__ import annotations

from datetime import date, datetime

import pyqtgraph as pg
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from quickreply.core.durations import format_duration
from quickreply.core.i18n import tr
from quickreply.core.library.settings import Settings
from quickreply.core.library.store import LibraryStore
from quickreply.core.usage.log import UsageLog
from quickreply.core.usage.metrics import JD_FIRST_REPLY_MS
from quickreply.core.usage.stats import Group, Period, UsageStats, build_stats, last_days
from quickreply.ui.day_axis import DayAxis
from quickreply.ui.screen_fit import fit_to_screen

PERIODS = (("today", 1), ("7d", 7), ("30d", 30), ("custom", 0))
TOP_SNIPPETS = 50
TOP_CATEGORIES = 12
USES_COLOR = QColor(64, 120, 200)
SAVED_COLOR = QColor(230, 120, 30)
_DAY_S = 86_400


def target_label(ms: int) -> str:
    """Return a reply-time target as people say it: '15 s', '3 min'."""
    if ms % 60_000 == 0:
        return tr("{m} min", m=ms // 60_000)
    return tr("{n} s", n=f"{ms / 1000:g}")


def compact(number: float) -> str:
    """Return a number short enough for a heat-strip cell: 950, 12.3k, 4.1M."""
    if number < 1000:
        return f"{number:.0f}"
    if number < 1_000_000:
        return f"{number / 1000:.1f}k"
    return f"{number / 1_000_000:.1f}M"


class Card(QFrame):
    """One headline figure: a big value over a small caption."""

    def __init__(self, caption: str) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        self.value = QLabel("–")
        font = QFont(self.value.font())
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.value.setFont(font)
        self.caption = QLabel(caption)
        self.caption.setStyleSheet("color: palette(mid);")
        layout.addWidget(self.value)
        layout.addWidget(self.caption)

    def set(self, value: str, caption: str | None = None) -> None:
        """Show `value` (and a new caption, if given)."""
        self.value.setText(value)
        if caption is not None:
            self.caption.setText(caption)


def _plot(title: str, **kwargs: object) -> pg.PlotWidget:
    plot = pg.PlotWidget(background="w", **kwargs)
    item = plot.getPlotItem()
    item.setTitle(title, color="#333", size="10pt")
    item.setMenuEnabled(False)
    plot.setMouseEnabled(x=False, y=False)
    for name in ("left", "bottom", "right"):
        axis = item.getAxis(name)
        axis.setPen(pg.mkPen("#888"))
        axis.setTextPen(pg.mkPen("#333"))
    return plot


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for column in range(1, len(headers)):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    return table


def _mark_empty(
    item: pg.PlotItem, axes: tuple[str, ...], empty: bool, at: tuple[float, float]
) -> None:
    """Say "no data" on an empty chart and drop the value axes' made-up scale (0.2 … 1.0)."""
    for name in axes:
        item.getAxis(name).setTicks([[(0, "0")]] if empty else None)
    if empty:
        note = pg.TextItem(tr("No insertions in this period"), color="#888", anchor=(0.5, 0.5))
        note.setPos(*at)
        item.addItem(note)


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if c and text[:1].isdigit():
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)


class StatsWindow(QWidget):
    """Usage statistics for a chosen period, computed from the usage log's roll-ups."""

    def __init__(
        self,
        store: LibraryStore,
        usage_log: UsageLog,
        settings: Settings,
        parent: QWidget | None = None,
        reply_hook: tuple[bool, str] | None = None,
        today: date | None = None,
    ) -> None:
        """Build the window and show the last 7 days.

        `reply_hook` is (available, reason) of the key counter; probed here when None and reply
        speed is on. `today` fixes the date (tests and screenshots).
        """
        super().__init__(parent, Qt.WindowType.Window)
        self.store = store
        self.usage_log = usage_log
        self.settings = settings
        self._today = today
        self._reply_hook = reply_hook or self._probe_hook()
        self.stats: UsageStats | None = None
        self.setWindowTitle(tr("QuickReply statistics"))
        fit_to_screen(self, 1100, 860)
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_period_bar())
        layout.addLayout(self._build_cards())
        self.reply_note = QLabel()
        self.reply_note.setWordWrap(True)
        layout.addWidget(self.reply_note)
        self.suggest_note = QLabel()
        self.suggest_note.setObjectName("stats-suggestions")
        layout.addWidget(self.suggest_note)
        self.abbrev_note = QLabel()
        self.abbrev_note.setObjectName("stats-abbreviations")
        layout.addWidget(self.abbrev_note)
        layout.addLayout(self._build_charts(), stretch=3)
        layout.addLayout(self._build_tables(), stretch=2)
        self.refresh()

    # -- building ----------------------------------------------------------------------------

    def _build_period_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("Period:")))
        self.period_box = QComboBox()
        labels = {
            "today": tr("Today"),
            "7d": tr("Last 7 days"),
            "30d": tr("Last 30 days"),
            "custom": tr("Custom"),
        }
        for key, _ in PERIODS:
            self.period_box.addItem(labels[key], key)
        self.period_box.setCurrentIndex(self.period_box.findData("7d"))
        self.start_edit = QDateEdit()
        self.end_edit = QDateEdit()
        today = self.today()
        for edit in (self.start_edit, self.end_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(QDate(today.year, today.month, today.day))
            edit.setEnabled(False)
            edit.dateChanged.connect(self._custom_changed)
        self.period_box.currentIndexChanged.connect(self._period_changed)
        refresh = QPushButton(tr("Refresh"))
        refresh.clicked.connect(self.refresh)
        bar.addWidget(self.period_box)
        bar.addWidget(QLabel(tr("From")))
        bar.addWidget(self.start_edit)
        bar.addWidget(QLabel(tr("to")))
        bar.addWidget(self.end_edit)
        bar.addStretch(1)
        bar.addWidget(refresh)
        return bar

    def _build_cards(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.uses_card = Card(tr("Uses"))
        self.saved_card = Card(tr("Time saved"))
        self.pick_card = Card(tr("Median pick time"))
        self.reply_card = Card(tr("Replies within 30 s"))
        for card in (self.uses_card, self.saved_card, self.pick_card, self.reply_card):
            row.addWidget(card)
        return row

    def _build_charts(self) -> QGridLayout:
        grid = QGridLayout()
        self.day_plot = _plot(tr("Uses and time saved per day"), axisItems={"bottom": DayAxis()})
        item = self.day_plot.getPlotItem()
        item.setLabel("left", tr("uses"), color=USES_COLOR.name())
        item.showAxis("right")
        item.setLabel("right", tr("minutes saved"), color=SAVED_COLOR.name())
        self.saved_view = pg.ViewBox(enableMouse=False)
        item.scene().addItem(self.saved_view)
        item.getAxis("right").linkToView(self.saved_view)
        self.saved_view.setXLink(item)
        item.vb.sigResized.connect(lambda: self.saved_view.setGeometry(item.vb.sceneBoundingRect()))
        self.hour_plot = _plot(tr("Uses by hour of day"))
        self.hour_plot.getPlotItem().hideAxis("left")
        self.hour_plot.getAxis("bottom").setTicks([[(h, f"{h}") for h in range(0, 24)]])
        self.hour_plot.setFixedHeight(110)
        self.category_plot = _plot(tr("Uses per category"))
        grid.addWidget(self.day_plot, 0, 0)
        grid.addWidget(self.category_plot, 0, 1, 2, 1)
        grid.addWidget(self.hour_plot, 1, 0)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        return grid

    def _build_tables(self) -> QHBoxLayout:
        row = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(QLabel(tr("Top snippets")))
        self.top_table = _table([tr("Snippet"), tr("Category"), tr("Uses"), tr("Time saved")])
        left.addWidget(self.top_table)
        right = QVBoxLayout()
        self.never_label = QLabel(tr("Not used in the last 30 days"))
        right.addWidget(self.never_label)
        self.never_table = _table([tr("Snippet"), tr("Category"), tr("Pack")])
        right.addWidget(self.never_table)
        row.addLayout(left, stretch=3)
        row.addLayout(right, stretch=2)
        return row

    # -- period ------------------------------------------------------------------------------

    def today(self) -> date:
        """Return the day the periods end on."""
        return self._today or date.today()

    def period(self) -> Period:
        """Return the period chosen in the selector."""
        key = self.period_box.currentData()
        if key == "custom":
            start: date = self.start_edit.date().toPython()  # type: ignore[assignment]
            end: date = self.end_edit.date().toPython()  # type: ignore[assignment]
            return Period(min(start, end), max(start, end))
        days = dict(PERIODS)[key]
        return last_days(days, self.today())

    def set_period(self, key: str, start: date | None = None, end: date | None = None) -> None:
        """Choose a period ("today", "7d", "30d" or "custom" with start and end) and refresh."""
        if key == "custom" and start and end:
            for edit, day in ((self.start_edit, start), (self.end_edit, end)):
                edit.blockSignals(True)
                edit.setDate(QDate(day.year, day.month, day.day))
                edit.blockSignals(False)
        index = self.period_box.findData(key)
        if index == self.period_box.currentIndex():
            self.refresh()
        else:
            self.period_box.setCurrentIndex(index)

    def _period_changed(self) -> None:
        custom = self.period_box.currentData() == "custom"
        self.start_edit.setEnabled(custom)
        self.end_edit.setEnabled(custom)
        self.refresh()

    def _custom_changed(self) -> None:
        if self.period_box.currentData() == "custom":
            self.refresh()

    def _probe_hook(self) -> tuple[bool, str]:
        if not self.settings.reply_speed_tracking:
            return True, ""
        from quickreply.platform.keycount import choose_key_counter

        return choose_key_counter().available()

    # -- showing -----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Recompute the figures of the chosen period and redraw everything."""
        stats = build_stats(
            self.usage_log,
            self.store.snippets(),
            self.store.categories(),
            self.settings,
            self.period(),
            self._reply_hook,
            today=self.today(),
        )
        self.stats = stats
        self._show_cards(stats)
        self._show_days(stats)
        self._show_hours(stats)
        self._show_categories(stats)
        self._show_tables(stats)

    def _show_cards(self, stats: UsageStats) -> None:
        self.uses_card.set(
            f"{stats.total.uses:,}", tr("Uses ({n} characters)", n=f"{stats.total.chars:,}")
        )
        # nothing inserted: no "0 ms saved" that reads like a measurement
        self.saved_card.set(format_duration(stats.saved_ms) if stats.total.uses else "–")
        pick = stats.pick
        self.pick_card.set(
            format_duration(pick.median),
            tr("Median pick time (90%: {p90})", p90=format_duration(pick.p90)),
        )
        self.suggest_note.setText(stats.suggestions.summary())
        self.abbrev_note.setText(stats.abbreviations.summary())
        reply = stats.reply
        summary = reply.summary
        if reply.state == "off":
            self.reply_card.set(tr("Off"))
            self.reply_note.setText(tr("Reply speed is off. Turn it on in Settings to measure it."))
        elif reply.state == "unavailable":
            self.reply_card.set(tr("Unavailable"))
            self.reply_note.setText(
                tr("Reply speed cannot be measured here: {reason}", reason=reply.reason)
            )
        elif not summary.count:
            self.reply_card.set("–")
            self.reply_note.setText(tr("Reply speed: no replies measured in this period."))
        else:
            self.reply_card.set(f"{summary.within[JD_FIRST_REPLY_MS]:.0%}")
            shares = ", ".join(
                tr("{share} within {target}", share=f"{share:.0%}", target=target_label(t))
                for t, share in summary.within.items()
            )
            self.reply_note.setText(
                tr(
                    "Reply speed: {count} replies ({used} with a snippet); {shares}. Median "
                    "compose time with a snippet {with_}, without {without}.",
                    count=summary.count,
                    used=summary.with_snippet,
                    shares=shares,
                    with_=format_duration(summary.median_with_ms),
                    without=format_duration(summary.median_without_ms),
                )
            )

    def _show_days(self, stats: UsageStats) -> None:
        item = self.day_plot.getPlotItem()
        item.clear()
        self.saved_view.clear()
        noon = [datetime(d.year, d.month, d.day, 12).timestamp() for d, _, _ in stats.days]
        uses = [t.uses for _, t, _ in stats.days]
        minutes = [saved / 60_000 for _, _, saved in stats.days]
        item.addItem(
            pg.BarGraphItem(
                x=noon, height=uses, width=_DAY_S * 0.7, brush=USES_COLOR, pen=pg.mkPen(None)
            )
        )
        line = pg.PlotDataItem(
            noon,
            minutes,
            pen=pg.mkPen(SAVED_COLOR, width=2),
            symbol="o",
            symbolSize=5,
            symbolBrush=SAVED_COLOR,
            symbolPen=None,
        )
        self.saved_view.addItem(line)
        left, right = noon[0] - _DAY_S, noon[-1] + _DAY_S
        item.setXRange(left, right, padding=0)
        item.setYRange(0, max(uses + [1]) * 1.1, padding=0)
        self.saved_view.setYRange(min(minutes + [0]) * 1.1, max(minutes + [1]) * 1.1, padding=0)
        _mark_empty(item, ("left", "right"), not any(uses), ((left + right) / 2, 0.55))

    def _show_hours(self, stats: UsageStats) -> None:
        item = self.hour_plot.getPlotItem()
        item.clear()
        uses = [t.uses for t, _ in stats.hours]
        top = max(uses) or 1
        colormap = pg.colormap.get("CET-L18")  # a light-to-dark sequential map
        brushes = [colormap.map(0.08 + 0.9 * u / top, mode="qcolor") for u in uses]
        item.addItem(
            pg.BarGraphItem(
                x=list(range(24)), height=[1] * 24, width=0.95, brushes=brushes, pen=pg.mkPen(None)
            )
        )
        for hour, count in enumerate(uses):
            if count:
                text = pg.TextItem(
                    compact(count), color="w" if count > top / 2 else "#222", anchor=(0.5, 0.5)
                )
                text.setPos(hour, 0.5)
                item.addItem(text)
        item.setXRange(-0.5, 23.5, padding=0)
        item.setYRange(0, 1, padding=0)

    def _show_categories(self, stats: UsageStats) -> None:
        item = self.category_plot.getPlotItem()
        item.clear()
        groups = list(reversed(stats.categories[:TOP_CATEGORIES]))
        names = [self._group_name(g) for g in groups]
        if groups:
            item.addItem(
                pg.BarGraphItem(
                    x0=0,
                    y=list(range(len(groups))),
                    height=0.6,
                    width=[g.tally.uses for g in groups],
                    brush=USES_COLOR,
                    pen=pg.mkPen(None),
                )
            )
        axis = item.getAxis("left")
        axis.setTicks([list(enumerate(names))])
        # size the axis for the longest name now: pyqtgraph widens it only after a first paint,
        # dropping the labels that did not fit until then
        metrics = QFontMetrics(axis.style["tickFont"] or self.category_plot.font())
        axis.setWidth(max([metrics.horizontalAdvance(n) for n in names] + [20]) + 16)
        item.setYRange(-0.6, max(len(groups), 1) - 0.4, padding=0)
        item.setXRange(0, max([g.tally.uses for g in groups] + [1]) * 1.05, padding=0)
        _mark_empty(item, ("bottom",), not groups, (0.525, 0))

    def _show_tables(self, stats: UsageStats) -> None:
        _fill(
            self.top_table,
            [
                [
                    self._group_name(g),
                    g.category_name,
                    f"{g.tally.uses:,}",
                    format_duration(g.saved_ms),
                ]
                for g in stats.snippets[:TOP_SNIPPETS]
            ],
        )
        names = {c.id: c.name for c in self.store.categories()}
        packs = {r.id: r.title for r in self.store.pack_records()}
        self.never_label.setText(tr("Not used in the last 30 days ({n})", n=len(stats.never_used)))
        _fill(
            self.never_table,
            [
                [s.title, names.get(s.category, ""), packs.get(s.pack_id or "", s.pack_id or "")]
                for s in stats.never_used
            ],
        )

    @staticmethod
    def _group_name(group: Group) -> str:
        if group.name is None:
            return tr("{id} (deleted)", id=group.key)
        return group.name or tr("(no category)")


def open_stats_window(
    store: LibraryStore,
    usage_log: UsageLog,
    settings: Settings,
    parent: QWidget | None = None,
    reply_hook: tuple[bool, str] | None = None,
) -> StatsWindow:
    """Create, show and raise the statistics window; keep the returned window referenced."""
    window = StatsWindow(store, usage_log, settings, parent, reply_hook=reply_hook)
    window.show()
    window.raise_()
    window.activateWindow()
    return window
