"""A Wayland session's limit (hotkeys and pasting reach XWayland windows only) is detected, told
once as a tray message, listed while it holds, and printed by `quickreply doctor` (issue 12
item 8)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from quickreply.app.limit_notice import limits_to_tell
from quickreply.core import i18n
from quickreply.core.packs.defaults import open_library
from quickreply.platform.session_limits import is_wayland_session, session_limits


@pytest.mark.parametrize(
    "environ",
    [
        {"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"},
        {"XDG_SESSION_TYPE": "wayland", "DISPLAY": ":0"},
        {"XDG_SESSION_TYPE": "Wayland"},
    ],
)
def test_a_wayland_session_is_a_limit(environ: dict[str, str]) -> None:
    assert is_wayland_session(environ)
    (limit,) = session_limits(environ, platform="linux")
    assert "XWayland" in limit and "Xorg" in limit


@pytest.mark.parametrize(
    ("environ", "platform"),
    [
        ({"DISPLAY": ":0", "XDG_SESSION_TYPE": "x11"}, "linux"),
        ({}, "linux"),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "win32"),
    ],
)
def test_x11_and_windows_have_none(environ: dict[str, str], platform: str) -> None:
    assert session_limits(environ, platform=platform) == []


def test_the_limit_is_worded_in_chinese() -> None:
    i18n.set_language("zh-CN")
    try:
        (limit,) = session_limits({"WAYLAND_DISPLAY": "wayland-0"}, platform="linux")
    finally:
        i18n.set_language("en")
    assert limit.startswith("当前是 Wayland 会话")


def test_told_as_a_message_only_the_first_time() -> None:
    store = open_library()
    limits = session_limits({"WAYLAND_DISPLAY": "wayland-0"}, platform="linux")
    assert limits_to_tell(store, limits) == limits
    assert limits_to_tell(store, limits) == []
    assert limits_to_tell(open_library(), limits) == []  # remembered in the library
    assert limits_to_tell(store, []) == []


def test_doctor_prints_the_limit() -> None:
    env = {**os.environ, "WAYLAND_DISPLAY": "wayland-0", "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "quickreply", "doctor"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env=env,
    )
    lines = [line for line in done.stdout.splitlines() if "] session:" in line]
    assert len(lines) == 1 and lines[0].startswith("[warn] session: Wayland session"), done.stdout


def test_features_switched_on_that_cannot_run_are_problems() -> None:
    from dataclasses import replace

    from quickreply.app.limit_notice import feature_problems
    from quickreply.core.library.settings import Settings

    wayland = (False, "Wayland does not let applications see key presses in other windows")
    on = replace(Settings(), abbreviations="on", reply_speed_tracking=True)
    assert feature_problems(Settings(), wayland, wayland) == []  # both off: nothing to say
    assert feature_problems(on, (True, "running"), (True, "running")) == []
    abbreviations, reply_speed = feature_problems(on, wayland, wayland)
    assert abbreviations.startswith("Typed abbreviations are on but cannot work here: Wayland")
    assert reply_speed.startswith("Reply speed is on but cannot be measured here: Wayland")
    i18n.set_language("zh-CN")
    try:
        (shown, _speed) = feature_problems(on, wayland, wayland)
    finally:
        i18n.set_language("en")
    assert shown == "输入简写已打开，但在这里无法使用：Wayland 不允许程序看到其他窗口中的按键"
