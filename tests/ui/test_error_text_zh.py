"""Errors caught in widgets reach a zh-CN agent in Chinese: core's English wording translated
where it is shown (issue 12 item 9)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from quickreply.core import i18n
from quickreply.core.errors import NotFoundError, ValidationError
from quickreply.core.library.settings import Settings
from quickreply.ui.problem_text import shown_error, shown_problem
from quickreply.ui.welcome import WelcomeWindow


@pytest.fixture
def chinese() -> Iterator[None]:
    i18n.set_language("zh-CN")
    yield
    i18n.set_language("en")


def test_shown_error_translates_each_problem(chinese) -> None:
    error = ValidationError(["snippet 's-1': title is empty", "language: use auto, zh-CN or en"])
    assert shown_error(error) == "话术 's-1'：标题为空\nlanguage：请用 auto, zh-CN 或 en"
    assert shown_error(NotFoundError("there is no import to undo")) == "没有可以撤销的导入"


def test_editor_problems_without_the_id_in_chinese(chinese) -> None:
    shown = shown_problem("snippet 's-0111fc94': body is longer than 20000 characters")
    assert shown == "正文超过 20000 个字符"


def test_a_refused_save_shows_the_reason_in_chinese(qtbot, chinese) -> None:
    def refuse(_settings: Settings, _autostart: bool) -> None:
        raise ValidationError(["shop_facts: unknown fact x (known: shop, agent)"])

    window = WelcomeWindow(Settings(), [], False, refuse)
    qtbot.addWidget(window)
    assert not window.save()
    assert window.problems.text() == "shop_facts：未知的店铺信息 x（可用：shop, agent）"
