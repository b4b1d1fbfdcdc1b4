"""`quickreply doctor --active-window` against a real window of another process under Xvfb."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from quickreply.core.library.settings import load_settings, save_settings
from quickreply.core.packs.defaults import open_library

pytestmark = pytest.mark.e2e


def doctor(display: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "quickreply", "doctor", "--active-window", "--json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=dict(os.environ, DISPLAY=display),
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_active_window_shows_process_class_title_and_the_matching_rule(xvfb_display, target_window):
    seen = doctor(xvfb_display)
    assert seen["title"] == "QuickReply e2e target"
    assert seen["process"].startswith("python")
    assert seen["window_class"]
    assert seen["rule"] is None and seen["send_keys"] == "enter"
    store = open_library()
    settings = load_settings(store)
    rule = {"name": "测试聊天", "window_class": [seen["window_class"]], "send_key": "ctrl+enter"}
    save_settings(store, settings.__class__(**{**settings.to_stored(), "app_rules": [rule]}))
    seen = doctor(xvfb_display)
    assert (seen["rule"], seen["send_keys"], seen["paste_keys"]) == (
        "测试聊天",
        "ctrl+enter",
        "ctrl+v",
    )
