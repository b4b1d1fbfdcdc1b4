"""What a new agent trips over in the manager and the palette's form (issue 12, item 9)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QLineEdit

from quickreply.core import i18n
from quickreply.core.library.model import Snippet
from quickreply.core.search.index import SearchIndex
from quickreply.ui.manager import ManagerWindow
from quickreply.ui.palette import Palette
from tests.ui.test_manager import listed, select_snippet
from tests.ui.test_palette import CHASE, type_into, type_query


@pytest.fixture
def window(controller, qtbot) -> ManagerWindow:
    win = ManagerWindow(controller, controller.store, SearchIndex.from_store(controller.store))
    qtbot.addWidget(win)
    win.show()
    return win


@pytest.fixture
def chinese() -> Iterator[None]:
    i18n.set_language("zh-CN")
    yield
    i18n.set_language("en")


def heading(window: ManagerWindow, text: str):
    tree = window.tree
    return next(
        tree.topLevelItem(i)
        for i in range(tree.topLevelItemCount())
        if tree.topLevelItem(i).text(0) == text
    )


def test_my_snippets_and_pack_headings_can_be_selected(window, controller, qtbot):
    mine = controller.store.add(Snippet(id="s-mine", title="我的", body="x"))
    qtbot.waitUntil(lambda: "s-mine" in listed(window))
    window.tree.setCurrentItem(heading(window, "My snippets"))
    assert listed(window) == [mine.id]
    window.tree.setCurrentItem(heading(window, "Default replies (English)"))
    assert listed(window) and all(sid.startswith("qr-default-en/") for sid in listed(window))


def test_snippets_without_a_category_come_first_in_all(window, controller, qtbot):
    controller.store.add(Snippet(id="s-loose", title="没分类", body="x"))
    qtbot.waitUntil(lambda: "s-loose" in listed(window))
    assert listed(window)[0] == "s-loose"


def test_a_new_category_is_being_renamed_after_the_library_refresh(window, qtbot):
    window.new_category_action.trigger()
    qtbot.wait(50)  # the refresh queued by the library change has run
    assert window.tree.state() == QAbstractItemView.State.EditingState
    assert window.tree.currentItem().text(0) == "New category"


def test_the_delete_message_goes_after_undo(window, controller, qtbot):
    select_snippet(window, "qr-default-zh/chase-payment-address")
    window.snippet_list.setFocus()
    window.delete_selected()
    assert "Ctrl+Z" in window.statusBar().currentMessage()
    window.undo()
    assert window.statusBar().currentMessage() == ""


def test_editor_problems_have_no_ids_and_are_chinese(chinese, window, controller, qtbot):
    select_snippet(window, "qr-default-zh/chase-payment-address")
    editor = window.editor
    editor.title_edit.setText("")
    editor.body_edit.setPlainText("abc}}")
    editor.check()
    text = editor.problems_label.text()
    assert "标题为空" in text and "前面缺少" in text
    assert "qr-default-zh" not in text and "snippet '" not in text


def test_palette_form_preview_follows_typing_and_hint_shows_form_keys(controller, qtbot):
    palette = Palette(controller, SearchIndex.from_store(controller.store))
    qtbot.addWidget(palette)
    palette.open()
    list_hint = palette.hint.text()
    type_query(qtbot, palette, "cf")
    assert palette.hits()[0].snippet.id == CHASE
    qtbot.keyClick(palette.search, Qt.Key.Key_Return)
    assert "Tab next field" in palette.hint.text()
    editor = palette.findChild(QLineEdit, "field:product")
    type_into(qtbot, editor, "连衣裙")
    assert "连衣裙" in palette.preview.toPlainText()
    assert "[商品]" not in palette.preview.toPlainText()
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert palette.hint.text() == list_hint


def test_no_blank_row_under_the_hotkey_until_there_is_a_warning(window, qtbot):
    from tests.ui.test_manager import record

    select_snippet(window, "qr-default-zh/chase-payment-address")
    editor = window.editor
    assert not editor.hotkey_warning.isVisibleTo(window)
    record(qtbot, editor.hotkey_edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert editor.hotkey_warning.isVisibleTo(window) and "reserved" in editor.hotkey_warning.text()
