"""Per-application rules: how QuickReply behaves in the focused window's application.

A rule matches a window by process name, window class and/or a title pattern (every one given
must match; the first matching rule wins, as in Espanso's app-specific configs) and can set the
paste keys, the key that sends a message (auto-send), the key that makes a new line when typing,
the insert mode, and whether hotkeys and typed abbreviations are active there. "Only in chat
applications" limits QuickReply to the windows of rules marked `chat`.

The controller resolves the rule once per insertion, after focus is settled, and carries the
result (`AppBehaviour`) in the insert request. Pure Python: no window system here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, get_args

from quickreply.core.errors import ValidationError
from quickreply.core.hotkey import parse_keys
from quickreply.core.process_names import normalize_process_name, same_process

InsertMode = Literal["paste", "type"]
SendKeys = Literal["enter", "ctrl+enter"]  # what auto-send presses
NewlineKeys = Literal["shift+enter", "ctrl+enter"]  # a new line while typing
SEND_KEYS: tuple[SendKeys, ...] = get_args(SendKeys)
NEWLINE_KEYS: tuple[NewlineKeys, ...] = get_args(NewlineKeys)
PASTE_KEYS = ("ctrl+v", "shift+insert", "ctrl+shift+v")
INSERT_MODES: tuple[InsertMode, ...] = get_args(InsertMode)
# images of a snippet: one paste each, one combined HTML paste, or left out (clients that refuse them)
ImagePasteMode = Literal["separate", "combined", "text_only"]
IMAGE_PASTE_MODES: tuple[ImagePasteMode, ...] = ("separate", "combined", "text_only")
_RULE_FIELDS = (
    "name", "process", "window_class", "title", "paste_keys", "send_key", "newline_key",
    "insert_mode", "hotkeys", "abbreviations", "chat", "unconfirmed", "image_paste_mode",
)  # fmt: skip


@dataclass(frozen=True)
class AppRule:
    """One application's behaviour. None for a key: the global setting applies."""

    name: str
    process: tuple[str, ...] = ()  # process names, any case, ".exe" optional
    window_class: tuple[str, ...] = ()  # X11 WM_CLASS class / Win32 window class
    title: str = ""  # a regular expression searched in the window title, any case
    paste_keys: str | None = None
    send_key: str | None = None
    newline_key: str | None = None
    insert_mode: InsertMode | None = None
    hotkeys: bool = True
    abbreviations: bool = True
    chat: bool = True  # counts as a chat application for "only in chat applications"
    unconfirmed: bool = False  # process names not confirmed from public documentation
    image_paste_mode: ImagePasteMode | None = None

    def matches(self, process: str, window_class: str = "", title: str = "") -> bool:
        """Whether a window of `process` with this class and title is one of this rule's."""
        if not (self.process or self.window_class or self.title):
            return False
        if self.process and normalize_process_name(process) not in {
            normalize_process_name(p) for p in self.process
        }:
            return False
        if self.window_class and window_class.lower() not in {c.lower() for c in self.window_class}:
            return False
        return not self.title or re.search(self.title, title, re.IGNORECASE) is not None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form kept in settings."""
        data = asdict(self)
        data["process"] = list(self.process)
        data["window_class"] = list(self.window_class)
        return data


@dataclass(frozen=True)
class AppBehaviour:
    """What one insertion does in the focused application (the resolved rule and defaults)."""

    rule: str | None  # the matching rule's name, None when no rule matched
    paste_keys: str
    send_keys: str
    newline_keys: str
    insert_mode: InsertMode
    hotkeys: bool = True
    abbreviations: bool = True
    image_paste_mode: ImagePasteMode = "separate"


@dataclass(frozen=True)
class Defaults:
    """The global settings a rule falls back to."""

    paste_keys: str = "ctrl+v"
    send_keys: str = "enter"
    newline_keys: str = "shift+enter"
    insert_mode: InsertMode = "paste"
    only_chat_apps: bool = False
    app_paste_keys: Mapping[str, str] = field(default_factory=dict)
    image_paste_mode: ImagePasteMode = "separate"


def match_rule(
    rules: Iterable[AppRule], process: str, window_class: str = "", title: str = ""
) -> AppRule | None:
    """Return the first rule matching the window, or None."""
    return next((r for r in rules if r.matches(process, window_class, title)), None)


def resolve(
    rules: Iterable[AppRule],
    defaults: Defaults,
    process: str | None,
    window_class: str = "",
    title: str = "",
) -> AppBehaviour:
    """Return how to insert into the window (None process: the platform cannot tell)."""
    rule = match_rule(rules, process, window_class, title) if process is not None else None
    legacy = (
        next(
            (keys for name, keys in defaults.app_paste_keys.items() if same_process(name, process)),
            None,
        )
        if process
        else None
    )
    allowed = rule is not None and rule.chat if defaults.only_chat_apps else True
    return AppBehaviour(
        rule=rule.name if rule else None,
        paste_keys=(rule.paste_keys if rule else None) or legacy or defaults.paste_keys,
        send_keys=(rule.send_key if rule else None) or defaults.send_keys,
        newline_keys=(rule.newline_key if rule else None) or defaults.newline_keys,
        insert_mode=(rule.insert_mode if rule else None) or defaults.insert_mode,
        hotkeys=allowed and (rule.hotkeys if rule else True),
        abbreviations=allowed and (rule.abbreviations if rule else True),
        image_paste_mode=(rule.image_paste_mode if rule else None) or defaults.image_paste_mode,
    )


def rule_problems(raw: Any) -> list[str]:
    """Return every problem of a stored rule list, each naming the rule; empty when valid."""
    if not isinstance(raw, list):
        return ["app_rules: must be a list of rules"]
    problems: list[str] = []
    for index, item in enumerate(raw):
        where = f"app_rules[{index + 1}]"
        if not isinstance(item, dict):
            problems.append(f"{where}: must be a mapping with a name and what it matches")
            continue
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            problems.append(f"{where}: needs a name")
        else:
            where = f"app rule '{name}'"
        unknown = sorted(set(item) - set(_RULE_FIELDS))
        if unknown:
            problems.append(f"{where}: unknown field '{unknown[0]}'")
        for key in ("process", "window_class"):
            value = item.get(key, [])
            if not isinstance(value, list) or not all(
                isinstance(v, str) and v.strip() for v in value
            ):
                problems.append(f"{where}: {key} must be a list of names")
        title = item.get("title", "")
        if not isinstance(title, str):
            problems.append(f"{where}: title must be a text pattern")
        else:
            try:
                re.compile(title)
            except re.error as exc:
                problems.append(f"{where}: title pattern '{title}' is not valid ({exc})")
        if not (item.get("process") or item.get("window_class") or item.get("title")):
            problems.append(f"{where}: give a process name, a window class or a title pattern")
        for key, allowed in (
            ("paste_keys", PASTE_KEYS),
            ("send_key", SEND_KEYS),
            ("newline_key", NEWLINE_KEYS),
            ("insert_mode", INSERT_MODES),
        ):
            value = item.get(key)
            if value is not None and _canonical(value) not in allowed:
                problems.append(f"{where}: {key} must be one of {', '.join(allowed)}")
        image_mode = item.get("image_paste_mode")
        if image_mode is not None and image_mode not in IMAGE_PASTE_MODES:
            problems.append(
                f"{where}: image_paste_mode must be one of {', '.join(IMAGE_PASTE_MODES)}"
            )
        for key in ("hotkeys", "abbreviations", "chat", "unconfirmed"):
            if key in item and not isinstance(item[key], bool):
                problems.append(f"{where}: {key} must be true or false")
    return problems


def _canonical(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    if value in INSERT_MODES:
        return value
    try:
        return str(parse_keys(value))
    except ValidationError:
        return None


def parse_rules(raw: Sequence[Any]) -> list[AppRule]:
    """Return the rules of a stored list (validate it first: invalid entries are left out)."""
    rules = []
    for item in raw:
        if not isinstance(item, dict) or rule_problems([item]):
            continue
        rules.append(
            AppRule(
                name=str(item["name"]).strip(),
                process=tuple(item.get("process", [])),
                window_class=tuple(item.get("window_class", [])),
                title=str(item.get("title", "")),
                paste_keys=_canonical(item.get("paste_keys")) if item.get("paste_keys") else None,
                send_key=_canonical(item.get("send_key")) if item.get("send_key") else None,
                newline_key=_canonical(item.get("newline_key"))
                if item.get("newline_key")
                else None,
                insert_mode=item.get("insert_mode") or None,
                hotkeys=bool(item.get("hotkeys", True)),
                abbreviations=bool(item.get("abbreviations", True)),
                chat=bool(item.get("chat", True)),
                unconfirmed=bool(item.get("unconfirmed", False)),
                image_paste_mode=item.get("image_paste_mode") or None,
            )
        )
    return rules


# The chat clients our agents use. Process names marked unconfirmed could not be checked against
# public documentation: users correct them in Settings (`quickreply doctor --active-window` shows
# the real name). Web chats run in a browser and are matched by their window title.
DEFAULT_RULES: tuple[AppRule, ...] = (
    AppRule("千牛工作台 Qianniu", process=("AliWorkBench.exe", "aliworkbench")),
    AppRule("京麦 JD Jingmai", process=("jingmai.exe", "JMWorkbench.exe"), unconfirmed=True),
    AppRule(
        "拼多多商家工作台 Pinduoduo",
        process=("PddWorkbench.exe", "pddmerchant.exe"),
        unconfirmed=True,
    ),
    AppRule("抖店飞鸽 Doudian Feige", process=("feige.exe", "doudian.exe"), unconfirmed=True),
    AppRule("企业微信 WeCom", process=("WXWork.exe", "wxwork")),
    AppRule("微信 WeChat", process=("WeChat.exe", "Weixin.exe", "wechat")),
    AppRule("钉钉 DingTalk", process=("DingTalk.exe", "dingtalk")),
    AppRule(
        "网页客服 Web chat (browser)",
        process=(
            "chrome.exe",
            "msedge.exe",
            "firefox.exe",
            "360se.exe",
            "QQBrowser.exe",
            "SogouExplorer.exe",
            "chrome",
            "chromium",
            "firefox",
        ),
        title=r"千牛|京麦|拼多多|飞鸽|抖店|咚咚|客服|工作台|jinritemai|workbench",
    ),  # fmt: skip
    AppRule(
        "终端 Terminals",
        process=(
            "gnome-terminal-server",
            "konsole",
            "xterm",
            "xfce4-terminal",
            "tilix",
            "WindowsTerminal.exe",
        ),
        paste_keys="ctrl+shift+v",
        chat=False,
    ),  # fmt: skip
)


def default_rule_dicts() -> list[dict[str, Any]]:
    """Return the default rules in their stored form (the `app_rules` setting's default)."""
    return [rule.to_dict() for rule in DEFAULT_RULES]
