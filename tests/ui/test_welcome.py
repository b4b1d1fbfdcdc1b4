"""The first-run welcome window: shown once, stores shop/agent/typing speed and autostart together."""

from __future__ import annotations

from pathlib import Path

import pytest

from quickreply.app.first_run import NO_WELCOME_ENV, FirstRun
from quickreply.core import i18n
from quickreply.core.library.settings import load_settings
from quickreply.platform.autostart import XdgAutostart
from quickreply.ui.welcome import WelcomeWindow, main_hotkeys


@pytest.fixture
def first_run(controller, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FirstRun:
    monkeypatch.delenv(NO_WELCOME_ENV, raising=False)
    return FirstRun(controller.store, XdgAutostart(tmp_path / "config"))


def welcome(qtbot, controller, first_run: FirstRun) -> WelcomeWindow:
    controller.register_hotkeys()
    window = WelcomeWindow(
        controller.settings,
        main_hotkeys(controller.status.active),
        first_run.starts_with_computer(),
        first_run.save,
    )
    qtbot.addWidget(window)
    return window


def test_main_hotkeys_are_palette_snippet_and_category(controller) -> None:
    controller.register_hotkeys()
    shown = main_hotkeys(controller.status.active)
    assert [meaning.split(" ")[0] for _key, meaning in shown] == ["Search", "Insert", "Pick"]
    assert shown[0][0] == "Ctrl+Alt+Space"


def test_shown_on_first_start_only(controller, first_run: FirstRun) -> None:
    settings = load_settings(controller.store)
    assert first_run.should_show(settings)
    first_run.mark_shown()
    assert not first_run.should_show(load_settings(controller.store))


def test_it_deployments_can_skip_it(controller, first_run, monkeypatch) -> None:
    monkeypatch.setenv(NO_WELCOME_ENV, "1")
    assert not first_run.should_show(load_settings(controller.store))


def test_start_stores_names_speed_and_autostart(qtbot, controller, first_run: FirstRun) -> None:
    window = welcome(qtbot, controller, first_run)
    window.shop.setText("小蜜蜂旗舰店")
    window.agent.setText("小美")
    window.typing_speed.setValue(80)
    window.autostart.setChecked(True)
    assert window.save()
    settings = load_settings(controller.store)
    assert settings.shop_facts == {"shop": "小蜜蜂旗舰店", "agent": "小美"}
    assert settings.typing_speed_cjk_cpm == 80 and settings.welcome_shown
    assert first_run.starts_with_computer()
    greeting = controller.store.find("qr-default-zh/greeting-welcome")
    assert greeting is not None
    controller.settings = settings
    assert "小蜜蜂旗舰店" in controller.render_text(greeting)
    assert "小美" in controller.render_text(greeting)


def test_unticking_autostart_removes_the_entry(qtbot, controller, first_run: FirstRun) -> None:
    first_run.autostart.enable(["QuickReply"])
    window = welcome(qtbot, controller, first_run)
    assert window.autostart.isChecked()
    window.autostart.setChecked(False)
    assert window.save()
    assert not first_run.starts_with_computer()
    assert not first_run.autostart.path.exists()  # type: ignore[attr-defined]


def test_storage_problem_is_shown_not_raised(qtbot, controller, first_run, tmp_path) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the autostart folder should be")
    first_run.autostart = XdgAutostart(blocked)
    window = welcome(qtbot, controller, first_run)
    window.autostart.setChecked(True)
    assert not window.save()
    assert "could not" in window.problems.text()


def test_follows_the_chinese_interface(qtbot, controller, first_run: FirstRun) -> None:
    i18n.set_language("zh-CN")
    try:
        window = welcome(qtbot, controller, first_run)
        assert window.windowTitle() == "欢迎使用 QuickReply"
        assert window.autostart.text() == "开机时自动启动 QuickReply"
    finally:
        i18n.set_language("en")
