"""UI tests run on Qt's offscreen platform: no display, no window manager, same widgets."""

from __future__ import annotations

import os

# before anything imports Qt: the platform plugin is chosen when the QApplication starts
os.environ["QT_QPA_PLATFORM"] = "offscreen"
