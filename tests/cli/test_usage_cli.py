"""`quickreply stats`, `usage export`, `usage purge` and `calibrate`, run as real subprocesses."""

from __future__ import annotations

import csv
import io
import json
import os
import select
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from quickreply.core.library.settings import load_settings
from quickreply.core.packs.defaults import open_library
from quickreply.core.usage.event import UsageEvent
from quickreply.core.usage.export import read_usage_export
from quickreply.core.usage.log import open_usage_log
from tests.cli_process import qr


def local_ms(day: date, hour: int) -> int:
    return int(datetime(day.year, day.month, day.day, hour).timestamp() * 1000)


@pytest.fixture
def seeded(quickreply_home: Path) -> str:
    """A library with the default packs and three uses of its first snippet (today, 3 and 40 days ago)."""
    snippet = open_library().snippets()[0]
    log = open_usage_log()
    today = date.today()
    log.append_many(
        UsageEvent(local_ms(today - timedelta(days=ago), 10), snippet.id, "hotkey", 20, 100.0,
                   snippet.pack_id, snippet.pack_version, snippet.category, cjk_chars=20, latin_chars=0)
        for ago in (0, 3, 40)
    )  # fmt: skip
    log.record_reply(0, 9_000, True, ts_ms=local_ms(today, 11))
    log.close()
    return snippet.id


def test_stats_json_counts_the_period(seeded: str):
    out = qr("stats", "--since", "7d", "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["uses"] == 2
    # 20 Chinese characters at 50 per minute = 24 s, minus 0.1 s, twice
    assert data["time_saved_ms"] == 2 * 23_900
    assert data["per_snippet"][0]["id"] == seeded
    assert len(data["per_day"]) == 7
    assert data["reply_speed"]["state"] == "ok"  # a stored sample is shown even when now off
    assert seeded not in {s["id"] for s in data["never_used_30d"]}


def test_stats_table_and_csv(seeded: str):
    table = qr("stats", "--since", "30d")
    assert table.returncode == 0, table.stderr
    assert "Uses: 2" in table.stdout
    assert "Per snippet" in table.stdout
    rows = list(csv.reader(io.StringIO(qr("stats", "--format", "csv", "--since", "60d").stdout)))
    assert rows[0] == ["section", "key", "name", "metric", "value"]
    assert ["summary", "", "", "uses", "3"] in rows


def test_stats_rejects_a_bad_since_in_one_line(quickreply_home: Path):
    out = qr("stats", "--since", "last week")
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1
    assert "7d" in out.stderr


def test_export_jsonl_since_and_csv(seeded: str, tmp_path: Path):
    out = qr(
        "usage", "export", "--since", "30d", "-o", str(tmp_path / "u.jsonl"), "--agent", "小王"
    )
    assert out.returncode == 0, out.stderr
    meta, events, replies = read_usage_export(tmp_path / "u.jsonl")
    assert meta["agent"] == "小王"
    assert meta["since"] == (date.today() - timedelta(days=29)).isoformat()
    assert any(s["id"] == seeded for s in meta["snippets"])
    assert [e.snippet_id for e in events] == [seeded, seeded]
    assert len(replies) == 1
    assert qr("usage", "export", "-o", str(tmp_path / "u.csv")).returncode == 0
    lines = (tmp_path / "u.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("ts_ms,snippet_id,trigger")
    assert len(lines) == 4


def test_purge_deletes_before_the_day(seeded: str):
    cut = (date.today() - timedelta(days=10)).isoformat()
    out = qr("usage", "purge", "--before", cut)
    assert out.returncode == 0, out.stderr
    assert "removed 1 usage events" in out.stderr
    log = open_usage_log()
    assert log.event_count() == 2
    log.close()
    bad = qr("usage", "purge", "--before", "yesterday")
    assert bad.returncode == 2 and "2025-01-01" in bad.stderr


def test_calibrate_without_a_terminal_fails_in_one_line(quickreply_home: Path):
    out = qr("calibrate")
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1
    assert "terminal" in out.stderr


def test_calibrate_in_a_terminal_stores_the_speed(quickreply_home: Path):
    pty = pytest.importorskip("pty")  # POSIX terminals only
    master, slave = pty.openpty()
    child = subprocess.Popen(
        [sys.executable, "-m", "quickreply", "calibrate", "--language", "zh-CN"],
        stdin=slave,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=dict(os.environ),
    )
    os.close(slave)
    try:
        assert child.stdout is not None
        seen = _read_until(child.stdout.fileno(), b"ready")
        os.write(master, b"\n")
        seen += _read_until(child.stdout.fileno(), b"> ")
        sentence = next(
            line.strip() for line in seen.decode().splitlines() if line.startswith("  ")
        )
        typed = sentence[: len(sentence) * 6 // 10]  # 60% of it: enough to count as an attempt
        time.sleep(2.5)  # typed at a human ~500 characters per minute, not pasted
        os.write(master, typed.encode() + b"\n")
        out, err = child.communicate(timeout=30)
    finally:
        os.close(master)
        if child.poll() is None:
            child.kill()
    assert child.returncode == 0, err
    assert "Chinese characters per minute" in out
    speed = load_settings(open_library()).typing_speed_cjk_cpm
    assert speed > 0 and f"{speed} Chinese characters per minute" in out


def _read_until(fd: int, marker: bytes) -> bytes:
    data = b""
    while marker not in data:
        readable, _, _ = select.select([fd], [], [], 30)
        assert readable, f"no {marker!r} in {data!r}"
        chunk = os.read(fd, 4096)
        assert chunk, f"output ended before {marker!r}: {data!r}"
        data += chunk
    return data
