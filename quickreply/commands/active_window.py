"""`quickreply doctor --active-window`: the focused window and the app rule QuickReply applies."""

from __future__ import annotations

import time

from quickreply.commands.output import print_json
from quickreply.core.app_rules import match_rule, parse_rules
from quickreply.core.errors import QuickReplyError
from quickreply.core.i18n import tr
from quickreply.core.library.settings import load_settings
from quickreply.core.packs.defaults import open_library
from quickreply.platform.window import choose_window_tracker


def print_active_window(delay_s: float, as_json: bool) -> int:
    """Print the focused window's process, class and title, its rule and the resolved keys."""
    tracker = choose_window_tracker()
    if tracker is None:
        raise QuickReplyError(
            tr("this system cannot tell which window has the focus (no X display?)")
        )
    if delay_s > 0:
        print(
            tr(
                "reading the focused window in {seconds} s: click the chat window now",
                seconds=f"{delay_s:g}",
            ),
            flush=True,
        )
        time.sleep(delay_s)
    window = tracker.active_window()
    if window is None:
        raise QuickReplyError(tr("no window has the focus"))
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
    print(tr("process: {name}", name=window.process_name))
    print(tr("window class: {name}", name=window.window_class))
    print(tr("title: {title}", title=window.title))
    if behaviour.rule is None:
        print(tr("rule: none matches (the global settings apply)"))
    else:
        note = (
            tr(" (its process names are unconfirmed: correct them in Settings)")
            if data["rule_unconfirmed"]
            else ""
        )
        print(tr("rule: {rule}", rule=behaviour.rule) + note)
    print(
        tr(
            "paste keys: {paste}; send keys: {send}; new line: {newline}; insert mode: {mode}",
            paste=behaviour.paste_keys,
            send=behaviour.send_keys,
            newline=behaviour.newline_keys,
            mode=behaviour.insert_mode,
        )
    )
    on = {True: tr("on"), False: tr("off")}
    print(
        tr(
            "hotkeys: {hotkeys}; abbreviations: {abbreviations}",
            hotkeys=on[behaviour.hotkeys],
            abbreviations=on[behaviour.abbreviations],
        )
    )
    return 0
