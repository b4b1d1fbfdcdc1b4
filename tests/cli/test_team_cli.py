"""`quickreply team drop|publish|status` and `team-report --from`, run as real subprocesses."""

from __future__ import annotations

import json
from datetime import date

from quickreply.core.usage.event import UsageEvent
from quickreply.core.usage.log import now_ms, open_usage_log
from tests.cli_process import qr


def test_publish_status_and_report_from_a_folder(quickreply_home, tmp_path):
    drop = tmp_path / "drop"
    drop.mkdir()
    assert qr("list").returncode == 0
    log = open_usage_log(quickreply_home)
    log.append_many(
        UsageEvent(ts_ms=now_ms(), snippet_id="s1", trigger="palette", chars=5, inject_ms=9.0)
        for _ in range(6)
    )
    log.close()
    assert qr("team", "drop", str(drop)).returncode == 0
    out = qr("team", "publish")
    assert out.returncode == 0, out.stderr
    agent_id = json.loads(qr("team", "status", "--json").stdout)["agent_id"]
    assert f"sent {agent_id}/{date.today().isoformat()}.jsonl" in out.stdout
    status = json.loads(qr("team", "status", "--json").stdout)
    assert status["outbox"] == [] and status["last_success"] and status["last_error"] is None
    report = tmp_path / "team.csv"
    out = qr("team-report", "--from", str(drop), "--since", "30d", "-o", str(report))
    assert out.returncode == 0, out.stderr
    assert "1 agent, 6 uses" in out.stdout and "1 day file read, 0 skipped" in out.stdout
    assert report.read_text(encoding="utf-8-sig").startswith("section,agent,")
    only = qr("team-report", "--from", str(drop), "--agent", "nobody", "-o", str(report))
    assert "0 agents, 0 uses" in only.stdout


def test_unreachable_drop_is_one_line_and_the_day_waits(quickreply_home, tmp_path):
    assert qr("team", "drop", str(tmp_path / "not-mounted")).returncode == 0
    out = qr("team", "publish")
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "kept in the outbox" in out.stderr
    assert "Traceback" not in out.stderr
    status = qr("team", "status")
    assert f"outbox:       1 days {date.today().isoformat()}" in status.stdout
    assert "not reachable" in status.stdout


def test_bad_team_report_input_is_one_clear_line(quickreply_home, tmp_path):
    out = qr("team-report", "--since", "30d", "-o", str(tmp_path / "r.html"))
    assert out.returncode == 2 and "--since and --agent go with --from" in out.stderr
    out = qr("team-report", "--from", str(tmp_path / "missing"), "-o", str(tmp_path / "r.html"))
    assert out.returncode == 2 and "cannot list team drop" in out.stderr
    out = qr("team", "publish")
    assert out.returncode == 2 and "no team drop set" in out.stderr
