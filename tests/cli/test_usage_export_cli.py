"""`usage export` to standard output and `team-report` by extension, with agents told apart."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_usage_cli import qr, seeded  # noqa: F401 - the fixture is used by name


def test_usage_export_dash_writes_to_standard_output(seeded: str, tmp_path: Path):  # noqa: F811
    out = qr("usage", "export", "-o", "-")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    meta = json.loads(lines[0])
    assert meta["type"] == "meta" and len(meta["agent_id"]) == 16
    assert json.loads(lines[1])["installation_id"] == meta["agent_id"]
    assert not Path("-").exists()
    assert "standard output" in out.stderr


def test_team_report_follows_the_extension_and_counts_a_file_given_twice_once(
    seeded: str,  # noqa: F811
    tmp_path: Path,
):
    export = tmp_path / "wang.jsonl"
    assert qr("usage", "export", "-o", str(export)).returncode == 0
    report = tmp_path / "r.csv"
    out = qr("team-report", str(export), str(export), "-o", str(report))
    assert out.returncode == 0, out.stderr
    assert report.read_bytes().startswith(b"\xef\xbb\xbfsection,agent")
    assert "counted once" in out.stderr
    assert "3 uses" in out.stdout
