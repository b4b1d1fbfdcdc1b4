"""A chat-box stand-in for end-to-end tests: one QPlainTextEdit in its own process.

Line protocol. Commands on stdin: ``get_text``, ``get_events``, ``clear``. Lines on stdout:
``ready <window id>`` once the window is shown; ``text <json>``, ``events <json>`` and ``ok``
answering the commands in order; and ``changed <monotonic_ns> <json text>`` on every text change
(CLOCK_MONOTONIC, so a benchmark in another process can compare it with its own clock).
Closing stdin quits, so the window never outlives its test.

``--paste-delay-ms N`` makes it a slow reader: Ctrl+V reads the clipboard N ms later (a busy chat
client); a negative N never reads it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

from PySide6.QtCore import QEvent, QObject, QSocketNotifier, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QPlainTextEdit


def send(line: str) -> None:
    """Write one protocol line to stdout."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


class KeyRecorder(QObject):
    """Records every key press the editor receives, e.g. ("press", "Shift+Return").

    With a paste delay, Ctrl+V is held back and the editor pastes `paste_delay_ms` later.
    """

    def __init__(self, editor: QPlainTextEdit, paste_delay_ms: int | None) -> None:
        super().__init__()
        self.events: list[tuple[str, str]] = []
        self.editor = editor
        self.paste_delay_ms = paste_delay_ms

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            name = QKeySequence(event.keyCombination()).toString() or event.text()
            self.events.append(("press", name))
            if self.paste_delay_ms is not None and event.matches(QKeySequence.StandardKey.Paste):
                if self.paste_delay_ms >= 0:
                    QTimer.singleShot(self.paste_delay_ms, self.editor.paste)
                return True
        return False


class Target:
    """The editor window plus the stdin command reader."""

    def __init__(self, paste_delay_ms: int | None = None) -> None:
        self.editor = QPlainTextEdit()
        self.editor.setWindowTitle("QuickReply e2e target")
        self.editor.resize(640, 360)
        self.recorder = KeyRecorder(self.editor, paste_delay_ms)
        self.editor.installEventFilter(self.recorder)
        self.editor.textChanged.connect(self.report_change)
        self.buffer = b""
        os.set_blocking(0, False)
        self.notifier = QSocketNotifier(0, QSocketNotifier.Type.Read)
        self.notifier.activated.connect(self.read_commands)

    def show(self) -> None:
        """Show the window and announce it once it is really on screen."""
        self.editor.show()
        self.editor.activateWindow()
        self.editor.setFocus()
        self.announce_when_exposed()

    def announce_when_exposed(self) -> None:
        handle = self.editor.windowHandle()
        if handle is not None and handle.isExposed():
            send(f"ready {int(self.editor.winId())}")
        else:
            QTimer.singleShot(10, self.announce_when_exposed)

    def report_change(self) -> None:
        text = self.editor.toPlainText()
        send(f"changed {time.monotonic_ns()} {json.dumps(text, ensure_ascii=False)}")

    def read_commands(self) -> None:
        try:
            chunk = os.read(0, 65536)
        except BlockingIOError:
            return
        if not chunk:
            QApplication.quit()
            return
        self.buffer += chunk
        while b"\n" in self.buffer:
            line, self.buffer = self.buffer.split(b"\n", 1)
            self.run(line.decode().strip())

    def run(self, command: str) -> None:
        if command == "get_text":
            send("text " + json.dumps(self.editor.toPlainText(), ensure_ascii=False))
        elif command == "get_events":
            send("events " + json.dumps(self.recorder.events))
        elif command == "clear":
            self.editor.clear()
            self.recorder.events.clear()
            send("ok")
        else:
            send(f"error unknown command {command!r}")


def main() -> None:
    """Run the target window until stdin closes."""
    sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    parser = argparse.ArgumentParser()
    parser.add_argument("--paste-delay-ms", type=int, default=None)
    args, qt_args = parser.parse_known_args()
    app = QApplication([sys.argv[0], *qt_args])
    target = Target(args.paste_delay_ms)
    target.show()
    app.exec()


if __name__ == "__main__":
    main()
