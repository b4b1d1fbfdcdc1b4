"""The hotkey recorder: reserved combinations are refused, our hotkeys are suspended meanwhile,
and an insertion the target never took is not recorded."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from quickreply.core.library.model import Snippet
from quickreply.ui.hotkey_edit import HotkeyEdit
from quickreply.ui.snippet_editor import SnippetEditor

CTRL = Qt.KeyboardModifier.ControlModifier


def test_recorder_refuses_ctrl_v_and_keeps_the_old_combo(qtbot):
    edit = HotkeyEdit("ctrl+alt+1")
    qtbot.addWidget(edit)
    edit.show()
    edit.setFocus()
    with qtbot.waitSignal(edit.rejected) as rejected:
        qtbot.keyClick(edit, Qt.Key.Key_V, CTRL)
    assert "reserved" in rejected.args[0] and "paste" in rejected.args[0]
    assert edit.combo() == "ctrl+alt+1"


def test_paste_keys_recorder_accepts_ctrl_v(qtbot):
    edit = HotkeyEdit(allow_reserved=True)
    qtbot.addWidget(edit)
    edit.show()
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_V, CTRL)
    assert edit.combo() == "ctrl+v"


def test_recorder_focus_suspends_our_hotkeys_and_records_the_physical_combo(controller, qtbot):
    controller.register_hotkeys()
    combo = "shift+f1"  # a default snippet's hotkey
    assert controller.hotkeys.action(combo) is not None
    host = QWidget()
    qtbot.addWidget(host)
    editor = SnippetEditor(controller, controller.store)
    editor.load(controller.store.add(Snippet(id="s-new", title="新", body="x")))
    other = QLineEdit()
    layout = QVBoxLayout(host)
    layout.addWidget(editor)
    layout.addWidget(other)
    host.show()
    qtbot.waitExposed(host)
    host.activateWindow()
    editor.hotkey_edit.setFocus()
    qtbot.waitUntil(lambda: controller.hotkeys.suspended)
    assert controller.hotkeys.backend.grabbing is False  # the combination reaches the recorder
    assert controller.hotkeys.action(combo) is None  # and never fires a snippet
    qtbot.keyClick(editor.hotkey_edit, Qt.Key.Key_F1, Qt.KeyboardModifier.ShiftModifier)
    assert editor.hotkey_edit.combo() == combo
    other.setFocus()
    qtbot.waitUntil(lambda: not controller.hotkeys.suspended)
    assert controller.hotkeys.backend.grabbing is True
    assert controller.hotkeys.action(combo) is not None


def test_ending_a_recording_does_not_resume_paused_hotkeys(controller):
    controller.set_paused(True)
    controller.suspend_hotkeys(True)
    controller.suspend_hotkeys(False)
    assert controller.paused and controller.hotkeys.backend.grabbing is False
    controller.set_paused(False)
    assert controller.hotkeys.backend.grabbing is True


def test_a_paste_the_target_never_read_is_not_recorded_and_the_agent_is_told(controller, qtbot):
    controller.injector.keys.reads_paste = False
    snippet = controller.store.add(Snippet(id="s-x", title="问候", body="您好"))
    with qtbot.waitSignal(controller.error) as told:
        controller.insert(snippet, "hotkey")
    assert "问候" in told.args[0] and "may not have arrived" in told.args[0]
    assert controller.recorder.events == []


def test_a_paste_the_target_read_is_recorded(controller, qtbot):
    snippet = controller.store.add(Snippet(id="s-x", title="问候", body="您好"))
    with qtbot.waitSignal(controller.inserted):
        controller.insert(snippet, "hotkey")
    assert len(controller.recorder.events) == 1
