"""`quickreply settings list|get|set`, run as real subprocesses."""

from __future__ import annotations

import json
from pathlib import Path

from quickreply.core.library.settings import Settings
from tests.cli.test_cli import qr


def test_set_then_get_agent_name():
    out = qr("settings", "set", "agent_name", "小王")
    assert out.returncode == 0, out.stderr
    assert "agent_name = 小王" in out.stderr
    assert qr("settings", "get", "agent_name").stdout.strip() == "小王"


def test_list_json_has_every_setting_and_the_agent_id():
    out = qr("settings", "list", "--json")
    data = json.loads(out.stdout)
    assert set(data) == set(Settings().to_stored())
    assert len(data["agent_id"]) == 16


def test_list_table_shows_defaults_and_allowed_values():
    out = qr("settings", "list")
    assert out.returncode == 0, out.stderr
    header, *rows = out.stdout.splitlines()
    assert header.split() == ["KEY", "VALUE", "DEFAULT", "ALLOWED"]
    row = next(r for r in rows if r.startswith("shop_facts.return_days"))
    assert " 7 " in row and "0-365" in row
    assert any(r.startswith("language") and "auto | zh-CN | en" in r for r in rows)


def test_a_bad_value_names_the_allowed_ones_and_changes_nothing():
    out = qr("settings", "set", "language", "fr")
    assert out.returncode == 2
    assert out.stderr.strip() == "quickreply: language: use auto, zh-CN or en"
    out = qr("settings", "set", "shop_facts.return_days", "abc")
    assert out.returncode == 2 and "whole number from 0 to 365" in out.stderr
    assert qr("settings", "get", "shop_facts.return_days").stdout.strip() == ""


def test_unknown_and_read_only_keys_are_refused():
    out = qr("settings", "set", "colour", "red")
    assert out.returncode == 2 and "unknown setting 'colour'" in out.stderr
    out = qr("settings", "set", "agent_id", "x")
    assert out.returncode == 2 and "read-only" in out.stderr


def test_map_entries_and_flags_are_set_one_at_a_time():
    assert qr("settings", "set", "app_paste_keys.WeChat.exe", "ctrl+shift+v").returncode == 0
    assert qr("settings", "set", "reply_speed_tracking", "on").returncode == 0
    data = json.loads(qr("settings", "list", "--json").stdout)
    assert data["app_paste_keys"] == {"wechat.exe": "ctrl+shift+v"}
    assert data["reply_speed_tracking"] is True


def test_docs_list_every_setting_key():
    text = (Path(__file__).parents[2] / "docs" / "settings.md").read_text(encoding="utf-8")
    for name in Settings().to_stored():
        if name != "shop_facts":
            assert f"`{name}`" in text, name


def test_setting_the_language_binds_that_languages_default_replies():
    assert qr("settings", "set", "language", "en").returncode == 0
    rows = json.loads(qr("list", "--json").stdout)
    [welcome] = [r for r in rows if r["hotkey"] == "shift+f1"]
    assert welcome["id"] == "qr-default-en/greeting-welcome"
