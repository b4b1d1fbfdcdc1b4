"""Start-up's later steps (tray, monitors, pack checks, ...) run one per event-loop turn and are
put off while an insertion is under way (its nested loop waits for the target's read)."""

from __future__ import annotations

from types import SimpleNamespace

from quickreply.ui.main import TrayApp


def test_start_up_steps_run_in_order_and_wait_while_an_insertion_is_under_way(qtbot):
    done: list[int] = []
    app = SimpleNamespace(
        controller=SimpleNamespace(busy=True),
        _steps=[lambda: done.append(1), lambda: done.append(2), lambda: done.append(3)],
    )
    app._start_step = lambda: TrayApp._start_step(app)
    app._start_step()
    qtbot.wait(100)
    assert done == []  # an insertion is under way: nothing else runs on the main thread
    app.controller.busy = False
    qtbot.waitUntil(lambda: done == [1, 2, 3], timeout=2000)
    assert app._steps == []
