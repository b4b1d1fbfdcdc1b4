"""Windows fit the available screen (the offscreen screen is 800×600, smaller than their sizes)."""

from __future__ import annotations

from quickreply.core.library.settings import load_settings
from quickreply.core.search.index import SearchIndex
from quickreply.core.usage.log import open_usage_log
from quickreply.ui.manager import ManagerWindow
from quickreply.ui.screen_fit import available_geometry
from quickreply.ui.settings_dialog import SettingsDialog
from quickreply.ui.stats import StatsWindow


def on_screen(window) -> bool:
    area = available_geometry(window)
    frame = window.frameGeometry()
    return area.contains(frame.topLeft()) and area.contains(frame.bottomRight())


def test_manager_stats_and_settings_fit_the_screen(controller, qtbot):
    log = open_usage_log()
    windows = [
        ManagerWindow(controller, controller.store, SearchIndex.from_store(controller.store)),
        StatsWindow(controller.store, log, load_settings(controller.store)),
        SettingsDialog(controller, controller.store),
    ]
    for window in windows:
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        assert on_screen(window), (type(window).__name__, window.frameGeometry())
    log.close()
