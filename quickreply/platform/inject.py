"""Putting text into the focused window: the one function every trigger ends in.

Paste mode (default): release the trigger's still-held modifiers, save the clipboard, put the text
on it, send the paste keys, wait until the target has read it (bounded), then move the caret for
{{cursor}}, press the send keys for auto-send, and restore the clipboard. Multi-line text is always
pasted, never typed, so a newline can never send half a message. Type mode (for applications that
block paste) types the text instead, a line at a time with the newline keys between. Which keys
are pressed comes with the request, from the focused application's rule.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEventLoop, QTimer

from quickreply.core.hotkey import parse_keys
from quickreply.platform.clipboard import Clipboard
from quickreply.platform.keys import KeySender

# After the target's first read, a few more milliseconds for applications that read twice
# (e.g. TARGETS then text, or two text formats) before the clipboard changes back.
_READ_GRACE_MS = 15


@dataclass(frozen=True)
class InsertRequest:
    """What to insert and how; the keys come from the focused application's rule (app_rules)."""

    text: str
    paste_keys: str  # e.g. ctrl+v, shift+insert, ctrl+shift+v (terminals)
    send_keys: str  # auto-send: enter or ctrl+enter
    newline_keys: str  # a new line while typing: shift+enter or ctrl+enter
    caret_left: int = 0  # Left-arrow presses after inserting ({{cursor}})
    auto_send: bool = False  # press send_keys afterwards
    mode: str = "paste"  # "paste" or "type"
    rule: str | None = None  # the app rule that matched (for logs and the tray tooltip)
    erase_before: int = 0  # BackSpace presses first: a typed abbreviation is replaced


@dataclass(frozen=True)
class InsertOutcome:
    """What happened: when the paste keys went out and whether the target read the clipboard."""

    sent_ns: int  # time.perf_counter_ns() right after the paste keys (or the typing) were sent
    read_by_target: bool


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


class Injector:
    """Inserts text through the clipboard and paste keys, or by typing; restores the clipboard."""

    def __init__(
        self, keys: KeySender, clipboard: Clipboard, restore_timeout_ms: int = 400
    ) -> None:
        self.keys = keys
        self.clipboard = clipboard
        self.restore_timeout_ms = restore_timeout_ms

    def insert(self, request: InsertRequest) -> InsertOutcome:
        """Insert `request.text` into the focused window. Runs on the Qt main thread."""
        self.keys.release_held_modifiers()
        if request.erase_before:
            self.keys.tap("backspace", request.erase_before)
        if request.mode == "type":
            newline = parse_keys(request.newline_keys)
            for number, line in enumerate(request.text.split("\n")):
                if number:
                    self.keys.send_combo(newline)
                if line:
                    self.keys.type_text(line)
            sent = time.perf_counter_ns()
            self._finish(request)
            return InsertOutcome(sent, read_by_target=False)
        reads: list[int] = []
        saved = self.clipboard.snapshot()
        try:
            self.clipboard.put_reporting_text(
                request.text, lambda: reads.append(time.perf_counter_ns())
            )
            self.keys.send_combo(parse_keys(request.paste_keys))
            sent = time.perf_counter_ns()
            read = wait_until(lambda: bool(reads), self.restore_timeout_ms)
            if read:
                wait_until(lambda: False, _READ_GRACE_MS)
            self._finish(request)
        finally:
            self.clipboard.restore(saved)
        return InsertOutcome(sent, read_by_target=read)

    def _finish(self, request: InsertRequest) -> None:
        if request.caret_left:
            self.keys.tap("left", request.caret_left)
        if request.auto_send:
            self.keys.send_combo(parse_keys(request.send_keys))
