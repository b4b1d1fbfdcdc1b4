"""`quickreply --self-test` (and the built `QuickReply --self-test`): prove this install works.

In a temporary data dir it opens the library with the default packs, registers the hotkeys with
the available backend, shows a small editor window of its own, presses one snippet's hotkey with
the real key sender, and checks that the controller's insertion path put the exact text into the
window, restored the clipboard, and wrote one usage event that reads back. One line reports the
result; any failure exits non-zero with the reason on one line.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

EXIT_FAILED = 1
_FOCUS_WAIT_MS = 3000
_INSERT_WAIT_MS = 5000
_NO_KEYBOARD_PLATFORMS = ("offscreen", "minimal", "vnc", "linuxfb")


class SelfTestFailure(Exception):
    """One check of the self-test failed; the message says which and why."""


@dataclass(frozen=True)
class SelfTestReport:
    """What the self-test measured."""

    backend: str
    hotkeys: int
    hotkeys_ready_ms: float  # self-test start -> every hotkey registered
    insert_ms: float  # hotkey pressed -> exact text in the window
    snippet_id: str

    def line(self) -> str:
        """Return the one-line report printed on success."""
        return (
            f"self-test passed: backend {self.backend}, {self.hotkeys} hotkeys ready in "
            f"{self.hotkeys_ready_ms:.0f} ms, insertion of {self.snippet_id} in "
            f"{self.insert_ms:.0f} ms (hotkey -> text), clipboard restored, usage event read back"
        )


def run_self_test() -> int:
    """Run the self-test in a temporary data dir; print one line; return the exit status."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="quickreply-self-test-") as home:
        previous = os.environ.get("QUICKREPLY_HOME")
        os.environ["QUICKREPLY_HOME"] = home
        try:
            report = _check_everything(Path(home), started)
        except SelfTestFailure as exc:
            _restore_env("QUICKREPLY_HOME", previous)
            _report(f"self-test failed: {exc}", failed=True)
            return EXIT_FAILED
        _restore_env("QUICKREPLY_HOME", previous)
    _report(report.line(), failed=False)
    return 0


def _report(line: str, failed: bool) -> None:
    """Print the result line, and keep it in the data dir's log (a windowed .exe has no console)."""
    from quickreply.app.log_file import install_app_log

    if failed:
        print(f"quickreply: {line}", file=sys.stderr)
    else:
        print(line)
    install_app_log()
    logging.getLogger(__name__).log(logging.ERROR if failed else logging.INFO, line)


def _restore_env(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


def _check_everything(home: Path, started: float) -> SelfTestReport:
    """Start the parts, insert once, check; raise SelfTestFailure naming the first problem."""
    from quickreply.platform.display import display_problem

    problem = display_problem()
    if problem:
        raise SelfTestFailure(problem)
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform.split(":")[0] in _NO_KEYBOARD_PLATFORMS:
        raise SelfTestFailure(
            f"the Qt platform '{platform}' has no keyboard or clipboard of the desktop; "
            "unset QT_QPA_PLATFORM to test on the real desktop"
        )
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    if not isinstance(app, QApplication):
        raise SelfTestFailure("a non-GUI Qt application is already running in this process")
    parts = _SelfTestApp(home)
    try:
        return parts.run(started)
    finally:
        parts.close()


class _SelfTestApp:
    """The real parts (library, hotkeys, injector, usage log, controller) plus a target window."""

    def __init__(self, home: Path) -> None:
        from PySide6.QtWidgets import QPlainTextEdit

        from quickreply.app.services import build_services
        from quickreply.core.errors import QuickReplyError

        try:
            self.services = build_services()  # the app's own wiring, on the temporary data dir
        except QuickReplyError as exc:
            raise SelfTestFailure(str(exc)) from exc
        self.services.start_monitors()
        self.controller = self.services.controller
        if self.controller.hotkeys.backend is None:
            raise SelfTestFailure("; ".join(self.services.notices) or "no global hotkey backend")
        self.store = self.services.store
        self.usage_log = self.services.usage_log
        self.injector = self.controller.injector
        self.keys = self.injector.keys
        self.inserted: list[str] = []
        self.controller.inserted.connect(self.inserted.append)
        self.errors: list[str] = []
        self.controller.error.connect(self.errors.append)
        self.window = QPlainTextEdit()
        self.window.setWindowTitle("QuickReply self-test")
        self.window.resize(480, 160)

    def run(self, started: float) -> SelfTestReport:
        """Register, insert through a real hotkey press, check text, clipboard and usage log."""
        from quickreply.core.hotkey import parse_hotkey
        from quickreply.platform.event_loop import wait_until

        status = self.controller.register_hotkeys()
        if status.problems:
            raise SelfTestFailure(f"hotkeys not registered: {'; '.join(status.problems)}")
        ready_ms = (time.perf_counter() - started) * 1000
        combo, snippet_id, expected = self._pick_snippet()
        self._show_window()
        sentinel = f"quickreply-self-test-{uuid.uuid4().hex}"
        self.injector.clipboard.copy(sentinel)
        pressed = time.perf_counter()
        self.keys.send_combo(parse_hotkey(combo))
        if not wait_until(lambda: bool(self.inserted or self.errors), _INSERT_WAIT_MS):
            raise SelfTestFailure(f"the hotkey {combo} was registered but never fired")
        if self.errors:
            raise SelfTestFailure(f"insertion failed: {self.errors[0]}")
        wait_until(lambda: self.window.toPlainText() == expected, _INSERT_WAIT_MS)
        insert_ms = (time.perf_counter() - pressed) * 1000
        got = self.window.toPlainText()
        if got != expected:
            raise SelfTestFailure(f"the window shows {got!r}, expected {expected!r}")
        if self.injector.clipboard.text() != sentinel:
            raise SelfTestFailure("the clipboard was not restored after the insertion")
        self._check_usage_event(snippet_id, len(expected))
        return SelfTestReport(
            self.controller.hotkeys.backend_name or "",
            len(status.active),
            ready_ms,
            insert_ms,
            snippet_id,
        )

    def _pick_snippet(self) -> tuple[str, str, str]:
        """Return (hotkey, snippet id, expected text) of a default snippet that asks nothing."""
        for combo, action in self.controller.wanted_hotkeys().items():
            snippet = self.store.find(action.target_id) if action.kind == "snippet" else None
            if snippet and not snippet.auto_send and not self.controller.missing_fields(snippet):
                return combo, snippet.id, self.controller.render_text(snippet)
        raise SelfTestFailure("the default packs have no snippet with a hotkey to insert")

    def _show_window(self) -> None:
        from quickreply.platform.event_loop import wait_until

        self.window.show()
        self.window.raise_()
        self.window.activateWindow()
        if not wait_until(self.window.isActiveWindow, _FOCUS_WAIT_MS):
            raise SelfTestFailure("the self-test window did not get the keyboard focus")

    def _check_usage_event(self, snippet_id: str, chars: int) -> None:
        self.usage_log.flush()
        events = list(self.usage_log.events())
        if len(events) != 1:
            raise SelfTestFailure(f"expected one usage event, the log holds {len(events)}")
        event = events[0]
        if (event.snippet_id, event.trigger, event.chars) != (snippet_id, "hotkey", chars):
            raise SelfTestFailure(
                f"the usage event reads back as {event.snippet_id}/{event.trigger}/{event.chars} "
                f"chars, expected {snippet_id}/hotkey/{chars}"
            )

    def close(self) -> None:
        """Release hotkeys, key sender, clipboard and usage log; close the window."""
        self.window.close()
        self.services.shutdown()
