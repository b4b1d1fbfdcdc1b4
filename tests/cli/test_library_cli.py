"""Library commands as a new agent uses them: clear refusals, one clear line on bad input."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.cli.test_cli import qr


def test_add_refuses_a_reserved_hotkey():
    out = qr("add", "--title", "x", "--body", "y", "--hotkey", "ctrl+v")
    assert out.returncode == 2
    assert "reserved" in out.stderr and "paste" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def qr_bytes(*args: str, stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "quickreply", *args], capture_output=True, input=stdin, timeout=60
    )


def test_non_utf8_body_on_stdin_gets_one_clear_line_naming_the_byte():
    out = qr_bytes("add", "--title", "x", "--body", "-", stdin="您好".encode("gbk"))
    err = out.stderr.decode("utf-8")
    assert out.returncode == 2
    assert len(err.strip().splitlines()) == 1 and len(err) < 300
    assert "byte 0xc4 at position 0" in err and "--encoding" in err
    assert "unexpected" not in err


def test_body_on_stdin_in_a_named_encoding_is_decoded():
    out = qr_bytes("add", "-t", "x", "--body", "-", "--encoding", "gbk", stdin="您好".encode("gbk"))
    assert out.returncode == 0, out.stderr
    shown = qr("show", out.stdout.decode().strip(), "--json")
    assert json.loads(shown.stdout)["body"] == "您好"


def add(title: str, body: str, *extra: str) -> str:
    out = qr("add", "--title", title, "--body", body, *extra)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_add_with_a_new_category_says_it_created_it():
    out = qr("add", "-t", "x", "-b", "y", "--category", "双11")
    assert out.returncode == 0
    assert "created category '双11'" in out.stderr


def test_list_with_an_unknown_category_refuses_with_the_known_names():
    out = qr("list", "--category", "nope")
    assert out.returncode == 2
    assert "no category 'nope'" in out.stderr and "催付" in out.stderr


def test_show_accepts_a_unique_title_or_abbreviation():
    sid = add("双11发货说明", "48小时内发货", "--abbrev", "d11fh")
    for key in (sid, "双11发货说明", "d11fh"):
        out = qr("show", key, "--json")
        assert out.returncode == 0, out.stderr
        assert json.loads(out.stdout)["id"] == sid
    add("同名", "a")
    add("同名", "b")
    out = qr("show", "同名")
    assert out.returncode == 2 and "names 2 snippets" in out.stderr
    out = qr("show", "不存在")
    assert out.returncode == 2 and "no snippet with id, title or abbreviation" in out.stderr


def test_edit_add_tag_keeps_the_other_tags_and_tag_replaces_them():
    sid = add("t", "b", "--tag", "售后")
    assert qr("edit", sid, "--add-tag", "退款").returncode == 0
    assert json.loads(qr("show", sid, "--json").stdout)["tags"] == ["售后", "退款"]
    assert qr("edit", sid, "--tag", "新").returncode == 0
    assert json.loads(qr("show", sid, "--json").stdout)["tags"] == ["新"]
    assert "replaces all the tags" in qr("edit", "--help").stdout


def test_render_refuses_a_value_outside_a_choice():
    sid = add("c", "{{choice:快递|顺丰|中通}}发货")
    out = qr("render", sid, "--var", "快递=EMS")
    assert out.returncode == 2
    assert "must be one of: 顺丰 | 中通" in out.stderr
    assert qr("render", sid, "--var", "快递=顺丰").stdout.strip() == "顺丰发货"


def test_search_limit_must_be_positive_and_no_hits_says_so():
    for limit in ("0", "-1"):
        out = qr("search", "欢迎", "--limit", limit)
        assert out.returncode == 2 and "give 1 or more" in out.stderr
    out = qr("search", "zzzzqqqq")
    assert out.returncode == 0
    assert out.stdout.strip() == "no matches for 'zzzzqqqq'"
    assert json.loads(qr("search", "zzzzqqqq", "--json").stdout) == []


def test_trust_add_of_a_missing_file_says_file_not_found():
    out = qr("trust", "add", "missing.pub")
    assert out.returncode == 2
    assert out.stderr.strip() == "quickreply: file not found: missing.pub"
