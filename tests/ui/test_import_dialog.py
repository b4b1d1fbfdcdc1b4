"""The manager's Import… dialog on Qt's offscreen platform: preview first, then one write."""

from __future__ import annotations

from pathlib import Path

import pytest

from quickreply.core.packs.defaults import open_library
from quickreply.ui.import_dialog import ImportDialog

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "importers"


@pytest.fixture
def store():
    return open_library()


def personal(store):
    return sorted(s.body for s in store.snippets() if s.pack_id is None)


def test_preview_writes_nothing_and_import_applies_that_preview(qtbot, store, tmp_path):
    dialog = ImportDialog(store, tmp_path / "undo.json")
    qtbot.addWidget(dialog)
    assert not dialog.import_button.isEnabled()
    dialog.path_edit.setText(str(FIXTURES / "beeftext" / "combos-v7.json"))
    before = store.path.read_bytes()
    plan = dialog.preview()
    assert plan is not None and len(plan.added) == 3
    assert store.path.read_bytes() == before
    text = dialog.preview_text.toPlainText()
    assert "+ [售后] 退货地址  (thdz)" in text
    assert "variable #{envVar} is not supported (never run)" in text
    assert "3 to add" in dialog.summary.text()
    assert dialog.import_button.isEnabled()
    assert dialog.apply()
    assert len(personal(store)) == 3
    assert (tmp_path / "undo.json").exists()
    assert not dialog.import_button.isEnabled()


def test_changing_an_option_after_the_preview_needs_a_new_preview(qtbot, store, tmp_path):
    dialog = ImportDialog(store, tmp_path / "undo.json")
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(FIXTURES / "ahk" / "hotstrings.ahk"))
    dialog.preview()
    dialog.category_edit.setText("AHK 短语")
    assert not dialog.import_button.isEnabled() and not dialog.apply()
    dialog.preview()
    assert dialog.apply()
    assert {store.category(s.category).name for s in store.snippets() if not s.pack_id} == {
        "AHK 短语"
    }


def test_sheet_with_unknown_headers_lets_the_user_map_columns(qtbot, store, tmp_path):
    sheet = tmp_path / "odd.csv"
    sheet.write_text("Q,W,E\n售前,,亲，在的\n售后,,已退款\n", encoding="utf-8")
    dialog = ImportDialog(store, tmp_path / "undo.json")
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(sheet))
    assert dialog.columns_box.isVisibleTo(dialog)
    dialog.columns["category"].setCurrentIndex(dialog.columns["category"].findData(None))
    dialog.columns["abbrev"].setCurrentIndex(dialog.columns["abbrev"].findData(None))
    dialog.columns["body"].setCurrentIndex(dialog.columns["body"].findData(0))
    plan = dialog.preview()
    assert [s.body for s in plan.added] == ["Q", "售前", "售后"]


def test_unreadable_source_is_a_clear_message(qtbot, store, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    dialog = ImportDialog(store, tmp_path / "undo.json")
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(bad))
    assert dialog.preview() is None
    assert "not a Beeftext JSON file" in dialog.error.text()
    assert not dialog.import_button.isEnabled()


def test_manager_has_the_import_action(qtbot, controller, monkeypatch):
    from quickreply.core.search.index import SearchIndex
    from quickreply.ui import manager as manager_module

    opened = []
    monkeypatch.setattr(
        manager_module.ImportDialog, "exec", lambda self: opened.append(self.undo_path) or 0
    )
    window = manager_module.ManagerWindow(
        controller, controller.store, SearchIndex.from_store(controller.store)
    )
    qtbot.addWidget(window)
    action = next(a for a in window.findChildren(manager_module.QAction) if a.text() == "Import…")
    action.trigger()
    assert opened and opened[0].name == "last_import.json"
