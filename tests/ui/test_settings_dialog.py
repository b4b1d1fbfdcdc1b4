"""The settings dialog (offscreen): every setting shown, saved through save_settings, problems
shown in the dialog."""

from __future__ import annotations

from dataclasses import fields

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from quickreply.core.library.settings import Settings, load_settings
from quickreply.core.render import SHOP_FACTS
from quickreply.ui.settings_dialog import SettingsDialog
from tests.ui.fakes import TAKEN
from tests.ui.test_manager import ctrl_alt, record


@pytest.fixture
def dialog(controller, qtbot) -> SettingsDialog:
    widget = SettingsDialog(controller, controller.store)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def add_program(dialog: SettingsDialog, qtbot, program: str, keys: str) -> None:
    button = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Add program")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    row = dialog.app_paste_keys.rowCount() - 1
    dialog.app_paste_keys.item(row, 0).setText(program)
    dialog.app_paste_keys.item(row, 1).setText(keys)


def test_shows_every_setting_with_the_stored_values(dialog, controller):
    # nothing changed: exactly what is stored (defaults and the agent id made on first run)
    assert dialog.settings() == Settings(agent_id=load_settings(controller.store).agent_id)
    assert {f.name for f in fields(Settings)} == set(dialog.settings().to_stored())
    assert dialog.palette_hotkey.text() == "Ctrl+Alt+Space"
    assert dialog.shop_facts.rowCount() == len(SHOP_FACTS)
    assert dialog.shop_facts.item(0, 0).text() == "Shop name"  # labels from core.render.VARIABLES
    assert [dialog.language.itemData(i) for i in range(3)] == ["auto", "zh-CN", "en"]


def test_saving_stores_the_settings_and_the_app_follows(dialog, controller, qtbot):
    record(qtbot, dialog.palette_hotkey, Qt.Key.Key_K, ctrl_alt())
    dialog.insert_mode.setCurrentIndex(dialog.insert_mode.findData("type"))
    dialog.language.setCurrentIndex(dialog.language.findData("zh-CN"))
    dialog.shop_facts.item(0, 1).setText("小铺")
    add_program(dialog, qtbot, "WeChat.exe", "shift+ctrl+v")
    dialog.clipboard_restore_ms.setValue(800)
    dialog.reply_speed.setChecked(True)
    dialog.subscription_minutes.setValue(60)
    assert dialog.save()
    stored = load_settings(controller.store)
    assert stored.palette_hotkey == "ctrl+alt+k"
    assert (stored.insert_mode, stored.language) == ("type", "zh-CN")
    assert stored.shop_facts == {"shop": "小铺"}
    assert stored.app_paste_keys == {"wechat.exe": "ctrl+shift+v"}
    assert (stored.clipboard_restore_ms, stored.reply_speed_tracking) == (800, True)
    assert stored.subscription_check_minutes == 60
    assert controller.settings.palette_hotkey == "ctrl+alt+k"  # live: hotkeys re-registered
    assert "ctrl+alt+k" in controller.hotkeys.backend.registered


def test_bad_values_are_shown_and_nothing_is_saved(dialog, controller, qtbot):
    add_program(dialog, qtbot, "qianniu.exe", "v")
    record(qtbot, dialog.palette_hotkey, Qt.Key.Key_Backspace)
    assert not dialog.save()
    problems = dialog.problems.text()
    assert "qianniu.exe" in problems and "would block normal typing" in problems
    assert dialog.isVisible()
    assert load_settings(controller.store) == Settings(
        agent_id=load_settings(controller.store).agent_id
    )
    dialog.app_paste_keys.removeRow(0)
    assert not dialog.save()
    assert "palette_hotkey: hotkey is empty" in dialog.problems.text()


def test_palette_hotkey_refused_by_the_system_is_warned(dialog, qtbot):
    record(qtbot, dialog.palette_hotkey, Qt.Key.Key_9, ctrl_alt())
    assert dialog.palette_hotkey.combo() == TAKEN
    assert "already used by another program" in dialog.hotkey_warning.text()


def test_palette_hotkey_used_by_a_snippet_is_warned(dialog, qtbot):
    record(qtbot, dialog.palette_hotkey, Qt.Key.Key_F1, Qt.KeyboardModifier.ShiftModifier)
    assert "“欢迎语” uses it too" in dialog.hotkey_warning.text()


def test_privacy_settings_explain_what_is_kept(dialog):
    texts = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "never records which keys you press or what you type" in texts
    assert "applies after QuickReply restarts" in texts


def test_agent_name_is_edited_in_the_dialog_and_exposed_by_the_controller(dialog, controller):
    dialog.agent_name.setText(" 小王 ")
    assert dialog.save()
    assert load_settings(controller.store).agent_name == "小王"
    assert controller.agent_name() == "小王"  # the controller reloads settings on the change
    controller.set_agent_name("小李")
    assert load_settings(controller.store).agent_name == "小李"


def test_shop_facts_table_shows_the_defaults_and_refuses_a_bad_number(dialog, controller):
    row = SHOP_FACTS.index("return_days")
    assert dialog.shop_facts.item(row, 2).text() == "7"
    dialog.shop_facts.item(row, 1).setText("abc")
    assert not dialog.save()
    assert "whole number" in dialog.findChild(QLabel, "settings-problems").text()
    assert load_settings(controller.store).shop_facts == {}


def test_choosing_english_puts_the_english_replies_on_the_default_hotkeys(
    dialog, controller, qtbot
):
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    assert dialog.save()
    welcome = next(s for s in controller.snippets() if s.hotkey == "shift+f1")
    assert welcome.id == "qr-default-en/greeting-welcome"
    assert controller.hidden_packs() == {"qr-default-zh"}
