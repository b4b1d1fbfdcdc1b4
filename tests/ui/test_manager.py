"""The snippet manager (offscreen): editing with live checks, hotkey recording, locked packs,
categories (reorder, rename, delete) and undo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, QMimeData, QPointF, Qt
from PySide6.QtGui import QDropEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QPushButton

import quickreply.ui.manager as manager_module
from quickreply.core.library.model import Category, Snippet
from quickreply.core.library.pack_record import PackRecord
from quickreply.core.search.index import SearchIndex
from quickreply.ui.hotkey_edit import HotkeyEdit
from quickreply.ui.manager import ManagerWindow
from tests.ui.fakes import TAKEN


@pytest.fixture
def window(controller, qtbot) -> ManagerWindow:
    win = ManagerWindow(controller, controller.store, SearchIndex.from_store(controller.store))
    qtbot.addWidget(win)
    win.show()
    return win


def select_snippet(window: ManagerWindow, snippet_id: str) -> None:
    for row in range(window.snippet_list.count()):
        if window.snippet_list.item(row).data(Qt.ItemDataRole.UserRole + 1) == snippet_id:
            window.snippet_list.setCurrentRow(row, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            return
    raise AssertionError(f"{snippet_id} is not listed")


def listed(window: ManagerWindow) -> list[str]:
    return [
        window.snippet_list.item(row).data(Qt.ItemDataRole.UserRole + 1)
        for row in range(window.snippet_list.count())
    ]


def record(qtbot, edit: HotkeyEdit, key: Qt.Key, modifiers=Qt.KeyboardModifier.NoModifier):
    edit.setFocus()
    qtbot.keyClick(edit, key, modifiers)


def test_shows_categories_by_pack_and_the_snippets(window, controller):
    tops = [window.tree.topLevelItem(i).text(0) for i in range(window.tree.topLevelItemCount())]
    assert tops == ["All snippets", "My snippets", "默认话术（中文）", "Default replies (English)"]
    assert len(listed(window)) == len(controller.store.snippets())
    assert window.editor.title_edit.text() == "欢迎语"
    assert window.editor.preview.toPlainText().startswith("亲，您好！欢迎光临本店")


def test_new_snippet_is_checked_as_typed_and_saved(window, controller, qtbot):
    window.new_snippet_action.trigger()
    editor = window.editor
    assert editor.is_new() and not editor.save_button.isEnabled()
    editor.title_edit.setText("发货通知")
    editor.body_edit.setPlainText("亲，订单{{ordr}}已发货")
    assert "unknown placeholder {{ordr}}" in editor.problems_label.text()
    assert "did you mean {{order}}" in editor.problems_label.text()
    editor.body_edit.setPlainText("亲，订单{{order}}已发货，{{customer}}请留意～")
    editor.check()
    assert editor.problems_label.text() == ""
    assert editor.preview.toPlainText() == "亲，订单[订单号]已发货，亲请留意～"
    editor.tags_edit.setText("物流，发货, 通知")
    editor.abbrev_edit.setText("FHTZ")
    editor.auto_send_check.setChecked(True)
    record(qtbot, editor.hotkey_edit, Qt.Key.Key_K, ctrl_shift())
    editor.check()
    assert editor.save_button.isEnabled()
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    saved = next(s for s in controller.store.snippets() if s.title == "发货通知")
    assert saved.tags == ("物流", "发货", "通知")
    assert (saved.abbrev, saved.hotkey, saved.auto_send) == ("fhtz", "ctrl+shift+k", True)
    assert window.snippet_list.currentItem().text() == "发货通知"
    assert not editor.is_dirty()


def ctrl_shift() -> Qt.KeyboardModifier:
    return Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def test_editing_an_existing_snippet(window, controller, qtbot):
    select_snippet(window, "qr-default-zh/chase-payment-address")
    window.editor.title_edit.setText("确认收货地址")
    window.editor.check()
    assert window.editor.save_button.shortcut() == QKeySequence("Ctrl+S")
    qtbot.mouseClick(window.editor.save_button, Qt.MouseButton.LeftButton)
    assert controller.store.get("qr-default-zh/chase-payment-address").title == "确认收货地址"
    window.editor.title_edit.setText("别的")
    window.editor.revert()
    assert window.editor.title_edit.text() == "确认收货地址"


def test_choosing_another_snippet_saves_the_edited_one(window, controller, qtbot):
    select_snippet(window, "qr-default-zh/chase-payment-address")
    window.editor.tags_edit.setText("催付, 地址, 核对")
    select_snippet(window, "qr-default-zh/chase-payment-failed")
    assert window.editor.title_edit.text() == "付款失败"
    assert controller.store.get("qr-default-zh/chase-payment-address").tags[-1] == "核对"
    QApplication.processEvents()  # the refresh after the library change keeps the choice
    assert window.editor.title_edit.text() == "付款失败"


def test_starting_a_new_snippet_keeps_the_edited_one(window, controller):
    select_snippet(window, "qr-default-zh/chase-payment-address")
    window.editor.title_edit.setText("核对地址")
    window.new_snippet_action.trigger()
    assert window.editor.is_new()
    assert controller.store.get("qr-default-zh/chase-payment-address").title == "核对地址"


def test_closing_the_window_saves_the_edit(window, controller):
    select_snippet(window, "qr-default-zh/chase-payment-address")
    window.editor.abbrev_edit.setText("hddz")
    window.close()
    assert controller.store.get("qr-default-zh/chase-payment-address").abbrev == "hddz"


def test_hotkey_clash_with_another_snippet_blocks_saving(window, qtbot):
    select_snippet(window, "qr-default-zh/chase-payment-address")
    record(qtbot, window.editor.hotkey_edit, Qt.Key.Key_F1, Qt.KeyboardModifier.ShiftModifier)
    window.editor.check()
    assert "hotkey shift+f1 is already used by snippet '欢迎语'" in (
        window.editor.problems_label.text()
    )
    assert not window.editor.save_button.isEnabled()


def test_hotkey_refused_by_the_system_is_warned(window, qtbot):
    select_snippet(window, "qr-default-zh/chase-payment-address")
    record(qtbot, window.editor.hotkey_edit, Qt.Key.Key_9, ctrl_alt())
    assert window.editor.hotkey_edit.combo() == TAKEN
    assert "already used by another program" in window.editor.hotkey_warning.text()
    record(qtbot, window.editor.hotkey_edit, Qt.Key.Key_8, ctrl_alt())
    assert window.editor.hotkey_warning.text() == ""


def ctrl_alt() -> Qt.KeyboardModifier:
    return Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier


def test_recording_a_shortcut_of_the_window_records_it(window, qtbot):
    select_snippet(window, "qr-default-zh/chase-payment-address")
    window.activateWindow()
    record(qtbot, window.editor.hotkey_edit, Qt.Key.Key_N, ctrl_alt())
    record(qtbot, window.editor.hotkey_edit, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.editor.hotkey_edit.combo() == "ctrl+n"
    assert not window.editor.is_new()  # Ctrl+N did not start a new snippet


def test_clear_button_removes_the_hotkey(window, controller, qtbot):
    select_snippet(window, "qr-default-zh/greeting-welcome")
    clear = next(b for b in window.editor.findChildren(QPushButton) if b.text() == "Clear")
    qtbot.mouseClick(clear, Qt.MouseButton.LeftButton)
    window.editor.check()
    assert window.editor.save()
    assert controller.store.get("qr-default-zh/greeting-welcome").hotkey is None


def test_delete_and_undo_a_snippet(window, controller):
    select_snippet(window, "qr-default-zh/chase-payment-address")
    window.snippet_list.setFocus()
    window.delete_action.trigger()
    assert controller.store.find("qr-default-zh/chase-payment-address") is None
    assert window.undo_action.isEnabled()
    assert window.undo_action.text() == "Undo delete “确认地址”"
    window.undo_action.trigger()
    assert controller.store.find("qr-default-zh/chase-payment-address") is not None
    assert not window.undo_action.isEnabled()


def test_locked_pack_snippets_are_read_only_with_the_pack_name(window, controller, qtbot):
    category = Category("lead/rules", "组长规定", pack_id="lead")
    locked = Snippet(
        id="lead/refund-rule",
        title="退款规定",
        body="统一口径：{{refund_days}}天内退款。",
        category=category.id,
        pack_id="lead",
        locked=True,
    )
    controller.store.replace_pack_content(
        "lead", [category], [locked], PackRecord("lead", name="组长话术", version="1.0.0")
    )
    qtbot.waitUntil(lambda: "lead/refund-rule" in listed(window))
    select_snippet(window, "lead/refund-rule")
    editor = window.editor
    assert editor.locked_banner.isVisible()
    assert "组长话术" in editor.locked_banner.text()
    assert editor.body_edit.isReadOnly() and editor.title_edit.isReadOnly()
    assert not editor.category_combo.isEnabled()
    assert not window.delete_action.isEnabled()
    editor.abbrev_edit.setText("tkgd")  # the agent's own abbreviation is allowed
    editor.check()
    assert editor.save()
    assert controller.store.get("lead/refund-rule").abbrev == "tkgd"


def test_search_box_filters_the_list_with_pinyin(window, qtbot):
    qtbot.keyClicks(window.search, "cf")
    assert listed(window)[0] == "qr-default-zh/chase-payment-reminder"
    assert len(listed(window)) < 20
    window.search.clear()
    assert len(listed(window)) > 100


def test_category_selection_filters_the_list(window, controller):
    chase = controller.store.category("qr-default-zh/chase-payment")
    select_category(window, chase.id)
    assert {controller.store.get(sid).category for sid in listed(window)} == {chase.id}


def select_category(window: ManagerWindow, category_id: str) -> None:
    for top in range(window.tree.topLevelItemCount()):
        group = window.tree.topLevelItem(top)
        for row in range(group.childCount()):
            if group.child(row).data(0, Qt.ItemDataRole.UserRole + 1) == category_id:
                window.tree.setCurrentItem(group.child(row))
                return
    raise AssertionError(f"{category_id} is not in the tree")


def personal_names(controller) -> list[str]:
    return [c.name for c in controller.store.categories() if c.pack_id is None]


def test_new_category_rename_reorder_delete_and_undo(window, controller, qtbot):
    first = controller.store.new_category("甲")
    second = controller.store.new_category("乙")
    qtbot.waitUntil(lambda: len(window.tree.personal_ids()) == 2)
    window.new_category_action.trigger()
    assert personal_names(controller) == ["甲", "乙", "New category"]
    item = window.tree.currentItem()
    item.setText(0, "丙")  # what finishing the in-place rename does
    assert personal_names(controller) == ["甲", "乙", "丙"]
    third = controller.store.category("丙")

    qtbot.waitUntil(lambda: window.tree.personal_ids() == [first.id, second.id, third.id])
    window.tree.move_category(third.id, 0)  # what dropping it above 甲 does
    assert personal_names(controller) == ["丙", "甲", "乙"]
    qtbot.waitUntil(lambda: window.tree.personal_ids()[0] == third.id)
    select_category(window, first.id)
    window.down_action.trigger()  # keyboard alternative: Alt+Down
    assert personal_names(controller) == ["丙", "乙", "甲"]

    controller.store.add(Snippet(id="s-mine", title="我的话术", body="x", category=second.id))
    window.delete_category(second.id)
    assert personal_names(controller) == ["丙", "甲"]
    assert controller.store.find("s-mine") is None
    window.undo()
    assert personal_names(controller) == ["丙", "乙", "甲"]
    assert controller.store.get("s-mine").category == second.id


def test_dropping_a_category_onto_another_moves_it_there(window, controller, qtbot):
    first = controller.store.new_category("甲")
    second = controller.store.new_category("乙")
    qtbot.waitUntil(lambda: window.tree.personal_ids() == [first.id, second.id])
    mine = window.tree.topLevelItem(1)
    window.tree.setCurrentItem(mine.child(1))  # dragging 乙 ...
    target = window.tree.visualItemRect(mine.child(0)).center()  # ... onto 甲
    drop = QDropEvent(
        QPointF(target),
        Qt.DropAction.MoveAction,
        QMimeData(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.tree.dropEvent(drop)
    assert personal_names(controller) == ["乙", "甲"]


def test_pack_categories_cannot_be_renamed_dragged_or_deleted(window, controller):
    zh_group = window.tree.topLevelItem(2)
    flags = zh_group.child(0).flags()
    assert not flags & Qt.ItemFlag.ItemIsEditable
    assert not flags & Qt.ItemFlag.ItemIsDragEnabled
    window.delete_category("qr-default-zh/chase-payment")
    assert controller.store.category("qr-default-zh/chase-payment")
    assert "go with the pack" in window.statusBar().currentMessage()


def test_export_and_install_call_the_pack_dialogs(window, controller, monkeypatch):
    calls = []
    monkeypatch.setattr(
        manager_module,
        "export_pack_from_selection",
        lambda store, cats, snippets, parent: calls.append((cats, snippets)),
    )
    select_category(window, "qr-default-zh/chase-payment")
    window.export_pack()
    assert calls == [(["qr-default-zh/chase-payment"], [])]
    texts = [a.text() for a in window.findChildren(type(window.undo_action))]
    assert "Install pack…" in texts and "Export pack…" in texts


def test_library_changes_from_elsewhere_show_up(window, controller, qtbot):
    controller.store.add(Snippet(id="s-cli", title="命令行添加", body="x"))
    qtbot.waitUntil(lambda: "s-cli" in listed(window))


# -- the hotkey recorder ----------------------------------------------------------------------


@pytest.fixture
def recorder(qtbot) -> HotkeyEdit:
    edit = HotkeyEdit()
    qtbot.addWidget(edit)
    edit.show()
    return edit


def test_recorder_turns_a_key_press_into_the_canonical_combo(recorder, qtbot):
    with qtbot.waitSignal(recorder.changed) as changed:
        record(qtbot, recorder, Qt.Key.Key_1, ctrl_alt())
    assert changed.args == ["ctrl+alt+1"]
    assert recorder.text() == "Ctrl+Alt+1"
    record(qtbot, recorder, Qt.Key.Key_Exclam, ctrl_shift())  # Shift+1 arrives as "!"
    assert recorder.combo() == "ctrl+shift+1"
    record(qtbot, recorder, Qt.Key.Key_F5)
    assert recorder.combo() == "f5"


def test_recorder_refuses_combinations_that_would_block_typing(recorder, qtbot):
    recorder.set_combo("ctrl+alt+1")
    with qtbot.waitSignal(recorder.rejected) as rejected:
        record(qtbot, recorder, Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier)
    assert "would block normal typing" in rejected.args[0]
    assert recorder.combo() == "ctrl+alt+1"


def test_recorder_shows_modifiers_while_held_and_clears_with_backspace(recorder, qtbot):
    recorder.set_combo("ctrl+alt+1")
    recorder.setFocus()
    qtbot.keyPress(recorder, Qt.Key.Key_Control, Qt.KeyboardModifier.ControlModifier)
    assert recorder.text() == "Ctrl+…"
    qtbot.keyRelease(recorder, Qt.Key.Key_Control)
    assert recorder.text() == "Ctrl+Alt+1"
    record(qtbot, recorder, Qt.Key.Key_Backspace)
    assert recorder.combo() == "" and recorder.text() == ""


def test_recorder_leaves_tab_to_focus_navigation(recorder, qtbot):
    recorder.set_combo("ctrl+alt+1")
    record(qtbot, recorder, Qt.Key.Key_Tab)
    assert recorder.combo() == "ctrl+alt+1"


def test_undo_shortcut_is_the_standard_one(window):
    assert window.undo_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo)


def test_an_edited_pack_reply_is_marked_and_can_be_reverted(window, controller, qtbot):
    sid = "qr-default-zh/greeting-welcome"
    pack_body = controller.store.get(sid).body
    controller.store.update(controller.store.get(sid).edited(body="我的欢迎语"))
    select_snippet(window, "qr-default-zh/chase-payment-address")
    select_snippet(window, sid)
    editor = window.editor
    assert editor.edited_banner.isVisibleTo(window) and "Edited" in editor.edited_banner.text()
    qtbot.mouseClick(editor.pack_version_button, Qt.MouseButton.LeftButton)
    assert controller.store.get(sid).body == pack_body
    assert not editor.pack_version_button.isVisibleTo(window)
