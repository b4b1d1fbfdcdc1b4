"""A chat history stand-in for end-to-end tests: the buyer's message as read-only, selectable
text in its own process, to the right of the target window. Prints ``ready <window id>`` once
shown; closing stdin quits.

Run: python buyer_window.py MESSAGE
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QSocketNotifier, QTimer
from PySide6.QtWidgets import QApplication, QPlainTextEdit


def main() -> None:
    app = QApplication(sys.argv[:1])
    history = QPlainTextEdit()
    history.setWindowTitle("QuickReply e2e buyer message")
    history.setPlainText(sys.argv[1])
    history.setReadOnly(True)
    history.setGeometry(700, 40, 500, 200)  # beside the target window (no window manager runs)
    history.show()

    def announce() -> None:
        handle = history.windowHandle()
        if handle is not None and handle.isExposed():
            sys.stdout.write(f"ready {int(history.winId())}\n")
            sys.stdout.flush()
        else:
            QTimer.singleShot(10, announce)

    def on_stdin() -> None:
        if not os.read(0, 1024):
            app.quit()

    notifier = QSocketNotifier(0, QSocketNotifier.Type.Read)
    notifier.activated.connect(on_stdin)
    announce()
    app.exec()


if __name__ == "__main__":
    main()
