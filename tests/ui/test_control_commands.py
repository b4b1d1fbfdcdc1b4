"""`quickreply pause|resume|quit` confirm what they did (a real CLI process, a real control server)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from quickreply.platform.ipc import ControlServer


@pytest.fixture
def server(qapp):
    done: list[str] = []
    control = ControlServer(
        {name: (lambda n=name: done.append(n)) for name in ("pause", "resume", "quit")}
    )
    yield done
    control.close()


def run(qtbot, *args: str) -> subprocess.CompletedProcess[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "quickreply", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=dict(os.environ),
    )
    qtbot.waitUntil(lambda: proc.poll() is not None, timeout=30_000)  # serve while it runs
    out, err = proc.communicate()
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


@pytest.mark.parametrize(
    ("command", "confirmation"),
    [
        ("pause", "hotkeys paused"),
        ("resume", "hotkeys resumed"),
        ("quit", "QuickReply is quitting"),
    ],
)
def test_control_commands_confirm(server, qtbot, command, confirmation):
    out = run(qtbot, command)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(confirmation)
    assert server == [command]
