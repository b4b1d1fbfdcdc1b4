"""Every test gets its own data directory: nothing ever touches the real user's library."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def quickreply_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point QUICKREPLY_HOME at a fresh temp dir, force the English interface, both default packs."""
    home = tmp_path / "qr-home"
    home.mkdir()
    monkeypatch.setenv("QUICKREPLY_HOME", str(home))
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    # the tests were written against a library holding both default packs; a new agent's
    # library holds its language's only (tests/unit/packs/test_first_packs.py unsets this)
    monkeypatch.setenv("QUICKREPLY_DEFAULT_PACKS", "zh-CN,en")
    return home


@pytest.fixture
def shanghai_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Days and hours are local: pin the zone (UTC+8, no DST) so expected values hold everywhere."""
    if not hasattr(time, "tzset"):
        pytest.skip("needs time.tzset (POSIX)")
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print how many hostile inputs the tests of issue 13 tried, per area."""
    from tests.hostile import TRIED

    if TRIED:
        parts = ", ".join(f"{area} {count}" for area, count in sorted(TRIED.items()))
        terminalreporter.write_line(f"hostile inputs tried: {sum(TRIED.values())} ({parts})")
