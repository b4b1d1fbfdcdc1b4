"""The statistics window shows the suggestion acceptance rate (zh-CN and English)."""

from __future__ import annotations

from datetime import datetime

from quickreply.core import i18n
from quickreply.core.library.settings import load_settings
from quickreply.core.packs.defaults import open_library
from quickreply.core.usage.event import UsageEvent
from quickreply.core.usage.log import open_usage_log
from quickreply.ui.stats import StatsWindow


def test_acceptance_rate_line(qtbot, quickreply_home):
    store = open_library()
    log = open_usage_log()
    now = int(datetime.now().timestamp() * 1000)
    for rank in (1, 2, 1, 4):
        log.record(UsageEvent(now, "qr-default-zh/logistics-delay", "suggest", 9, 5.0, rank=rank))
    log.flush()
    try:
        window = StatsWindow(store, log, load_settings(store), reply_hook=(True, ""))
        qtbot.addWidget(window)
        assert window.suggest_note.text() == (
            "Suggestions: 4 inserted, 50% picked first, 75% in the top 3"
        )
        i18n.set_language("zh-CN")
        window.refresh()
        assert (
            window.suggest_note.text() == "推荐回复：共插入 4 次，50% 选的是第一条，75% 在前三条内"
        )
    finally:
        i18n.set_language("en")
        log.close()
