"""Waiting on the Qt main thread without blocking it: the clipboard reads we wait for are served
by the same event loop, so it must keep running while we wait."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEventLoop, QTimer


def wait_until(done: Callable[[], bool], timeout_ms: int) -> bool:
    """Run the Qt event loop until `done()` is true or `timeout_ms` passes; return `done()`.

    The clipboard read we wait for is served by this same event loop, so it must keep running.
    """
    if done():
        return True
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(1)
    poll.timeout.connect(lambda: loop.quit() if done() else None)
    QTimer.singleShot(timeout_ms, loop.quit)
    poll.start()
    loop.exec()
    poll.stop()
    return done()
