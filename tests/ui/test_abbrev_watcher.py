"""The abbreviation watcher with a key-event source the test drives (the real one is tested end
to end under Xvfb): expansion through Controller.insert, undo, rules, focus, settings."""

from __future__ import annotations

from dataclasses import replace

import pytest

from quickreply.app.abbrev_watcher import AbbreviationWatcher
from quickreply.core.library.model import Snippet
from quickreply.core.library.settings import load_settings, save_settings
from quickreply.platform.keyevents import KeyEvent
from quickreply.platform.window import WindowInfo
from tests.ui.test_app_rules_insert import OneWindow


class DrivenSource:
    """A key-event source whose events the test sends."""

    def __init__(self) -> None:
        self.listeners = []

    def available(self):
        return True, "test"

    def add_listener(self, listener):
        self.listeners.append(listener)

    def remove_listener(self, listener):
        if listener in self.listeners:
            self.listeners.remove(listener)


@pytest.fixture
def watcher(controller, qtbot):
    controller.windows = OneWindow(WindowInfo(1, "WeChat.exe", "微信"))
    controller.store.add(Snippet(id="s-hy", title="欢迎", body="亲，您好！", abbrev=";hy"))
    controller.store.add(Snippet(id="s-ask", title="问单号", body="单号 {{order}}", abbrev=";dh"))
    save_settings(controller.store, replace(load_settings(controller.store), abbreviations="on"))
    source = DrivenSource()
    watch = AbbreviationWatcher(controller, source)
    assert watch.follow_settings()[0]
    watch.t = 10_000
    return watch


def send(watch: AbbreviationWatcher, text: str) -> None:
    for char in text:
        watch.t += 1000  # far apart: never inside a quiet time
        kind = {" ": "space", "\t": "tab", "\b": "backspace", "\n": "enter"}.get(char, "char")
        event = KeyEvent(kind, watch.t, char if kind == "char" else "")
        for listener in list(watch.source.listeners):
            listener(event)


def test_typed_abbreviation_is_erased_and_inserted_through_the_controller(watcher, controller):
    send(watcher, "ok ;hy ")
    keys = controller.injector.keys.sent
    assert keys[-6:-1] == ["release-modifiers", *["backspace"] * 4]
    assert keys[-1] == "ctrl+v"
    assert controller.last_insertion.trigger == "abbreviation"
    assert controller.recorder.events == []  # held until it can no longer be undone
    controller._release_held_event()
    event = controller.recorder.events[-1]
    assert (event.trigger, event.keys_typed, event.snippet_id) == ("abbreviation", 4, "s-hy")


def test_backspace_right_after_undoes_and_records_the_event_marked_undone(
    watcher, controller, qtbot
):
    send(watcher, ";hy ")
    watcher.t = watcher._undo[0] + 500
    send(watcher, "\b")
    qtbot.waitUntil(lambda: controller.injector.keys.sent[-1] == "type:;hy ", timeout=2000)
    assert controller.injector.keys.sent[-5:-1] == ["backspace"] * 4  # 5 chars, 1 already gone
    controller._release_held_event()
    [event] = controller.recorder.events  # written once, at the undo
    assert (event.trigger, event.snippet_id, event.undone) == ("abbreviation", "s-hy", True)


def test_snippets_that_ask_for_values_are_not_expanded(watcher, controller):
    send(watcher, ";dh ")
    assert controller.last_insertion is None


def test_no_expansion_where_the_app_rule_turns_abbreviations_off(watcher, controller):
    rules = [{"name": "Quiet", "process": ["WeChat.exe"], "abbreviations": False}]
    save_settings(controller.store, replace(load_settings(controller.store), app_rules=rules))
    send(watcher, ";hy ")
    assert controller.last_insertion is None


def test_a_focus_change_while_typing_stops_it(watcher, controller):
    send(watcher, ";h")
    controller.windows.window = WindowInfo(2, "WeChat.exe", "另一个窗口")
    send(watcher, "y ")
    assert controller.last_insertion is None


def test_turning_the_setting_off_stops_listening(watcher, controller):
    save_settings(controller.store, replace(load_settings(controller.store), abbreviations="off"))
    assert watcher.source.listeners == [] and not watcher.running


class Blocked:
    def __init__(self, reason):
        self.reason = reason

    def blocks_expansion(self):
        return self.reason


@pytest.mark.parametrize("reason", ["password field", "input method composing"])
def test_no_expansion_where_the_platform_says_password_or_composing(watcher, controller, reason):
    watcher.input_state = Blocked(reason)
    send(watcher, ";hy ")
    assert controller.last_insertion is None
    watcher.input_state = Blocked(None)
    send(watcher, ";hy ")
    assert controller.last_insertion is not None


def test_the_platform_probe_never_blocks_where_it_cannot_tell():
    import sys

    from quickreply.platform.input_state import UnknownInputState, choose_input_state

    assert UnknownInputState().blocks_expansion() is None
    if sys.platform != "win32":
        assert isinstance(choose_input_state(), UnknownInputState)


def test_watcher_and_reply_speed_counter_share_one_key_event_source(controller):
    from quickreply.platform.keycount import choose_key_counter
    from quickreply.platform.keyevents import shared_key_events

    watcher = AbbreviationWatcher(controller)
    assert watcher.source is shared_key_events()
    assert choose_key_counter().source is shared_key_events()
