"""`quickreply doctor --active-window`: the focused window and the app rule QuickReply applies."""

from __future__ import annotations

import time

from quickreply.commands.output import print_json
from quickreply.core.app_rules import match_rule, parse_rules
from quickreply.core.errors import QuickReplyError
from quickreply.core.library.settings import load_settings
from quickreply.core.packs.defaults import open_library
from quickreply.platform.window import choose_window_tracker


def print_active_window(delay_s: float, as_json: bool) -> int:
    """Print the focused window's process, class and title, its rule and the resolved keys."""
    tracker = choose_window_tracker()
    if tracker is None:
        raise QuickReplyError("this system cannot tell which window has the focus (no X display?)")
    if delay_s > 0:
        print(f"reading the focused window in {delay_s:g} s: click the chat window now", flush=True)
        time.sleep(delay_s)
    window = tracker.active_window()
    if window is None:
        raise QuickReplyError("no window has the focus")
    settings = load_settings(open_library())
    behaviour = settings.app_behaviour(window.process_name, window.window_class, window.title)
    rule = match_rule(
        parse_rules(settings.app_rules), window.process_name, window.window_class, window.title
    )
    data = {
        "process": window.process_name,
        "window_class": window.window_class,
        "title": window.title,
        "rule": behaviour.rule,
        "rule_unconfirmed": bool(rule and rule.unconfirmed),
        "paste_keys": behaviour.paste_keys,
        "send_keys": behaviour.send_keys,
        "newline_keys": behaviour.newline_keys,
        "insert_mode": behaviour.insert_mode,
        "hotkeys": behaviour.hotkeys,
        "abbreviations": behaviour.abbreviations,
    }
    if as_json:
        print_json(data)
        return 0
    print(f"process: {window.process_name}")
    print(f"window class: {window.window_class}")
    print(f"title: {window.title}")
    if behaviour.rule is None:
        print("rule: none matches (the global settings apply)")
    else:
        note = (
            " (its process names are unconfirmed: correct them in Settings)"
            if data["rule_unconfirmed"]
            else ""
        )
        print(f"rule: {behaviour.rule}{note}")
    print(
        f"paste keys: {behaviour.paste_keys}; send keys: {behaviour.send_keys}; new line: "
        f"{behaviour.newline_keys}; insert mode: {behaviour.insert_mode}"
    )
    on = {True: "on", False: "off"}
    print(f"hotkeys: {on[behaviour.hotkeys]}; abbreviations: {on[behaviour.abbreviations]}")
    return 0
