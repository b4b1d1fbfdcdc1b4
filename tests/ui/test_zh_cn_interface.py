"""The zh-CN interface has no English left in the dialogs' buttons or the day axis."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from PySide6.QtWidgets import QAbstractButton

from quickreply.core import i18n
from quickreply.core.packs.defaults import open_library
from quickreply.ui.day_axis import DayAxis
from quickreply.ui.pack_dialogs import InstallPackDialog, TeamReportDialog


@pytest.fixture(autouse=True)
def chinese() -> Iterator[None]:
    i18n.set_language("zh-CN")
    yield
    i18n.set_language("en")


def test_pack_and_team_report_dialog_buttons_are_chinese(qtbot):
    store = open_library()
    for dialog in (InstallPackDialog(store), TeamReportDialog()):
        qtbot.addWidget(dialog)
        texts = {b.text() for b in dialog.findChildren(QAbstractButton)}
        assert not texts & {"Cancel", "Save", "OK", "Close", "&Cancel", "&Save"}, texts
        assert "取消" in texts


def test_day_axis_writes_chinese_days(qapp):
    noon = datetime(2026, 12, 2, 12).timestamp()
    assert DayAxis().tickStrings([noon], 1.0, 86_400) == ["12月2日"]
