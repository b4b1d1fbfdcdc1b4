"""How long the Qt main thread was kept from its event loop: a timer that measures its own lateness.

A repeating timer is due every `interval_ms`; whenever it fires later than that, the main thread was
busy for the difference. `longest_ms` is the worst stall since the meter (or a window) started:
hotkey presses are handled on this thread, so a stall is a press that waits.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer


class StallMeter(QObject):
    """Records the longest gap between event-loop turns of the thread it lives on."""

    def __init__(self, interval_ms: int = 5, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.interval_ms = interval_ms
        self.longest_ms = 0.0
        self._last = time.perf_counter()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        """Start measuring now."""
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> float:
        """Stop measuring; return the longest stall in ms."""
        self._tick()
        self._timer.stop()
        return self.longest_ms

    def take(self) -> float:
        """Return the longest stall since the last `take` (or start) and begin a new window."""
        self._tick()
        longest, self.longest_ms = self.longest_ms, 0.0
        return longest

    def _tick(self) -> None:
        now = time.perf_counter()
        stall = (now - self._last) * 1000 - self.interval_ms
        self._last = now
        if stall > self.longest_ms:
            self.longest_ms = stall
