"""`quickreply doctor --copy` on a real X display: the clipboard gets the report, no snippet text."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.app_process import get_clipboard
from tests.e2e.conftest import require_tools

pytestmark = pytest.mark.e2e

BODY = "亲，您的专属优惠码是QR-7731-XY，今晚24点前有效哦"


def qr(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "quickreply", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        input=stdin,
        env=dict(os.environ),
        timeout=60,
    )


def test_doctor_copy_puts_report_on_clipboard_without_snippet_body(
    xvfb_display: str, quickreply_home: Path
) -> None:
    require_tools("xclip")
    assert qr("add", "--title", "优惠码", "--body", "-", stdin=BODY).returncode == 0
    logs = quickreply_home / "logs"
    logs.mkdir(exist_ok=True)
    (logs / "app.log").write_text(
        f"INFO hotkey shift+f1 fired\nERROR a bug logged the text: {BODY}\n", encoding="utf-8"
    )
    out = qr("doctor", "--copy")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("Diagnostics copied to the clipboard")
    copied = get_clipboard()
    assert copied.startswith("# QuickReply diagnostics")
    assert "[  ok] display:" in copied and "INFO hotkey shift+f1 fired" in copied
    assert "QR-7731-XY" not in copied and BODY not in copied
