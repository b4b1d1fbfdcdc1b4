"""The search palette by keyboard (offscreen): typing, moving, picking, sending, copying, forms."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QCursor, QGuiApplication
from PySide6.QtWidgets import QComboBox, QLineEdit

from quickreply.core import i18n
from quickreply.core.library.model import Snippet
from quickreply.core.search.index import SearchIndex
from quickreply.ui.palette import Palette

CHASE = "qr-default-zh/chase-payment-reminder"  # 催付提醒, needs {{product}}
ADDRESS = "qr-default-zh/chase-payment-address"  # 确认地址, no values needed


@pytest.fixture
def usage() -> dict[str, tuple[int, int]]:
    return {}


@pytest.fixture
def palette(controller, usage, qtbot):
    index = SearchIndex.from_store(controller.store, lambda: usage)
    widget = Palette(controller, index)
    qtbot.addWidget(widget)
    widget.open()
    qtbot.waitUntil(widget.isVisible)
    return widget


def type_into(qtbot, editor: QLineEdit, text: str) -> None:
    """Type ASCII key by key; other characters arrive whole, as an input method commits them."""
    for char in text:
        if char.isascii():
            qtbot.keyClick(editor, char)
        else:
            editor.insert(char)


def type_query(qtbot, palette: Palette, text: str) -> None:
    type_into(qtbot, palette.search, text)


def ids(palette: Palette) -> list[str]:
    return [hit.snippet.id for hit in palette.hits()]


def test_opens_visible_focused_and_listing_snippets(palette, qtbot):
    qtbot.waitUntil(palette.search.hasFocus)
    assert palette.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    assert palette.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert palette.search.text() == ""
    assert len(palette.hits()) == 50
    assert palette.results.item(0).text().startswith("1  欢迎语")


def test_typing_cf_lists_chase_payment_first_with_a_preview(palette, qtbot):
    type_query(qtbot, palette, "cf")
    assert ids(palette)[0] == CHASE
    assert palette.results.currentRow() == 0
    assert "[商品]" in palette.preview.toPlainText()  # a value still to be asked shows its label


def test_up_down_and_ctrl_n_p_move_and_wrap(palette, qtbot):
    type_query(qtbot, palette, "cf")
    qtbot.keyClick(palette.search, Qt.Key.Key_Down)
    assert palette.results.currentRow() == 1
    qtbot.keyClick(palette.search, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert palette.results.currentRow() == 2
    qtbot.keyClick(palette.search, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(palette.search, Qt.Key.Key_Up)
    qtbot.keyClick(palette.search, Qt.Key.Key_Up)
    assert palette.results.currentRow() == len(palette.hits()) - 1
    address = ids(palette).index(ADDRESS)
    preview_before = palette.preview.toPlainText()
    palette.results.setCurrentRow(address)
    assert palette.preview.toPlainText() != preview_before
    assert palette.preview.toPlainText().startswith("亲，付款前麻烦再核对一下收货地址")


def test_enter_inserts_the_selected_snippet_and_records_the_pick(palette, controller, qtbot):
    type_query(qtbot, palette, "qrdz")
    assert ids(palette)[0] == ADDRESS
    with qtbot.waitSignal(controller.inserted, timeout=3000) as inserted:
        qtbot.keyClick(palette.search, Qt.Key.Key_Return)
        assert not palette.isVisible()  # hidden before the insertion runs
    assert inserted.args == [ADDRESS]
    assert controller.injector.keys.sent[0] == "release-modifiers"
    assert [k for k in controller.injector.keys.sent if k != "release-modifiers"][:1] == ["ctrl+v"]
    assert "enter" not in controller.injector.keys.sent
    event = controller.recorder.events[-1]
    assert (event.trigger, event.keys_typed) == ("palette", 4)
    assert event.pick_ms is not None and event.pick_ms >= 0


def test_shift_enter_inserts_and_sends(palette, controller, qtbot):
    type_query(qtbot, palette, "qrdz")
    with qtbot.waitSignal(controller.inserted, timeout=3000):
        qtbot.keyClick(palette.search, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert controller.injector.keys.sent[-1] == "enter"


def test_digit_picks_the_numbered_result(palette, controller, qtbot):
    type_query(qtbot, palette, "cf")
    number = ids(palette).index(ADDRESS) + 1
    assert number <= 9
    with qtbot.waitSignal(controller.inserted, timeout=3000) as inserted:
        qtbot.keyClick(palette.search, getattr(Qt.Key, f"Key_{number}"))
    assert inserted.args == [ADDRESS]
    assert palette.search.text() == "cf"  # the digit was not typed


def test_digit_is_typed_when_nothing_matches(palette, qtbot):
    type_query(qtbot, palette, "zzzzqx")
    assert palette.hits() == []
    qtbot.keyClick(palette.search, Qt.Key.Key_7)
    assert palette.search.text() == "zzzzqx7"


def test_ctrl_c_copies_the_rendered_text_without_inserting(palette, controller, qtbot):
    type_query(qtbot, palette, "qrdz")
    qtbot.keyClick(palette.search, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    expected = controller.render_text(controller.store.get(ADDRESS))
    assert QGuiApplication.clipboard().text() == expected
    assert not palette.isVisible()
    assert controller.recorder.events == []
    assert controller.injector.keys.sent == []


def test_escape_closes_without_inserting(palette, controller, qtbot):
    type_query(qtbot, palette, "cf")
    qtbot.keyClick(palette.search, Qt.Key.Key_Escape)
    assert not palette.isVisible()
    assert controller.recorder.events == []


def test_reopening_starts_a_fresh_search(palette, qtbot):
    type_query(qtbot, palette, "cf")
    qtbot.keyClick(palette.search, Qt.Key.Key_Escape)
    palette.open()
    assert palette.search.text() == ""
    assert palette.category_label.text() == "All"


def test_missing_values_are_asked_inline_then_inserted(palette, controller, qtbot):
    type_query(qtbot, palette, "cf")
    qtbot.keyClick(palette.search, Qt.Key.Key_Return)
    assert palette.isVisible() and palette.form_box.isVisible()
    editor = palette.findChild(QLineEdit, "field:product")
    qtbot.waitUntil(editor.hasFocus)
    type_into(qtbot, editor, "连衣裙")
    with qtbot.waitSignal(controller.inserted, timeout=3000):
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    expected = controller.render_text(controller.store.get(CHASE), {"product": "连衣裙"})
    assert controller.recorder.events[-1].chars == len(expected)
    assert not palette.isVisible()


def test_inline_choice_is_made_with_the_keyboard(palette, controller, qtbot):
    snippet = controller.store.add(
        Snippet(
            id="s-courier",
            title="快递选择",
            body="给您发{{choice:快递|顺丰|中通}}，单号{{input:单号}}",
        )
    )
    type_query(qtbot, palette, "kdxz")
    assert ids(palette)[0] == snippet.id
    qtbot.keyClick(palette.search, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    combo = palette.findChild(QComboBox, "field:快递")
    qtbot.waitUntil(combo.hasFocus)
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentText() == "中通"
    qtbot.keyClick(combo, Qt.Key.Key_Tab)
    number = palette.findChild(QLineEdit, "field:单号")
    qtbot.waitUntil(number.hasFocus)
    qtbot.keyClicks(number, "ZT123")
    with qtbot.waitSignal(controller.inserted, timeout=3000):
        qtbot.keyClick(number, Qt.Key.Key_Return)
    assert controller.recorder.events[-1].chars == len("给您发中通，单号ZT123")
    assert controller.injector.keys.sent[-1] == "enter"  # Shift+Enter chose "insert and send"


def test_escape_in_the_form_goes_back_to_the_results(palette, qtbot):
    type_query(qtbot, palette, "cf")
    qtbot.keyClick(palette.search, Qt.Key.Key_Return)
    editor = palette.findChild(QLineEdit, "field:product")
    qtbot.waitUntil(editor.hasFocus)
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert palette.isVisible() and not palette.form_box.isVisible()
    qtbot.waitUntil(palette.search.hasFocus)
    assert palette.search.text() == "cf"


def test_tab_cycles_categories(palette, controller, qtbot):
    categories = controller.store.categories()
    qtbot.keyClick(palette.search, Qt.Key.Key_Tab)
    assert palette.category_label.text() == categories[0].name
    assert {h.snippet.category for h in palette.hits()} == {categories[0].id}
    qtbot.keyClick(palette.search, Qt.Key.Key_Backtab)
    qtbot.keyClick(palette.search, Qt.Key.Key_Backtab)
    assert palette.category_label.text() == categories[-1].name
    assert palette.search.hasFocus()


def test_typed_hash_category_filters(palette, qtbot):
    type_query(qtbot, palette, "#催付 dz")
    assert palette.category_label.text() == "催付"
    assert ids(palette) == [ADDRESS]


def test_usage_ranks_the_agents_favourite_first(controller, usage, qtbot):
    usage["qr-default-zh/chase-payment-ship-soon"] = (7, int(time.time() * 1000))
    index = SearchIndex.from_store(controller.store, lambda: usage)
    palette = Palette(controller, index)
    qtbot.addWidget(palette)
    palette.open()
    type_query(qtbot, palette, "cf")
    assert ids(palette)[0] == "qr-default-zh/chase-payment-ship-soon"


def test_library_changes_show_while_open(palette, controller, qtbot):
    type_query(qtbot, palette, "xjhs")
    assert palette.hits() == []
    controller.store.add(Snippet(id="s-new", title="新建话术", body="新的"))
    qtbot.waitUntil(lambda: ids(palette) == ["s-new"])


def test_opens_near_the_mouse_but_inside_the_screen(palette, qtbot):
    palette.close_palette()
    area = QGuiApplication.primaryScreen().availableGeometry()
    QCursor.setPos(area.bottomRight() - QPoint(2, 2))
    palette.open()
    assert area.contains(palette.frameGeometry())
    QCursor.setPos(area.topLeft() + QPoint(60, 100))
    palette.close_palette()
    palette.open()
    assert palette.pos() == area.topLeft() + QPoint(44, 84)


def test_interface_follows_the_chinese_language(controller, qtbot):
    i18n.set_language("zh-CN")
    try:
        palette = Palette(controller, SearchIndex.from_store(controller.store))
        qtbot.addWidget(palette)
        palette.open()
        assert palette.windowTitle() == "QuickReply 搜索"
        assert palette.category_label.text() == "全部"
        assert "回车插入" in palette.hint.text()
    finally:
        i18n.set_language("en")
