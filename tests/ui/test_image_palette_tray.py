"""Image snippets in the palette and the tray menu (offscreen): preview thumbnails, Ctrl+C copying
the first image and the text as one item, and the menu icon."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMenu

from quickreply.core.search.index import SearchIndex
from quickreply.ui.palette import Palette
from quickreply.ui.tray import Tray
from tests.image_samples import add_asset, make_png
from tests.ui.test_palette import ADDRESS, type_query

RED, BLUE = make_png(40, 30, seed=1), make_png(30, 40, seed=2)


@pytest.fixture
def image_snippet(controller, quickreply_home):
    snippet = controller.store.get(ADDRESS)
    refs = (add_asset(quickreply_home, RED), add_asset(quickreply_home, BLUE))
    controller.store.update(replace(snippet, images=refs), allow_locked=True)
    return controller.store.get(ADDRESS)


@pytest.fixture
def palette(controller, image_snippet, qtbot):
    widget = Palette(controller, SearchIndex.from_store(controller.store, dict))
    qtbot.addWidget(widget)
    widget.open()
    qtbot.waitUntil(widget.isVisible)
    return widget


def test_preview_shows_the_snippets_thumbnails(palette, qtbot):
    type_query(qtbot, palette, "qrdz")
    assert palette.hits()[0].snippet.id == ADDRESS
    assert palette.preview_images.isVisibleTo(palette) and palette.preview_images.count() == 2
    palette.search.clear()
    type_query(qtbot, palette, "cf")  # a text-only snippet: no thumbnails
    assert not palette.hits()[0].snippet.images
    assert not palette.preview_images.isVisibleTo(palette)


def test_ctrl_c_copies_the_first_image_and_the_text_as_one_item(palette, controller, qtbot):
    type_query(qtbot, palette, "qrdz")
    qtbot.keyClick(palette.search, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    data = QGuiApplication.clipboard().mimeData()
    assert bytes(data.data("image/png").data()) == RED
    assert data.text() == controller.render_text(controller.store.get(ADDRESS))
    assert data.html().count("<img") == 1
    assert controller.recorder.events == [] and controller.injector.keys.sent == []


def test_tray_menu_shows_an_icon_for_image_snippets(controller, image_snippet):
    tray = Tray(controller)
    actions = [
        action
        for menu in (a.menu() for a in tray.menu.actions() if a.menu())
        if isinstance(menu, QMenu)
        for action in menu.actions()
    ]
    by_title = {a.text().split("\t")[0].split("  ", 1)[-1]: a for a in actions}
    assert not by_title[image_snippet.title].icon().isNull()
    plain = [a for t, a in by_title.items() if t != image_snippet.title and a.icon().isNull()]
    assert plain  # text-only snippets (without auto-send) have no icon
