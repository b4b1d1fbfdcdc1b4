"""Every test gets its own data directory: nothing ever touches the real user's library."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def quickreply_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point QUICKREPLY_HOME at a fresh temp dir and force the English interface."""
    home = tmp_path / "qr-home"
    home.mkdir()
    monkeypatch.setenv("QUICKREPLY_HOME", str(home))
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    return home
