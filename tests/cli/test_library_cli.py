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
