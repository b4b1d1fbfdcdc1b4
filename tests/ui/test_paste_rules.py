"""The paste rules through the recording KeySender seam (issue 18 rules 12-13; the real X11 paths
are tested end to end in tests/e2e/test_paste_safety.py and test_chromium_insertion.py)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QGuiApplication

from quickreply.core.library.model import Snippet
from quickreply.platform.clipboard import Clipboard
from quickreply.platform.clipboard_reads import MIN_HOLD_MS, PasteReads
from quickreply.platform.event_loop import wait_until
from quickreply.platform.inject import Injector, InsertRequest, Outcome
from tests.ui.fakes import RecordingKeys

TARGET = 0x0400_0012  # a window of the X client whose ids start at 0x0400_0000
MASK = 0x001F_FFFF


def keys_sent(injector: Injector) -> list[str]:
    """The keys that went out (modifier releases left aside)."""
    return [k for k in injector.keys.sent if k != "release-modifiers"]


@pytest.fixture
def injector(qapp):
    """An injector whose fake target never reads the clipboard (tests read it themselves)."""
    injector = Injector(RecordingKeys(reads_paste=False), Clipboard(), restore_timeout_ms=50)
    yield injector
    injector.flush()


def test_reads_by_other_clients_and_before_the_paste_keys_do_not_count():
    reads = PasteReads(TARGET, MASK)
    reads.note_request(0x0400_0001)
    reads.note_read("text/plain")  # before the paste keys: a clipboard manager's immediate read
    reads.open()
    reads.note_request(0x0060_0003)
    reads.note_read("text/plain")  # another client: a clipboard manager
    reads.note_request(0x0400_0001)  # TARGETS from the target: activity, not a read
    assert not reads.read and reads.foreign_reads == 1
    reads.note_request(0x0400_0001)
    reads.note_read("application/x-qt-image")  # not a text format
    assert not reads.read
    reads.note_request(0x0400_0001)
    reads.note_read("text/plain")
    assert reads.read and not reads.settled()  # held at least MIN_HOLD_MS after the read


def test_settled_once_the_target_was_quiet_for_the_minimum_hold(qapp):
    reads = PasteReads()
    reads.open()
    reads.note_read("text/plain;charset=utf-8")
    assert wait_until(reads.settled, MIN_HOLD_MS + 200)


def test_no_read_means_no_cursor_keys_no_enter_and_the_text_waits_for_a_late_read(injector):
    QGuiApplication.clipboard().setText("agent's text")
    outcome = injector.insert(InsertRequest("亲，您好", caret_left=2, auto_send=True))
    assert outcome.outcome is Outcome.NOT_READ and not outcome.happened
    assert keys_sent(injector) == ["ctrl+v"]
    assert QGuiApplication.clipboard().text() == "亲，您好"  # a late reader still gets it ...
    wait_until(lambda: False, MIN_HOLD_MS + 300)  # (polling the clipboard would be reading it)
    assert QGuiApplication.clipboard().text() == "agent's text"  # ... then it is restored


def test_next_insertion_restores_the_agents_clipboard_not_a_pending_snippet(injector):
    QGuiApplication.clipboard().setText("agent's text")
    injector.insert(InsertRequest("first"))  # not read: "first" is held for a late read
    injector.keys.reads_paste = True
    assert injector.insert(InsertRequest("second")).happened
    assert QGuiApplication.clipboard().text() == "agent's text"


def test_our_own_clipboard_reads_are_not_the_targets(injector):
    QGuiApplication.clipboard().setText("agent's text")
    reads = PasteReads()
    assert injector.clipboard.put_reporting_text("snippet", reads)
    reads.open()
    assert injector.clipboard.text() == "snippet"  # {{clipboard}} looks while ours is there
    injector.clipboard.snapshot()
    assert not reads.read
    QGuiApplication.clipboard().text()  # another reader
    assert reads.read


def test_focus_moved_elsewhere_sends_nothing(injector):
    QGuiApplication.clipboard().setText("agent's text")
    outcome = injector.insert(
        InsertRequest("亲，您好", auto_send=True, target=TARGET), focused=lambda: TARGET + 1
    )
    assert outcome.outcome is Outcome.FOCUS_LOST
    assert keys_sent(injector) == []
    assert QGuiApplication.clipboard().text() == "agent's text"


def test_typing_checks_the_focus_too(injector):
    outcome = injector.insert(InsertRequest("亲", mode="type", target=TARGET), focused=lambda: None)
    assert outcome.outcome is Outcome.FOCUS_LOST
    assert keys_sent(injector) == []


def test_clipboard_changed_by_another_program_mid_paste_sends_no_enter(injector):
    QGuiApplication.clipboard().setText("agent's text")

    class CopyingTarget(RecordingKeys):
        def send_combo(self, hotkey):
            super().send_combo(hotkey)
            QGuiApplication.clipboard().text()  # the target reads ...
            QGuiApplication.clipboard().setText("copied meanwhile")  # ... and someone copies

    injector.keys = CopyingTarget(reads_paste=False)
    outcome = injector.insert(InsertRequest("亲，您好", auto_send=True))
    assert outcome.outcome is Outcome.TAKEN
    assert "enter" not in injector.keys.sent
    assert QGuiApplication.clipboard().text() == "copied meanwhile"  # their copy is left alone


def test_controller_records_nothing_and_tells_the_agent_when_not_read(controller, qtbot):
    controller.injector.keys.reads_paste = False
    controller.injector.restore_timeout_ms = 20
    snippet = controller.store.add(
        Snippet(id=controller.store.new_snippet_id(), title="催付", body="亲，记得付款哦")
    )
    with qtbot.waitSignal(controller.error) as told:
        controller.insert(snippet, "hotkey")
    assert "催付" in told.args[0]
    assert controller.recorder.events == []
    controller.injector.flush()
