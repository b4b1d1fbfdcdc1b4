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
