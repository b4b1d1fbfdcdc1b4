"""Per-application rules: pure matching, resolution against the defaults, validation."""

from __future__ import annotations

from dataclasses import replace

import pytest

from quickreply.core.app_rules import (
    DEFAULT_RULES,
    AppRule,
    Defaults,
    default_rule_dicts,
    match_rule,
    parse_rules,
    resolve,
    rule_problems,
)
from quickreply.core.errors import ValidationError
from quickreply.core.library.settings import Settings, validate_settings

WECHAT = AppRule("WeChat", process=("WeChat.exe", "wechat"), send_key="ctrl+enter")
TERMINAL = AppRule("Terminal", window_class=("XTerm",), paste_keys="ctrl+shift+v", chat=False)
WEB = AppRule("Web", process=("chrome",), title=r"千牛|客服")


def test_process_names_match_in_any_case_with_or_without_exe():
    assert WECHAT.matches("wechat.exe")
    assert WECHAT.matches("WeChat")
    assert not WECHAT.matches("wechatapp.exe")


def test_every_given_criterion_must_match_and_the_first_rule_wins():
    assert WEB.matches("chrome", "Google-chrome", "千牛接待中心 - Google Chrome")
    assert not WEB.matches("chrome", "", "新闻 - Google Chrome")
    catch_all = AppRule("Any chrome", process=("chrome",))
    assert match_rule([WEB, catch_all], "chrome", "", "千牛") is WEB
    assert match_rule([catch_all, WEB], "chrome", "", "千牛") is catch_all
    assert not AppRule("empty").matches("anything")


def test_resolve_takes_the_rule_then_the_per_app_paste_keys_then_the_defaults():
    defaults = Defaults(app_paste_keys={"dingtalk.exe": "shift+insert"})
    wechat = resolve([WECHAT, TERMINAL], defaults, "WeChat.exe")
    assert (wechat.rule, wechat.send_keys, wechat.paste_keys) == ("WeChat", "ctrl+enter", "ctrl+v")
    term = resolve([WECHAT, TERMINAL], defaults, "xterm", "XTerm")
    assert (term.rule, term.paste_keys, term.send_keys) == ("Terminal", "ctrl+shift+v", "enter")
    ding = resolve([WECHAT], defaults, "DingTalk.exe")
    assert (ding.rule, ding.paste_keys, ding.newline_keys) == (None, "shift+insert", "shift+enter")
    unknown = resolve([WECHAT], defaults, None)
    assert unknown.rule is None and unknown.hotkeys and unknown.abbreviations


def test_only_chat_apps_switches_hotkeys_and_abbreviations_off_elsewhere():
    defaults = Defaults(only_chat_apps=True)
    assert resolve([WECHAT, TERMINAL], defaults, "wechat").hotkeys
    assert not resolve([WECHAT, TERMINAL], defaults, "xterm", "XTerm").hotkeys
    other = resolve([WECHAT, TERMINAL], defaults, "gedit")
    assert not other.hotkeys and not other.abbreviations
    quiet = replace(WECHAT, abbreviations=False)
    assert resolve([quiet], Defaults(), "wechat").abbreviations is False


def test_default_rules_cover_the_chat_clients_and_mark_unconfirmed_names():
    names = " ".join(r.name for r in DEFAULT_RULES)
    for client in ("千牛", "京麦", "拼多多", "飞鸽", "企业微信", "微信", "钉钉", "Web chat"):
        assert client in names
    assert {r.name for r in DEFAULT_RULES if r.unconfirmed} == {
        "京麦 JD Jingmai",
        "拼多多商家工作台 Pinduoduo",
        "抖店飞鸽 Doudian Feige",
    }
    assert rule_problems(default_rule_dicts()) == []
    assert parse_rules(default_rule_dicts()) == list(DEFAULT_RULES)
    assert match_rule(DEFAULT_RULES, "AliWorkBench.exe").name.startswith("千牛")


@pytest.mark.parametrize(
    ("rule", "problem"),
    [
        ({"process": ["x"]}, "needs a name"),
        ({"name": "a"}, "give a process name, a window class or a title pattern"),
        ({"name": "a", "title": "("}, r"title pattern '\(' is not valid"),
        ({"name": "a", "process": ["x"], "send_key": "space"}, "send_key must be one of"),
        ({"name": "a", "process": ["x"], "paste_keys": "ctrl+p"}, "paste_keys must be one of"),
        ({"name": "a", "process": ["x"], "insert_mode": "fast"}, "insert_mode must be one of"),
        ({"name": "a", "process": "wechat"}, "process must be a list of names"),
        ({"name": "a", "process": ["x"], "hotkeys": "no"}, "hotkeys must be true or false"),
        ({"name": "a", "process": ["x"], "colour": "red"}, "unknown field 'colour'"),
    ],
)
def test_bad_rules_are_refused_by_validate_settings(rule, problem):
    with pytest.raises(ValidationError, match=problem):
        validate_settings(Settings(app_rules=[rule]))


def test_shift_insert_is_a_valid_paste_key_and_send_keys_are_checked():
    validate_settings(Settings(paste_keys="shift+insert"))
    with pytest.raises(ValidationError, match="paste_keys"):
        validate_settings(Settings(paste_keys="v"))
    with pytest.raises(ValidationError, match="send_keys"):
        validate_settings(Settings(send_keys="space"))
