"""The team report opened in headless Chromium: every chart draws, no script error, a screenshot.

Needs Debian's `chromium` package. Without it the test skips, unless QUICKREPLY_REQUIRE_E2E=1.
With QUICKREPLY_DOCS_SCREENSHOTS=1 the screenshot also replaces docs/team-report.png.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from quickreply.core.usage.team_report import write_team_report
from tests.unit.usage_samples import write_sample_exports

REQUIRE_ENV = "QUICKREPLY_REQUIRE_E2E"
DOCS_ENV = "QUICKREPLY_DOCS_SCREENSHOTS"
DOCS_SHOT = Path(__file__).resolve().parents[2] / "docs" / "team-report.png"
TIMEOUT_S = 90
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--window-size=1200,1600",
)


def chromium_binary() -> str:
    """Return the Chromium executable, or skip (fail under QUICKREPLY_REQUIRE_E2E=1)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    reason = "the team-report test needs Chromium (Debian/Ubuntu: apt-get install chromium)"
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{reason}; {REQUIRE_ENV}=1 forbids skipping", pytrace=False)
    pytest.skip(reason)


def run_chromium(binary: str, *args: str) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=TIMEOUT_S,
        )


@pytest.mark.e2e
def test_team_report_charts_render_in_chromium(tmp_path):
    binary = chromium_binary()
    report_path = tmp_path / "report.html"
    report = write_team_report(write_sample_exports(tmp_path), report_path)
    url = report_path.as_uri()

    dom = run_chromium(binary, "--virtual-time-budget=5000", "--dump-dom", url)
    assert dom.returncode == 0, dom.stderr[-2000:]
    state = re.search(r'<html[^>]*data-charts="([^"]*)"', dom.stdout)
    assert state, dom.stdout[:500]
    expected_charts = 2 + sum(1 for p in report.packs if p.ranking)
    assert state.group(1) == f"ok {expected_charts}", state.group(1)

    # the check itself must catch a failure: the same page without Chart.js reports the error
    broken = tmp_path / "broken.html"
    page = report_path.read_text("utf-8")
    start = page.index("<script>/*!")
    broken.write_text(page[:start] + page[page.index("</script>", start) + 9 :], "utf-8")
    dom = run_chromium(binary, "--virtual-time-budget=5000", "--dump-dom", broken.as_uri())
    assert 'data-charts="error: Chart is not defined"' in dom.stdout

    shot = tmp_path / "team-report.png"
    taken = run_chromium(binary, f"--screenshot={shot}", url)
    assert taken.returncode == 0, taken.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if os.environ.get(DOCS_ENV) == "1":
        shutil.copyfile(shot, DOCS_SHOT)
