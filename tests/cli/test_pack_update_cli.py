"""`quickreply pack update` says when an update failed or was refused, with exit status 2."""

from __future__ import annotations

import json

from tests.cli.test_pack_cli import qr
from tests.unit.pack_samples import write_pack


def test_a_refused_update_exits_2_with_the_reason(tmp_path):
    qr("pack", "keygen", "-o", tmp_path / "lead.key")
    assert qr("trust", "add", tmp_path / "lead.key.pub").returncode == 0
    source = write_pack(tmp_path / "team.qrpack")
    assert qr("pack", "sign", source, "--key", tmp_path / "lead.key").returncode == 0
    assert qr("pack", "install", source, "--subscribe").returncode == 0
    write_pack(source, version="1.1.0")  # a newer version nobody signed
    out = qr("pack", "update")
    assert out.returncode == 2
    assert "team: not updated:" in out.stderr and "sign" in out.stderr
    out = qr("pack", "update", "--json")
    assert out.returncode == 2
    assert json.loads(out.stdout)[0]["status"] == "failed"


def test_an_unchanged_update_exits_0(tmp_path):
    qr("pack", "keygen", "-o", tmp_path / "lead.key")
    qr("trust", "add", tmp_path / "lead.key.pub")
    source = write_pack(tmp_path / "team.qrpack")
    qr("pack", "sign", source, "--key", tmp_path / "lead.key")
    qr("pack", "install", source, "--subscribe")
    assert qr("pack", "update").returncode == 0
