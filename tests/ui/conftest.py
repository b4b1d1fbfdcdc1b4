"""UI tests run on Qt's offscreen platform: no display, no window manager, same widgets."""

from __future__ import annotations

import os

import pytest

# before anything imports Qt: the platform plugin is chosen when the QApplication starts
os.environ["QT_QPA_PLATFORM"] = "offscreen"


@pytest.fixture
def controller(qapp):
    """A Controller with the default packs, recording keys/usage and the fake hotkey backend."""
    from quickreply.app.controller import Controller
    from quickreply.core.packs.defaults import open_library
    from quickreply.platform.clipboard import Clipboard
    from quickreply.platform.inject import Injector
    from tests.ui.fakes import Events, FakeHotkeys, RecordingKeys

    ctl = Controller(
        open_library(),
        Injector(RecordingKeys(), Clipboard(), restore_timeout_ms=5),
        Events(),
        FakeHotkeys(),
        None,
    )
    yield ctl
    ctl.shutdown()
