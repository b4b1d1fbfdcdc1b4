"""A rich chat-box stand-in for the image end-to-end tests: a QTextEdit in its own process that
accepts pasted images and text and reports each, in the order it received them.

Lines on stdout: ``ready <window id>`` once shown; ``received <monotonic_ns> image <pixel hash>``
or ``received <monotonic_ns> text <json>`` for each pasted item (an item with both reports the
image first), with ``received <monotonic_ns> html <count of images>`` for HTML that embeds
pictures (CLOCK_MONOTONIC: a benchmark in another process compares it with its own clock). Commands on stdin: ``get_text`` answers ``text <json>`` (the editor's plain text, typed keys
included); ``clear`` empties the editor. Closing stdin quits.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests.image_samples import pixel_hash

SCRIPT = Path(__file__)
START_TIMEOUT = 15.0


def qt_pixel_hash(image: object) -> str:
    """The pixel hash of a QImage (converted to RGBA), as the target reports it."""
    from PySide6.QtGui import QImage

    assert isinstance(image, QImage)
    rgba = image.convertToFormat(QImage.Format.Format_RGBA8888)
    data = bytes(rgba.constBits())[: rgba.width() * rgba.height() * 4]  # no row padding: 4 bytes
    return pixel_hash(rgba.width(), rgba.height(), data)


def png_pixel_hash(png: bytes) -> str:
    """The pixel hash the target reports for the picture `png`."""
    from PySide6.QtGui import QImage

    return qt_pixel_hash(QImage.fromData(png))


class ImageTarget:
    """Handle on a running image_target.py: the items it received, in order; focus it."""

    def __init__(self, display: str) -> None:
        env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb")
        env["PYTHONPATH"] = os.pathsep.join([str(SCRIPT.parents[2]), env.get("PYTHONPATH", "")])
        self._process = subprocess.Popen(
            [sys.executable, str(SCRIPT)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env
        )
        self._lines: queue.Queue[str] = queue.Queue()
        self._texts: queue.Queue[str] = queue.Queue()  # answers to get_text
        threading.Thread(target=self._read, daemon=True).start()
        kind, _, rest = self._lines.get(timeout=START_TIMEOUT).partition(" ")
        assert kind == "ready", f"image target said {kind} {rest}"
        self.window_id = int(rest)
        self.received: list[tuple[str, str]] = []
        self.stamps: list[int] = []  # CLOCK_MONOTONIC ns of each received item

    def wait_for(self, count: int, timeout: float = 10) -> list[tuple[str, str]]:
        """Return the first `count` received items (AssertionError listing them if too few)."""
        try:
            while len(self.received) < count:
                line = self._lines.get(timeout=timeout)
                head, _, rest = line.partition(" ")
                if head != "received":
                    continue
                stamp, _, rest = rest.partition(" ")
                kind, _, value = rest.partition(" ")
                self.stamps.append(int(stamp))
                self.received.append((kind, json.loads(value) if kind == "text" else value))
        except queue.Empty:
            raise AssertionError(f"target received only {self.received}") from None
        return self.received[:count]

    def clear(self) -> None:
        """Empty the editor (the received items are kept)."""
        assert self._process.stdin is not None
        self._process.stdin.write(b"clear\n")
        self._process.stdin.flush()

    def text(self) -> str:
        """Return the editor's plain text (typed keys included)."""
        assert self._process.stdin is not None
        self._process.stdin.write(b"get_text\n")
        self._process.stdin.flush()
        return str(json.loads(self._texts.get(timeout=START_TIMEOUT)))

    def focus(self) -> None:
        """Give this window the X input focus."""
        from tests.e2e.conftest import xdotool

        xdotool("windowfocus", "--sync", str(self.window_id))

    def close(self) -> None:
        """Close stdin (the target quits) and reap the process."""
        assert self._process.stdin is not None
        self._process.stdin.close()
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()

    def _read(self) -> None:
        assert self._process.stdout is not None
        for raw in self._process.stdout:
            kind, _, rest = raw.decode("utf-8").rstrip("\n").partition(" ")
            (self._texts if kind == "text" else self._lines).put(
                rest if kind == "text" else f"{kind} {rest}"
            )


def main() -> None:
    """Run the rich target window until stdin closes."""
    from PySide6.QtCore import QMimeData, QSocketNotifier, QTimer
    from PySide6.QtWidgets import QApplication, QTextEdit

    def say(line: str) -> None:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    class RichEdit(QTextEdit):
        def canInsertFromMimeData(self, source: QMimeData) -> bool:  # noqa: N802 - Qt override
            return source.hasImage() or super().canInsertFromMimeData(source)

        def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802 - Qt override
            if source.hasImage():
                image = source.imageData()
                say(f"received {time.monotonic_ns()} image {qt_pixel_hash(image)}")
                self.textCursor().insertImage(image)
            if source.hasHtml() and "<img" in source.html():
                say(f"received {time.monotonic_ns()} html {source.html().count('<img')}")
            if source.hasText():
                say(
                    f"received {time.monotonic_ns()} text "
                    + json.dumps(source.text(), ensure_ascii=False)
                )
                self.textCursor().insertText(source.text())

    sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    app = QApplication(sys.argv[:1])
    editor = RichEdit()
    editor.setWindowTitle("QuickReply e2e image target")
    editor.resize(640, 360)
    editor.show()
    editor.activateWindow()
    editor.setFocus()
    os.set_blocking(0, False)
    notifier = QSocketNotifier(0, QSocketNotifier.Type.Read)

    def on_stdin() -> None:
        try:
            chunk = os.read(0, 65536)
        except BlockingIOError:
            return
        if not chunk:
            app.quit()
            return
        if b"clear" in chunk:
            editor.clear()
        if b"get_text" in chunk:
            say("text " + json.dumps(editor.toPlainText(), ensure_ascii=False))

    notifier.activated.connect(on_stdin)

    def announce() -> None:
        handle = editor.windowHandle()
        if handle is not None and handle.isExposed():
            say(f"ready {int(editor.winId())}")
        else:
            QTimer.singleShot(10, announce)

    announce()
    app.exec()


if __name__ == "__main__":
    main()
