"""`quickreply --self-test` on a real (virtual) X display: one line, exit 0; a clear line on failure."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.e2e


def self_test(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in env.items() if k != "QT_QPA_PLATFORM"}  # the ui tests set offscreen
    return subprocess.run(
        [sys.executable, "-m", "quickreply", "--self-test"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=60,
    )


def test_self_test_inserts_once_and_reports_one_line(xvfb_display: str) -> None:
    out = self_test(dict(os.environ))
    assert out.returncode == 0, out.stderr
    (line,) = out.stdout.splitlines()
    assert line.startswith("self-test passed: backend x11, ")
    assert "clipboard restored, usage event read back" in line


def test_self_test_keeps_only_its_line_in_the_real_data_dir(xvfb_display, quickreply_home) -> None:
    out = self_test(dict(os.environ))
    assert out.returncode == 0
    assert [p.name for p in quickreply_home.iterdir()] == ["logs"]  # no library, no usage log
    assert out.stdout.strip() in (quickreply_home / "logs" / "app.log").read_text(encoding="utf-8")


def test_self_test_without_display_fails_with_one_line() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    out = self_test(env)
    assert out.returncode == 1
    (line,) = out.stderr.splitlines()
    assert line.startswith("quickreply: self-test failed: no display found")


def test_self_test_on_a_platform_without_keyboard_says_so(xvfb_display: str) -> None:
    env = dict(os.environ)
    out = subprocess.run(
        [sys.executable, "-m", "quickreply", "--self-test"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**env, "QT_QPA_PLATFORM": "offscreen"},
        timeout=60,
    )
    assert out.returncode == 1
    assert out.stderr.strip().endswith("unset QT_QPA_PLATFORM to test on the real desktop")
