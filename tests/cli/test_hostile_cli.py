"""The command line under hostile conditions (issue 13, items 13 and 17): an unusable data dir,
a read-only or full disk, and terminal escapes in pack and snippet text. Every command prints
clear lines: no traceback, no "--- Logging error ---", no raw control characters."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hostile import tried
from tests.unit.pack_samples import pack_data

COMMANDS = [
    ["list"],
    ["show", "x"],
    ["add", "--title", "t", "--body", "b"],
    ["search", "退货"],
    ["render", "x"],
    ["stats"],
    ["usage", "export", "-o", "-"],
    ["pack", "list"],
    ["pack", "update"],
    ["trust", "list"],
]


def qr(*args: str, home: Path | str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QUICKREPLY_HOME=str(home), LANG="en_US.UTF-8")
    return subprocess.run(
        [sys.executable, "-m", "quickreply", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=env,
        timeout=60,
    )


def assert_clear(done: subprocess.CompletedProcess[str]) -> None:
    for text in (done.stdout, done.stderr):
        assert "Traceback" not in text and "Logging error" not in text, text
    if done.returncode:
        assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, done.stderr


@contextlib.contextmanager
def small_disk(tmp_path: Path, size: str = "4m") -> Iterator[Path]:
    mount = tmp_path / f"disk-{uuid.uuid4().hex[:6]}"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode:
        pytest.skip("needs permission to mount a tmpfs")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.mark.parametrize("where", ["a file", "under /proc"])
def test_an_unusable_data_dir_gives_one_line_for_every_command(tmp_path, where):
    home: Path | str = "/proc/quickreply-nowhere/data"
    if where == "a file":
        home = tmp_path / "home-is-a-file"
        home.write_text("x")
    for command in COMMANDS:
        tried("cli")
        done = qr(*command, home=home)
        assert_clear(done)
        assert done.returncode == 2 and "QUICKREPLY_HOME" in done.stderr


def test_a_read_only_data_dir_gives_clear_lines(tmp_path):
    with small_disk(tmp_path) as disk:
        assert qr("list", home=disk).returncode == 0
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        for command in COMMANDS:
            tried("cli")
            assert_clear(qr(*command, home=disk))


def test_a_full_disk_gives_no_logging_error(tmp_path):
    with small_disk(tmp_path) as disk:
        assert qr("list", home=disk).returncode == 0
        filler = disk / "filler"
        with contextlib.suppress(OSError), filler.open("wb") as handle:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        for command in COMMANDS:
            tried("cli")
            assert_clear(qr(*command, home=disk))


ESCAPES = ["\x1b[2J", "\x1b]0;owned\x07", "\x1b[31m", "\x9b2J", "\r", "\u202e"]


def test_terminal_escapes_in_packs_and_snippets_are_shown_escaped(tmp_path):
    tried("cli", len(ESCAPES))
    home = tmp_path / "home"
    data = pack_data("evil")
    data["name"] = "Evil " + "".join(ESCAPES)
    data["author"] = "\x1b[2J"
    data["snippets"][1]["title"] = "Title " + "".join(ESCAPES)
    source = tmp_path / "evil.json"
    source.write_text(json.dumps(data))
    outputs = [qr("pack", "install", str(source), home=home)]
    outputs += [qr(*c, home=home) for c in (["pack", "list"], ["list"], ["search", "Title"])]
    as_json = qr("list", "--json", home=home)
    outputs.append(as_json)
    titles = [s["title"] for s in json.loads(as_json.stdout)]
    assert "Title " + "".join(ESCAPES) in titles  # still valid JSON, the same text
    outputs += [qr("pack", "info", str(source), home=home)]
    for done in outputs:
        assert_clear(done)
        for text in (done.stdout, done.stderr):
            assert not any(ch in text for ch in "\x1b\x07\x9b\r\u202e"), repr(text)
    assert "\\x1b[2J" in "".join(d.stdout for d in outputs)
