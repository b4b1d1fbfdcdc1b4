"""`quickreply settings list|get|set` and `doctor --active-window` without a display, as
subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys


def qr(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = dict(os.environ, **env)
    for name, value in env.items():
        if value == "":
            environment.pop(name)
    return subprocess.run(
        [sys.executable, "-m", "quickreply", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment,
        timeout=60,
    )


def test_settings_set_get_and_list():
    assert qr("settings", "get", "abbreviations").stdout.strip() == "off"
    for key, value in (
        ("abbreviations", "on"),
        ("abbreviation_end_key", "tab"),
        ("only_chat_apps", "on"),
        ("app_rules", '[{"name": "微信", "process": ["WeChat.exe"], "send_key": "ctrl+enter"}]'),
    ):
        out = qr("settings", "set", key, value)
        assert out.returncode == 0, out.stderr
    stored = json.loads(qr("settings", "list", "--json").stdout)
    assert stored["abbreviations"] == "on" and stored["abbreviation_end_key"] == "tab"
    assert stored["only_chat_apps"] is True
    assert stored["app_rules"][0]["send_key"] == "ctrl+enter"


def test_bad_settings_are_one_clear_line_and_nothing_changes():
    for args, message in (
        (("settings", "set", "abbreviations", "sometimes"), "abbreviations: use on or off"),
        (("settings", "set", "abbreviation_end_key", "enter"), "use space, tab or none"),
        (("settings", "set", "app_rules", '[{"name": "x"}]'), "give a process name"),
        (("settings", "set", "app_rules", "not json"), "give JSON"),
        (("settings", "set", "nosuch", "1"), "unknown setting 'nosuch'"),
    ):
        out = qr(*args)
        assert out.returncode == 2 and message in out.stderr, out.stderr
        assert len(out.stderr.strip().splitlines()) == 1
    assert qr("settings", "get", "abbreviations").stdout.strip() == "off"


def test_active_window_without_a_display_is_a_clear_error():
    out = qr("doctor", "--active-window", DISPLAY="", WAYLAND_DISPLAY="")
    assert out.returncode == 2
    assert "cannot tell which window has the focus" in out.stderr
