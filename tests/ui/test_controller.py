"""Controller behaviour through the recording KeySender seam (the real path is tested in e2e)."""

from __future__ import annotations

import time
from dataclasses import replace

from PySide6.QtGui import QGuiApplication

from quickreply.app.controller import Controller
from quickreply.core.library.model import Snippet
from quickreply.core.library.settings import load_settings, save_settings


def add(ctl: Controller, body: str, **kw) -> Snippet:
    return ctl.store.add(Snippet(id=ctl.store.new_snippet_id(), title="t", body=body, **kw))


def test_missing_values_ask_the_ui_then_insert(controller, qtbot):
    snippet = add(controller, "订单{{order}}已发货，{{choice:快递|顺丰|中通}}")
    with qtbot.waitSignal(controller.fields_needed) as asked:
        controller.insert(snippet, "hotkey")
    assert [f.key for f in asked.args[1]] == ["order", "快递"]
    assert controller.recorder.events == []
    with qtbot.waitSignal(controller.inserted):
        controller.insert(snippet, "hotkey", values={"order": "A1", "快递": "顺丰"})
    assert controller.recorder.events[0].chars == len("订单A1已发货，顺丰")


def test_cursor_and_auto_send_keys_follow_the_paste(controller):
    snippet = add(controller, "预计{{cursor}}送达", auto_send=True)
    controller.insert(snippet, "hotkey")
    keys = [k for k in controller.injector.keys.sent if k != "release-modifiers"]
    assert keys[-4:] == ["ctrl+v", "left", "left", "enter"]


def test_send_flag_overrides_auto_send(controller):
    snippet = add(controller, "x")
    controller.insert(snippet, "palette", send=True)
    assert controller.injector.keys.sent[-1] == "enter"


def test_type_mode_types_instead_of_pasting(controller):
    save_settings(controller.store, replace(load_settings(controller.store), insert_mode="type"))
    snippet = add(controller, "第一行\n第二行")
    controller.insert(snippet, "hotkey")
    # a line at a time, the new-line keys between (from the app rule, Shift+Enter by default)
    assert controller.injector.keys.sent[-3:] == ["type:第一行", "shift+enter", "type:第二行"]
    assert "ctrl+v" not in controller.injector.keys.sent


def test_clipboard_is_restored_after_paste(controller):
    QGuiApplication.clipboard().setText("agent's text")
    controller.insert(add(controller, "snippet text"), "hotkey")
    assert QGuiApplication.clipboard().text() == "agent's text"


def test_clipboard_placeholder_uses_the_clipboard_before_the_paste(controller):
    QGuiApplication.clipboard().setText("SF123456")
    snippet = add(controller, "单号：{{clipboard}}")
    assert controller.render_text(snippet) == "单号：SF123456"


def test_usage_event_has_ids_counts_and_timings_only(controller):
    snippet = add(controller, "您好，订单已发出")
    controller.insert(snippet, "tray", pick_ms=120.0, keys_typed=3)
    event = controller.recorder.events[0]
    assert event.snippet_id == snippet.id and event.trigger == "tray" and event.chars == 8
    assert event.inject_ms >= 0 and event.pick_ms == 120.0 and event.keys_typed == 3
    assert "您好" not in repr(event.to_dict())  # never the text


def test_wanted_hotkeys_cover_palette_categories_and_snippets(controller):
    add(controller, "x", hotkey="ctrl+shift+9")
    wanted = controller.wanted_hotkeys()
    assert wanted["ctrl+alt+space"].kind == "palette"
    assert wanted["alt+shift+6"].kind == "category"
    assert wanted["shift+f1"].target_id == "qr-default-zh/greeting-welcome"
    assert wanted["ctrl+shift+9"].kind == "snippet"


def test_failed_insertion_is_reported_not_raised(controller, qtbot):
    def broken(_hotkey):
        raise OSError("X connection lost")

    controller.injector.keys.send_combo = broken
    with qtbot.waitSignal(controller.error) as err:
        controller.insert(add(controller, "x"), "hotkey")
    assert "X connection lost" in err.args[0]


def test_shutdown_leaves_the_agents_clipboard_as_qt_made_data(controller):
    QGuiApplication.clipboard().setText("agent's text")
    controller.insert(add(controller, "snippet"), "hotkey")
    controller.shutdown()
    assert QGuiApplication.clipboard().text() == "agent's text"


def test_the_paste_waits_for_every_key_only_in_a_burst_of_presses(controller, monkeypatch):
    from quickreply.core.hotkey import parse_hotkey

    first = controller.store.add(
        Snippet(id="burst-1", title="一", body="第一条", hotkey="ctrl+alt+f7")
    )
    controller.store.add(Snippet(id="burst-2", title="二", body="第二条", hotkey="ctrl+alt+f8"))
    controller.register_hotkeys()
    asked = []
    monkeypatch.setattr(
        controller.injector.keys,
        "keys_down",
        lambda keys: asked.append(keys) or False,
    )
    now = time.perf_counter_ns()
    controller.insert(first, "hotkey", trigger_ns=now - 2_000_000)  # alone
    alone = asked[-1]
    assert alone is not None and parse_hotkey("ctrl+alt+f7").key not in alone
    assert parse_hotkey("ctrl+alt+f8").key in alone  # the other hotkey's key is waited for
    controller.insert(first, "hotkey", trigger_ns=now + 100_000_000)  # 100 ms after the last
    assert asked[-1] is None  # a burst: every key, modifiers too
