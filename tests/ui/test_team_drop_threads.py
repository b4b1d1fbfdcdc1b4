"""Team drop in the dialogs (offscreen): WebDAV credentials in Settings, and every read of the
drop on a worker thread while the main thread keeps running its event loop."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import keyring
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog

import quickreply.app.drop_access as drop_access
import quickreply.core.team.location as location_module
from quickreply.core.library.settings import load_settings
from quickreply.core.team.drop import DayRef, FolderDrop, TeamDrop
from quickreply.platform.credentials import SERVICE
from quickreply.ui.pack_dialogs import TeamReportDialog
from quickreply.ui.settings_dialog import SettingsDialog
from tests.davserver import DavServer
from tests.unit.team.agents import make_agent
from tests.unit.team.test_team_webdav import MemoryKeyring

PASSWORD = "秘密-pass"


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(previous)


class HeldDrop:
    """A real drop whose listing waits until the test lets it go (the slow network seam)."""

    def __init__(self, drop: TeamDrop) -> None:
        self.drop = drop
        self.location = drop.location
        self.release = threading.Event()
        self.threads: list[str] = []

    def _hold(self) -> None:
        self.threads.append(threading.current_thread().name)
        assert self.release.wait(20), "the test never released the drop"

    def put(self, agent_id, day, data) -> None:
        self.drop.put(agent_id, day, data)

    def list_days(self) -> Iterator[DayRef]:
        self._hold()
        return self.drop.list_days()

    def read(self, ref: DayRef, limit: int | None = None) -> bytes:
        return self.drop.read(ref, limit)

    def probe(self) -> int:
        self._hold()
        return self.drop.probe()


def main_thread_ticks(qtbot, count: int = 3) -> None:
    """Wait until a main-thread timer fired `count` times (it cannot while the thread is blocked)."""
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    qtbot.waitUntil(lambda: len(ticks) >= count, timeout=10_000)
    timer.stop()


@pytest.fixture
def settings_dialog(controller, qtbot) -> SettingsDialog:
    dialog = SettingsDialog(controller, controller.store)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_webdav_password_goes_to_the_keyring_only_and_the_test_uses_it(
    settings_dialog, controller, qtbot, tmp_path, memory_keyring
):
    server = DavServer(tmp_path / "dav-root", users={"wang": PASSWORD}).start()
    try:
        fields = settings_dialog.team_credentials
        settings_dialog.team_drop.setText(server.url)
        fields.user.setText("wang")
        fields.password.setText("错的-pw-9371")
        with qtbot.waitSignal(fields.call.failed, timeout=20_000):
            assert fields.test()
        assert "password refused" in fields.status.text()
        fields.password.setText(PASSWORD)
        assert settings_dialog.save()
        stored = load_settings(controller.store)
        assert (stored.team_drop, stored.team_drop_user) == (server.url, "wang")
        assert memory_keyring.entries == {(SERVICE, f"wang@{server.url}"): PASSWORD}
        library = (controller.store.path).read_text(encoding="utf-8")
        assert PASSWORD not in library and "错的-pw-9371" not in library
        again = SettingsDialog(controller, controller.store)
        qtbot.addWidget(again)
        assert again.team_credentials.user.text() == "wang"
        assert again.team_credentials.password.text() == ""  # stored: never shown
        with qtbot.waitSignal(again.team_credentials.call.done, timeout=20_000):
            again.team_credentials.test()  # the keyring's password, read on the worker
        assert again.team_credentials.status.text() == "Connected: 0 agent folders in the team drop"
    finally:
        server.stop()


def test_connection_test_runs_off_the_main_thread(settings_dialog, qtbot, tmp_path, monkeypatch):
    (tmp_path / "share" / "agent-0001").mkdir(parents=True)
    held = HeldDrop(FolderDrop(tmp_path / "share"))
    monkeypatch.setattr(drop_access, "open_drop", lambda *_args: held)
    fields = settings_dialog.team_credentials
    settings_dialog.team_drop.setText(str(tmp_path / "share"))
    assert fields.test()
    assert fields.status.text() == "Connecting…" and not fields.test_button.isEnabled()
    main_thread_ticks(qtbot)  # the drop is still held: the main thread runs on
    with qtbot.waitSignal(fields.call.done, timeout=20_000):
        held.release.set()
    assert fields.status.text() == "Connected: 1 agent folder in the team drop"
    assert fields.test_button.isEnabled()
    assert held.threads == ["quickreply-team-drop"]


def test_empty_location_is_said_and_nothing_starts(settings_dialog):
    settings_dialog.team_drop.setText("")
    assert not settings_dialog.team_credentials.test()
    assert "first" in settings_dialog.team_credentials.status.text()


def test_team_report_reads_the_drop_off_the_main_thread(qtbot, tmp_path, monkeypatch):
    share = FolderDrop(tmp_path / "share")
    share.root.mkdir()
    wang, li = make_agent(tmp_path, monkeypatch, "小王"), make_agent(tmp_path, monkeypatch, "小李")
    wang.use(4)
    li.use(6)
    wang.publish(share)
    li.publish(share)
    held = HeldDrop(share)
    monkeypatch.setattr(location_module, "open_drop", lambda *_args: held)
    dialog = TeamReportDialog()
    qtbot.addWidget(dialog)
    dialog.open_check.setChecked(False)
    dialog.drop_edit.setText(str(share.root))
    dialog.output_edit.setText(str(tmp_path / "team.html"))
    assert dialog.generate() is None
    assert dialog.error.text() == "Reading the team drop…"
    assert not dialog.create_button.isEnabled()
    main_thread_ticks(qtbot)
    assert dialog.report is None
    with qtbot.waitSignal(dialog.drop_call.done, timeout=20_000):
        held.release.set()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert {a.agent: a.uses for a in dialog.report.agents} == {wang.label: 4, li.label: 6}
    assert dialog.drop_counts.read == 2 and (tmp_path / "team.html").exists()
    assert held.threads == ["quickreply-team-drop"]


def test_cancel_while_the_drop_is_read_keeps_no_report(qtbot, tmp_path, monkeypatch):
    share = FolderDrop(tmp_path / "share")
    share.root.mkdir()
    held = HeldDrop(share)
    monkeypatch.setattr(location_module, "open_drop", lambda *_args: held)
    dialog = TeamReportDialog()
    qtbot.addWidget(dialog)
    dialog.drop_edit.setText(str(share.root))
    dialog.output_edit.setText(str(tmp_path / "team.html"))
    dialog.generate()
    dialog.reject()
    with qtbot.waitSignal(dialog.drop_call.done, timeout=20_000):
        held.release.set()
    assert dialog.report is None and dialog.result() == QDialog.DialogCode.Rejected
