"""Windows-only tests against the real Win32 API; each module skips itself on other systems.

Run with `python -m pytest tests/windows`. Tests marked `interactive_desktop` send real input
(SendInput, WM_HOTKEY, foreground changes) and need an unlocked interactive desktop: a GitHub
Windows runner has one; a VM must be logged in with the screen unlocked. Deselect them with
`-m "not interactive_desktop"` where there is none.
"""

from __future__ import annotations

import os
import sys

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "windows" if sys.platform == "win32" else "offscreen")


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker for tests that need a real, unlocked desktop."""
    config.addinivalue_line(
        "markers", "interactive_desktop: needs an unlocked interactive Windows desktop"
    )
