"""UI tests run on Qt's offscreen platform: no display, no window manager, same widgets."""

from __future__ import annotations

import ctypes
import os
import sys

# before anything imports Qt: the platform plugin is chosen when the QApplication starts
os.environ["QT_QPA_PLATFORM"] = "offscreen"

# PySide6 6.12 on CPython 3.11 drops a reference to None/True/False on every void call (they are
# immortal only from 3.12 on): a session of UI tests would abort with none_dealloc. References
# that are never released compensate, until the app pins a fixed PySide6 or Python >= 3.12.
if sys.version_info < (3, 12):
    for _singleton in (None, True, False):
        ctypes.c_ssize_t.from_address(id(_singleton)).value += 1 << 40
