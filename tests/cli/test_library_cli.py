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
