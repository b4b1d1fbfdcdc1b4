"""Snippets that send at once (auto_send) carry a ⏎ icon and a tooltip in the tray menu, the
palette and the manager."""

from __future__ import annotations

from PySide6.QtWidgets import QMenu

from quickreply.core.search.index import SearchIndex
from quickreply.ui.manager import ManagerWindow
from quickreply.ui.palette import Palette
from quickreply.ui.tray import SnippetMenus
from tests.ui.test_palette import type_query

THANKS = "感谢光临"  # a default zh-CN closing reply with auto_send


def auto_send_snippet(controller):
    return next(s for s in controller.snippets() if s.title == THANKS)


def test_default_closing_thanks_sends_at_once(controller):
    assert auto_send_snippet(controller).auto_send


def test_tray_menu_marks_auto_send(controller, qtbot):
    snippet = auto_send_snippet(controller)
    plain = next(s for s in controller.snippets() if not s.auto_send)
    menu = QMenu()
    SnippetMenus(controller).fill_category(
        menu, controller.category(snippet.category), [snippet, plain]
    )
    marked, unmarked = menu.actions()
    assert not marked.icon().isNull() and "Sends at once" in marked.toolTip()
    assert unmarked.icon().isNull() and "Sends at once" not in unmarked.toolTip()
    assert menu.toolTipsVisible()


def test_palette_marks_auto_send(controller, qtbot):
    palette = Palette(controller, SearchIndex.from_store(controller.store))
    qtbot.addWidget(palette)
    palette.open()
    type_query(qtbot, palette, THANKS)
    item = palette.results.item(0)
    assert THANKS in item.text()
    assert not item.icon().isNull() and "Sends at once" in item.toolTip()


def test_manager_marks_auto_send(controller, qtbot):
    window = ManagerWindow(controller, controller.store, SearchIndex.from_store(controller.store))
    qtbot.addWidget(window)
    window.show()
    items = [window.snippet_list.item(r) for r in range(window.snippet_list.count())]
    item = next(i for i in items if i.text() == THANKS)
    assert not item.icon().isNull() and "Sends at once" in item.toolTip()
