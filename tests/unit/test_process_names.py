"""Rule 16: process names normalised for per-app rules (any case, .exe optional)."""

from __future__ import annotations

import pytest

from quickreply.core.library.settings import Settings
from quickreply.core.process_names import normalize_process_name, same_process
from quickreply.core.usage.reply_speed import ComposeTracker


@pytest.mark.parametrize(
    "name",
    ["WeChat.exe", "wechat", "WECHAT.EXE", r"C:\Program Files\Tencent\WeChat\WeChat.exe", "/usr/bin/wechat", " wechat.exe "],
)  # fmt: skip
def test_spellings_of_one_app_normalise_alike(name: str) -> None:
    assert normalize_process_name(name) == "wechat"


def test_other_apps_stay_apart() -> None:
    assert not same_process("WeChat.exe", "WeChatApp.exe")
    assert normalize_process_name("exe") == "exe"
    assert normalize_process_name(".exe") == ""


def test_paste_keys_rule_matches_windows_and_linux_names() -> None:
    settings = Settings(app_paste_keys={"AliWorkbench.exe": "shift+insert"})
    assert settings.app_behaviour("aliworkbench").paste_keys == "shift+insert"
    assert settings.app_behaviour("ALIWORKBENCH.EXE").paste_keys == "shift+insert"
    assert settings.app_behaviour("chrome").paste_keys == "ctrl+v"
    assert settings.app_behaviour(None).paste_keys == "ctrl+v"


def test_reply_speed_chat_list_matches_normalised_names() -> None:
    tracker = ComposeTracker(chat_apps=["wechat"])
    tracker.key(False, 0, "WeChat.exe")
    composed = tracker.key(True, 1000, "WeChat.exe")
    assert composed is not None and composed.compose_ms == 1000
    assert tracker.key(False, 2000, "chrome.exe") is None and not tracker.composing
