"""Crash safety: exceptions in a Qt slot, a timer, a hook callback or a thread are logged, shown
once, and the app keeps inserting."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QTimer

from quickreply.app.crash_guard import CrashGuard

GREETING = "qr-default-zh/greeting-welcome"


@pytest.fixture
def guard(qapp) -> Iterator[CrashGuard]:
    crash_guard = CrashGuard()
    crash_guard.install()
    yield crash_guard
    crash_guard.uninstall()


def test_exceptions_everywhere_are_shown_once_and_insertion_goes_on(
    controller, guard: CrashGuard, qtbot, caplog: pytest.LogCaptureFixture
) -> None:
    messages: list[str] = []
    guard.problem.connect(messages.append)
    greeting = controller.store.find(GREETING)
    assert greeting is not None
    controller.register_hotkeys()

    # a Qt slot that fails (connected to the insertion's own signal)
    def broken_slot(_snippet_id: str) -> None:
        raise RuntimeError("slot bug")

    controller.inserted.connect(broken_slot)
    with caplog.at_level(logging.ERROR):
        controller.insert(greeting, "tray")
        assert guard.count == 1
        controller.inserted.disconnect(broken_slot)

        # a timer callback that fails
        def broken_timer() -> None:
            raise KeyError("timer bug")

        QTimer.singleShot(0, broken_timer)
        qtbot.waitUntil(lambda: guard.count == 2)

        # the hotkey callback on its hook thread fails
        callback = controller.hotkeys.backend.registered["shift+f1"]
        real_clock = time.perf_counter_ns

        def broken_clock() -> int:
            raise OSError("clock bug")

        time.perf_counter_ns = broken_clock  # type: ignore[assignment]
        try:
            hook_thread = threading.Thread(target=callback)
            hook_thread.start()
            hook_thread.join()
        finally:
            time.perf_counter_ns = real_clock  # type: ignore[assignment]
        assert guard.count == 3

        # a background thread that dies
        worker = threading.Thread(target=lambda: 1 / 0)
        worker.start()
        worker.join()
        assert guard.count == 4

    qtbot.waitUntil(lambda: len(messages) == 1)
    qtbot.wait(20)
    assert len(messages) == 1 and "RuntimeError" in messages[0]
    assert "QuickReply keeps running" in messages[0]
    logged = caplog.text
    for bug in ("slot bug", "timer bug", "clock bug", "ZeroDivisionError"):
        assert bug in logged

    # still inserting, through the hotkey path too
    events = controller.recorder.events
    before = len(events)
    callback()
    qtbot.waitUntil(lambda: len(events) == before + 1)
    assert events[-1].snippet_id == GREETING and events[-1].trigger == "hotkey"
