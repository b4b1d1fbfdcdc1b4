"""`quickreply pack ...`, `trust ...` and `team-report`, run as real subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.unit.pack_samples import write_pack
from tests.unit.usage_samples import write_sample_exports


def qr(*args: str, cwd=None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "quickreply", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=dict(os.environ),
        cwd=cwd,
        timeout=60,
    )


def test_lead_keygen_build_sign_verify_info_diff(tmp_path):
    out = qr("pack", "keygen", "-o", tmp_path / "lead.key", "--comment", "李组长")
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "lead.key.pub").exists()
    out = qr(
        "add", "--title", "双11发货", "--body", "{{customer}}，48小时内发货", "--category", "双11"
    )
    assert out.returncode == 0, out.stderr
    v1 = tmp_path / "d11-v1.qrpack"
    out = qr(
        "pack",
        "build",
        "--from-library",
        "--category",
        "双11",
        "--id",
        "double11",
        "--name",
        "双11话术",
        "--version",
        "1.0.0",
        "--author",
        "李组长",
        "-o",
        v1,
    )
    assert out.returncode == 0, out.stderr
    out = qr("pack", "verify", v1)
    assert out.returncode == 2 and "not signed" in out.stderr
    out = qr("pack", "sign", v1, "--key", tmp_path / "lead.key")
    assert out.returncode == 0, out.stderr
    out = qr("pack", "verify", v1, "--trust", tmp_path / "lead.key.pub", "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["good"] is True
    other = tmp_path / "other.key"
    qr("pack", "keygen", "-o", other)
    out = qr("pack", "verify", v1, "--trust", f"{other}.pub")
    assert out.returncode == 2 and "not trusted here" in out.stderr
    info = json.loads(qr("pack", "info", v1, "--json").stdout)
    assert (info["id"], info["version"], info["snippets"]) == ("double11", "1.0.0", 1)
    assert info["signature"]["key_id"]
    qr("add", "--title", "双11预售", "--body", "尾款请按时支付", "--category", "双11")
    v2 = tmp_path / "d11-v2.qrpack"
    out = qr(
        "pack",
        "build",
        "--from-library",
        "--category",
        "双11",
        "--id",
        "double11",
        "--name",
        "双11话术",
        "--key",
        tmp_path / "lead.key",
        "-o",
        v2,
    )
    assert out.returncode == 0, out.stderr
    assert "1.0.0 (suggested" in out.stdout  # nothing of this id installed or written before
    diff = json.loads(qr("pack", "diff", v1, v2, "--json").stdout)
    assert [a["title"] for a in diff["added"]] == ["双11预售"]


def test_build_from_folder_and_errors_are_one_line(tmp_path):
    folder = tmp_path / "src"
    folder.mkdir()
    write_pack(tmp_path / "x.qrpack")
    import zipfile

    with zipfile.ZipFile(tmp_path / "x.qrpack") as archive:
        archive.extractall(folder)
    out = qr("pack", "build", folder, "-o", tmp_path / "y.qrpack", "--version", "1.0.1")
    assert out.returncode == 0, out.stderr
    assert "team 1.0.1" in out.stdout
    out = qr("pack", "build", "-o", tmp_path / "z.qrpack")
    assert out.returncode == 2 and "either a pack folder DIR or --from-library" in out.stderr
    out = qr("pack", "install", tmp_path / "missing.qrpack")
    assert out.returncode == 2 and "Traceback" not in out.stderr


def test_agent_trust_install_list_update_remove(tmp_path):
    qr("pack", "keygen", "-o", tmp_path / "lead.key")
    out = qr("trust", "add", tmp_path / "lead.key.pub", "--name", "李组长")
    assert out.returncode == 0, out.stderr
    [key] = json.loads(qr("trust", "list", "--json").stdout)
    assert key["name"] == "李组长"
    unsigned = write_pack(tmp_path / "u.qrpack")
    out = qr("pack", "install", unsigned)
    assert out.returncode == 2 and "not signed" in out.stderr
    qr("pack", "sign", unsigned, "--key", tmp_path / "lead.key")
    out = qr("pack", "install", unsigned, "--subscribe", "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["status"] == "installed"
    rows = {r["id"]: r for r in json.loads(qr("pack", "list", "--json").stdout)}
    assert rows["team"]["subscribed"] and rows["team"]["snippets"] == 3
    [update] = json.loads(qr("pack", "update", "--json").stdout)
    assert update["status"] == "unchanged"
    out = qr("pack", "remove", "team")
    assert out.returncode == 0 and "3 snippets" in out.stdout
    out = qr("trust", "remove", key["key_id"][:8])
    assert out.returncode == 0, out.stderr


def test_team_report_html_and_csv(tmp_path):
    exports = write_sample_exports(tmp_path)
    out = qr("team-report", *exports, "-o", tmp_path / "r.html")
    assert out.returncode == 0, out.stderr
    assert "3 agents, 770 uses" in out.stdout
    out = qr("team-report", *exports, "-o", tmp_path / "r.csv", "--format", "csv")
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "r.csv").read_text("utf-8-sig").startswith("section,agent")
