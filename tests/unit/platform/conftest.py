"""Fixtures for the Windows adapters driven by a fake Win32 layer."""

from __future__ import annotations

import pytest

from tests.unit.platform.fake_win32 import FakeWin32


@pytest.fixture
def api() -> FakeWin32:
    """A fresh fake Win32 layer (our process is pid 100, medium integrity)."""
    return FakeWin32()
