"""A new English agent's first start of the real app: Shift+F1 inserts the English greeting into
a chat window of another process, and only the English pack is installed (issue 12 item 6)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.app_process import AppProcess
from tests.e2e.conftest import require_tools, xdotool

pytestmark = pytest.mark.e2e


@pytest.fixture
def english_agent(
    xvfb_display: str, tray_host: None, quickreply_home: Path
) -> Iterator[AppProcess]:
    """The app on an English desktop, with no IT setting for the default packs."""
    require_tools("xclip")
    proc = AppProcess(quickreply_home, xvfb_display, {"LANG": "en_US.UTF-8"})
    proc.env.pop("QUICKREPLY_DEFAULT_PACKS", None)
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        proc.env.pop(name, None)
    yield proc
    proc.stop()


def test_english_agent_gets_english_text_from_shift_f1(english_agent, target_window) -> None:
    status = english_agent.start()  # the app's first start creates the library
    assert "shift+f1" in status["hotkeys"]
    assert english_agent.cli("pack", "list").count("qr-default-") == 1
    expected = english_agent.cli("render", "qr-default-en/greeting-welcome").rstrip("\n")
    target_window.focus()
    xdotool("key", "shift+F1")
    target_window.wait_for_text(expected)
    assert target_window.text() == expected
    assert "亲" not in expected
