"""The app rule is looked up once per insertion, after focus, and its keys reach the injector."""

from __future__ import annotations

from dataclasses import replace

from quickreply.core.library.model import Snippet
from quickreply.core.library.settings import load_settings, save_settings
from quickreply.platform.window import WindowInfo


class OneWindow:
    """A window tracker whose focused window is whatever the test says."""

    def __init__(self, window: WindowInfo) -> None:
        self.window = window
        self.lookups = 0

    def active_window(self) -> WindowInfo:
        self.lookups += 1
        return self.window

    def focused_handle(self) -> int:
        return self.window.handle

    def focus(self, window: WindowInfo) -> bool:
        self.window = window
        return True


def setup(controller, window, **settings):
    controller.windows = OneWindow(window)
    save_settings(controller.store, replace(load_settings(controller.store), **settings))
    snippet = Snippet(id="s-rule", title="Rule", body="亲，在的", auto_send=True)
    controller.store.add(snippet)
    return snippet


RULES = [
    {"name": "WeChat", "process": ["WeChat.exe"], "send_key": "ctrl+enter"},
    {"name": "Term", "window_class": ["XTerm"], "paste_keys": "ctrl+shift+v", "chat": False},
    {"name": "Quiet", "process": ["quiet"], "hotkeys": False},
]


def test_the_matching_rule_sets_paste_and_send_keys(controller):
    snippet = setup(controller, WindowInfo(1, "WeChat.exe", "微信"), app_rules=RULES)
    controller.insert(snippet, "palette")
    sent = [k for k in controller.injector.keys.sent if k != "release-modifiers"]
    assert sent[-2:] == ["ctrl+v", "ctrl+enter"]
    assert controller.last_insertion.rule == "WeChat"


def test_terminal_rule_pastes_with_ctrl_shift_v(controller):
    snippet = setup(controller, WindowInfo(2, "xterm", "bash", "XTerm"), app_rules=RULES)
    controller.insert(snippet, "palette")
    sent = [k for k in controller.injector.keys.sent if k != "release-modifiers"]
    assert sent[-2:] == ["ctrl+shift+v", "enter"]


def test_the_rule_is_looked_up_once_per_insertion(controller, monkeypatch):
    snippet = setup(controller, WindowInfo(1, "WeChat.exe", "微信"), app_rules=RULES)
    resolved = []
    real = controller.app_behaviour
    monkeypatch.setattr(controller, "app_behaviour", lambda w: resolved.append(w) or real(w))
    controller.insert(snippet, "palette")
    # the window is read twice (to settle the focus, then re-checked right before the paste
    # keys), but its rule is resolved once
    assert len(resolved) == 1


def test_hotkeys_are_ignored_where_the_rule_turns_them_off(controller):
    snippet = setup(controller, WindowInfo(3, "quiet", "x"), app_rules=RULES)
    controller.store.update(snippet.edited(hotkey="ctrl+alt+7"))
    controller.register_hotkeys()
    before = len(controller.recorder.events)
    controller._on_fired("ctrl+alt+7", 0)
    assert len(controller.recorder.events) == before
    controller.windows.window = WindowInfo(1, "WeChat.exe", "微信")
    controller._on_fired("ctrl+alt+7", 0)
    assert len(controller.recorder.events) == before + 1


def test_only_chat_apps_limits_hotkeys_to_chat_rules(controller):
    snippet = setup(
        controller, WindowInfo(2, "xterm", "bash", "XTerm"), app_rules=RULES, only_chat_apps=True
    )
    controller.store.update(snippet.edited(hotkey="ctrl+alt+7"))
    controller.register_hotkeys()
    controller._on_fired("ctrl+alt+7", 0)
    assert controller.recorder.events == []


def test_the_tray_tooltip_shows_the_rule_of_the_last_insertion(controller):
    from quickreply.ui.tray import Tray

    tray = Tray(controller)
    snippet = setup(controller, WindowInfo(1, "WeChat.exe", "微信"), app_rules=RULES)
    controller.insert(snippet, "palette")
    assert tray.icon.toolTip() == "QuickReply\nApp rule: WeChat"
    controller.windows.window = WindowInfo(4, "gedit", "notes")
    controller.insert(snippet, "palette")
    assert tray.icon.toolTip() == "QuickReply\nApp rule: none (default keys)"
