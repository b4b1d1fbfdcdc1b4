"""Qt offscreen helpers shared by the benchmark scripts."""

from __future__ import annotations

import sys


def quiet_offscreen_warnings() -> None:
    """Drop the offscreen plugin's "does not support raise()" lines; print other Qt messages."""
    from PySide6.QtCore import qInstallMessageHandler

    def handler(_mode: object, _context: object, message: str) -> None:
        if "This plugin does not support" not in message:
            sys.stderr.write(message + "\n")

    qInstallMessageHandler(handler)
