"""Known-bad Qt bindings, detected at start-up instead of crashing minutes later."""

from __future__ import annotations

import sys

import PySide6
from PySide6.QtCore import QObject


def pyside_refcount_problem() -> str | None:
    """Return a one-line fix when these PySide6 bindings leak references to None, else None.

    PySide6 6.12.0 drops a reference to None on every void call; before Python 3.12 (where None is
    immortal) the interpreter aborts once the count reaches zero (none_dealloc).
    """
    if sys.version_info >= (3, 12):
        return None
    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(50):
        probe.setObjectName("probe")
    if sys.getrefcount(None) >= before:
        return None
    return (
        f"PySide6 {PySide6.__version__} on Python {sys.version_info.major}.{sys.version_info.minor} "
        "has a reference-count bug that crashes QuickReply; run: pip install 'PySide6-Essentials!=6.12.0'"
    )
