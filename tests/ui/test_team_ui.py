"""Team drop widgets on Qt's offscreen platform: "From team drop" and the one-time question."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from quickreply.core.library.settings import load_settings
from quickreply.core.packs.format import parse_pack
from quickreply.core.packs.install import install_pack
from quickreply.core.team.drop import FolderDrop
from quickreply.core.team.suggestion import DropSuggestion, pending_suggestion
from quickreply.ui.pack_dialogs import TeamReportDialog
from quickreply.ui.team_prompt import ask_team_drop, suggestion_box
from tests.unit.pack_samples import pack_data
from tests.unit.team.agents import make_agent


def test_team_report_dialog_reads_a_team_drop(qtbot, tmp_path, monkeypatch):
    drop = FolderDrop(tmp_path / "drop")
    drop.root.mkdir()
    wang, li = make_agent(tmp_path, monkeypatch, "小王"), make_agent(tmp_path, monkeypatch, "小李")
    wang.use(2)
    li.use(5)
    wang.publish(drop)
    li.publish(drop)
    dialog = TeamReportDialog()
    qtbot.addWidget(dialog)
    dialog.open_check.setChecked(False)
    dialog.drop_edit.setText(str(drop.root))
    dialog.output_edit.setText(str(tmp_path / "team.html"))
    with qtbot.waitSignal(dialog.drop_call.done, timeout=20_000):
        assert dialog.generate() is None  # read on a worker thread
    report = dialog.report
    assert report is not None and dialog.result() == QDialog.DialogCode.Accepted
    assert {a.agent: a.uses for a in report.agents} == {wang.label: 2, li.label: 5}
    assert dialog.drop_counts is not None and dialog.drop_counts.read == 2
    broken = TeamReportDialog()
    qtbot.addWidget(broken)
    broken.open_check.setChecked(False)
    broken.drop_edit.setText(str(tmp_path / "not-mounted"))
    with qtbot.waitSignal(broken.drop_call.failed, timeout=20_000):
        broken.generate()
    assert "cannot list team drop" in broken.error.text() and broken.report is None


def test_question_says_what_is_shared_and_defaults_to_no(qtbot):
    box = suggestion_box(DropSuggestion("team", "客服主管话术", "https://dav.example.cn/qr/"))
    qtbot.addWidget(box)
    assert "https://dav.example.cn/qr/" in box.text() and "客服主管话术" in box.text()
    assert "Never shared" in box.informativeText()
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)


def test_accepting_the_question_sets_the_drop_once(qtbot, tmp_path, monkeypatch):
    agent = make_agent(tmp_path, monkeypatch, "小王")
    data = pack_data("lead")
    data["team_drop"] = str(tmp_path / "share")
    install_pack(agent.store, parse_pack(data))
    assert pending_suggestion(agent.store) is not None

    def press_yes() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        box.button(QMessageBox.StandardButton.Yes).click()

    QTimer.singleShot(200, press_yes)
    assert ask_team_drop(agent.store) is True
    assert load_settings(agent.store).team_drop == str(tmp_path / "share")
    assert ask_team_drop(agent.store) is None  # asked once
