"""The snippet editor's example-questions field (one buyer message a line), as suggestions use."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.test_manager import select_snippet, window  # noqa: F401 - the manager fixture


def test_example_questions_are_shown_edited_and_saved(window, controller, qtbot):  # noqa: F811
    select_snippet(window, "qr-default-zh/returns-shipping-fee")
    editor = window.editor
    assert editor.questions_edit.toPlainText().splitlines()[0] == "退货运费谁出"
    editor.questions_edit.setPlainText("退货要我出钱吗\n\n  寄回去邮费谁付  \n")
    assert editor.is_dirty()
    editor.check()
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    saved = controller.store.get("qr-default-zh/returns-shipping-fee")
    assert saved.questions == ("退货要我出钱吗", "寄回去邮费谁付")


def test_a_personal_categorys_keywords_are_saved_a_packs_are_not(window, controller):  # noqa: F811
    category = controller.store.new_category("鞋类")
    window.set_keywords(category.id, "挤脚，磨脚, 码数")
    assert controller.store.category(category.id).keywords == ("挤脚", "磨脚", "码数")
    window.set_keywords("qr-default-zh/logistics", "别的")
    assert controller.store.category("qr-default-zh/logistics").keywords[0] == "快递"
