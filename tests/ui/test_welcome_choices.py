"""The welcome window asks the language (its default pack goes on the hotkeys) and explains typed
abbreviations (what they are, the prefix, BackSpace undo), zh-CN and English."""

from __future__ import annotations

from pathlib import Path

import pytest

from quickreply.app.first_run import NO_WELCOME_ENV, FirstRun
from quickreply.core import i18n
from quickreply.core.library.settings import load_settings
from quickreply.core.packs.visibility import hidden_packs
from quickreply.platform.autostart import XdgAutostart
from quickreply.ui.welcome import WelcomeWindow


@pytest.fixture
def window(qtbot, controller, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> WelcomeWindow:
    monkeypatch.delenv(NO_WELCOME_ENV, raising=False)
    first_run = FirstRun(controller.store, XdgAutostart(tmp_path / "config"))
    shown = WelcomeWindow(controller.settings, [], False, first_run.save)
    qtbot.addWidget(shown)
    return shown


def test_choosing_english_puts_the_english_replies_on_the_hotkeys(window, controller) -> None:
    window.language.setCurrentIndex(window.language.findData("en"))
    assert window.save()
    store = controller.store
    assert load_settings(store).language == "en"
    assert hidden_packs(store) == {"qr-default-zh"}
    owner = {s.hotkey: s.id for s in store.snippets() if s.hotkey}
    assert owner["shift+f1"] == "qr-default-en/greeting-welcome"


def test_keeping_the_language_changes_no_pack(window, controller) -> None:
    assert window.language.currentData() == "auto"
    assert window.save()
    assert hidden_packs(controller.store) == set()


def test_abbreviations_are_explained_and_can_be_turned_on(window, controller) -> None:
    text = window.abbreviation_help.text()
    for part in (";hy", "BackSpace", "Space"):
        assert part in text
    assert not window.abbreviations.isChecked()
    window.abbreviations.setChecked(True)
    assert window.save()
    assert load_settings(controller.store).abbreviations == "on"


def test_abbreviation_help_in_chinese(qtbot, controller, tmp_path: Path) -> None:
    i18n.set_language("zh-CN")
    try:
        first_run = FirstRun(controller.store, XdgAutostart(tmp_path / "config"))
        shown = WelcomeWindow(controller.settings, [], False, first_run.save)
        qtbot.addWidget(shown)
        text = shown.abbreviation_help.text()
        assert "简写" in text and "退格" in text and "空格" in text and ";hy" in text
    finally:
        i18n.set_language("en")
