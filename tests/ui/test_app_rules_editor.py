"""Editing app rules in the settings dialog (offscreen): shown, edited, validated, saved."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel

from quickreply.core.app_rules import default_rule_dicts
from quickreply.core.library.settings import load_settings
from quickreply.ui.settings_dialog import SettingsDialog


@pytest.fixture
def dialog(controller, qtbot) -> SettingsDialog:
    widget = SettingsDialog(controller, controller.store)
    qtbot.addWidget(widget)
    return widget


def test_default_rules_are_shown_and_round_trip_unchanged(dialog):
    assert dialog.app_rules.table.rowCount() == len(default_rule_dicts())
    assert dialog.app_rules.rules() == default_rule_dicts()


def test_a_new_rule_is_edited_and_saved_first_match_wins(dialog, controller):
    editor = dialog.app_rules
    editor.set_rules([])
    editor.add_rule()
    table = editor.table
    table.item(0, 0).setText("飞鸽网页")
    table.item(0, 3).setText("飞鸽")
    send: QComboBox = table.cellWidget(0, 5)
    send.setCurrentIndex(send.findData("ctrl+enter"))
    hotkeys: QCheckBox = table.cellWidget(0, 8)
    hotkeys.setChecked(False)
    editor.only_chat.setChecked(True)
    assert dialog.save()
    settings = load_settings(controller.store)
    assert settings.only_chat_apps is True
    assert settings.app_rules == [
        {
            "name": "飞鸽网页",
            "process": [],
            "window_class": [],
            "title": "飞鸽",
            "paste_keys": None,
            "send_key": "ctrl+enter",
            "newline_key": None,
            "insert_mode": None,
            "hotkeys": False,
            "abbreviations": True,
            "chat": True,
            "image_paste_mode": None,
            "unconfirmed": False,
        }
    ]
    behaviour = settings.app_behaviour("chrome", "", "飞鸽 - 抖店")
    assert (behaviour.rule, behaviour.send_keys, behaviour.hotkeys) == (
        "飞鸽网页",
        "ctrl+enter",
        False,
    )


def test_a_rule_that_matches_nothing_is_refused_in_the_dialog(dialog, controller):
    dialog.app_rules.set_rules([])
    dialog.app_rules.add_rule()
    assert not dialog.save()
    assert "give a process name, a window class or a title pattern" in dialog.problems.text()


def test_rules_move_up_and_down(dialog):
    editor = dialog.app_rules
    editor.set_rules([{"name": "A", "process": ["a"]}, {"name": "B", "process": ["b"]}])
    editor.table.setCurrentCell(1, 0)
    editor.move_rule(-1)
    assert [r["name"] for r in editor.rules()] == ["B", "A"]


def test_unconfirmed_names_are_marked_and_kept(dialog):
    rules = dialog.app_rules.rules()
    unconfirmed = [r["name"] for r in rules if r.get("unconfirmed")]
    assert "京麦 JD Jingmai" in unconfirmed
    row = next(i for i, r in enumerate(rules) if r["name"] == "京麦 JD Jingmai")
    assert "not confirmed" in dialog.app_rules.table.item(row, 1).toolTip()


def test_abbreviation_settings_are_explained_and_saved(dialog, controller):
    assert "never writes what you type" in " ".join(
        label.text() for label in dialog.findChildren(QLabel)
    )
    dialog.abbreviations.setChecked(True)
    dialog.abbreviation_end_key.setCurrentIndex(dialog.abbreviation_end_key.findData("tab"))
    assert dialog.save()
    settings = load_settings(controller.store)
    assert (settings.abbreviations, settings.abbreviation_end_key) == ("on", "tab")
