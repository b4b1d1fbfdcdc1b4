"""Putting text into the focused window: the one function every trigger ends in.

Paste mode (default): release the trigger's still-held modifiers, save the clipboard, put the text
on it and confirm that it holds it (retry, else give up), check that the target still has the
focus, send the paste keys, wait until the target has read the text (bounded) and finished with
the clipboard, then move the caret for {{cursor}}, press Enter for auto-send, and restore the
clipboard (only if it still holds our text). Without a confirmed read no caret key and no Enter is
pressed, and the text stays on the clipboard for a late read until the target has read it or
`LATE_READ_MS` passed. Multi-line text is always pasted, never typed, so a newline can never send
half a message. Type mode (for applications that block paste) types the text instead, a line at a
time with the newline keys between. Which keys are pressed (paste, send, new line) comes with the
request, from the focused application's rule.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QMimeData, QTimer

from quickreply.core.app_rules import InsertMode
from quickreply.core.hotkey import parse_keys
from quickreply.core.i18n import tr
from quickreply.core.library.model import ImageOrder
from quickreply.platform.clipboard import Clipboard
from quickreply.platform.clipboard_reads import PasteReads
from quickreply.platform.event_loop import wait_until
from quickreply.platform.keys import KeySender
from quickreply.platform.paste_parts import PastePart, paste_parts

# The longest we wait for the agent's keys to be up before the paste keys go out.
_QUIET_KEYBOARD_MS = 150
# Setting the clipboard: tries and the wait between them when another program holds it at once.
_PUT_TRIES = 3
_PUT_RETRY_MS = 30
# The longest we keep the clipboard for a target that is still reading (Chromium under load).
_SETTLE_MAX_MS = 2000
# A target that has not read by the time we give up waiting may still read later (a busy client);
# our text stays on the clipboard for it this long, so a late read never gets the old clipboard.
LATE_READ_MS = 5000


class Outcome(enum.Enum):
    """What became of an insertion."""

    INSERTED = "inserted"  # the target read our text (or it was typed)
    NOT_READ = "not_read"  # paste keys sent, no read in time: no caret keys, no Enter
    CLIPBOARD_REFUSED = "clipboard_refused"  # the clipboard would not hold our text: nothing sent
    FOCUS_LOST = "focus_lost"  # the target no longer had the focus: nothing sent
    TAKEN = (
        "clipboard_taken"  # another program took the clipboard mid-paste: no caret keys, no Enter
    )


@dataclass(frozen=True)
class InsertRequest:
    """What to insert, where and how; the keys come from the focused application's rule."""

    text: str
    paste_keys: str = "ctrl+v"  # e.g. ctrl+v, shift+insert, ctrl+shift+v (terminals)
    send_keys: str = "enter"  # auto-send: enter or ctrl+enter
    newline_keys: str = "shift+enter"  # a new line while typing: shift+enter or ctrl+enter
    caret_left: int = 0  # Left-arrow presses after inserting ({{cursor}})
    auto_send: bool = False  # press send_keys afterwards
    mode: InsertMode = "paste"
    rule: str | None = None  # the app rule that matched (for logs and the tray tooltip)
    erase_before: int = 0  # BackSpace presses first: a typed abbreviation is replaced
    target: int | None = None  # window handle that must have the focus when the keys go out
    # The paste waits (bounded) until these keys are up: the keys whose press would start a key
    # grab that swallows our paste keys (our other hotkeys), not the trigger's own key the agent
    # may still hold. None: every key, modifiers too (more hotkeys were pressed after this one).
    wait_keys: frozenset[str] | None = frozenset()
    images: tuple[Path, ...] = ()  # image files pasted with the text (paste mode only), in order
    image_order: ImageOrder = "images_first"
    combine_images: bool = False  # one paste of HTML with the images embedded, plus the text


@dataclass(frozen=True)
class InsertOutcome:
    """What happened: when the paste keys went out and whether the target read the clipboard."""

    sent_ns: int  # time.perf_counter_ns() right after the paste keys (or the typing) were sent
    read_by_target: bool
    outcome: Outcome = Outcome.INSERTED
    foreign_reads: int = 0  # text reads by other programs (clipboard managers) after the paste keys
    images: int = 0  # images the target read
    problems: tuple[str, ...] = ()  # images that could not be pasted (missing, unreadable)

    @property
    def happened(self) -> bool:
        """True if the text is known to have reached the target (the only case to record)."""
        return self.outcome is Outcome.INSERTED

    def message(self, title: str) -> str:
        """What to tell the agent about snippet `title` when the insertion did not happen."""
        if self.outcome is Outcome.NOT_READ:
            return tr(
                "“{title}” may not have arrived: the window did not take the text in time, so no "
                "Enter or cursor key was pressed. Check the chat box.",
                title=title,
            )
        if self.outcome is Outcome.TAKEN:
            return tr(
                "“{title}” may not have arrived: another program took the clipboard during the "
                "paste, so no Enter or cursor key was pressed. Check the chat box.",
                title=title,
            )
        if self.outcome is Outcome.FOCUS_LOST:
            return tr(
                "“{title}” was not inserted: the chat window lost the focus. Nothing was sent.",
                title=title,
            )
        return tr(
            "“{title}” was not inserted: another program holds the clipboard. Nothing was sent.",
            title=title,
        )


@dataclass
class _LateRestore:
    """The agent's clipboard, put back once a late reader has read and settled (or time is up)."""

    saved: QMimeData | None
    reads: PasteReads
    deadline_ns: int


class Injector:
    """Inserts text through the clipboard and paste keys, or by typing; restores the clipboard."""

    def __init__(
        self, keys: KeySender, clipboard: Clipboard, restore_timeout_ms: int = 400
    ) -> None:
        self.keys = keys
        self.clipboard = clipboard
        self.restore_timeout_ms = restore_timeout_ms
        self._late: _LateRestore | None = None
        self._late_timer = QTimer(interval=20)
        self._late_timer.timeout.connect(self._check_late_restore)

    def insert(
        self, request: InsertRequest, focused: Callable[[], int | None] | None = None
    ) -> InsertOutcome:
        """Insert `request.text` into the focused window. Runs on the Qt main thread.

        `focused` returns the handle of the window that has the focus now; with a
        `request.target` it is asked right before any key goes out.
        """
        self.keys.release_held_modifiers()
        if request.mode == "type":
            if not self._target_focused(request, focused):
                return InsertOutcome(0, False, Outcome.FOCUS_LOST)
            self._erase(request)
            newline = parse_keys(request.newline_keys)
            for number, line in enumerate(request.text.split("\n")):
                if number:
                    self.keys.send_combo(newline)
                if line:
                    self.keys.type_text(line)
            sent = time.perf_counter_ns()
            self._finish(request)
            return InsertOutcome(sent, read_by_target=False)
        saved = self._agents_clipboard()
        parts = paste_parts(request, self.clipboard)
        sent = 0
        images = 0
        for number, part in enumerate(parts):
            result = self._paste(request, part, saved, focused, first=number == 0)
            sent = sent or result.sent_ns
            if result.outcome is not Outcome.INSERTED:
                return replace(result, sent_ns=sent, images=images, problems=parts.problems)
            images += part.images
        self._finish(request, caret=parts.text_last)
        self.clipboard.restore(saved)
        return InsertOutcome(sent, True, images=images, problems=parts.problems)

    def _paste(
        self,
        request: InsertRequest,
        part: PastePart,
        saved: QMimeData | None,
        focused: Callable[[], int | None] | None,
        *,
        first: bool,
    ) -> InsertOutcome:
        """Paste one part (an image, the text, or both combined) and wait until the target has
        read it and let the clipboard be; the agent's clipboard is put back on any failure."""
        reads = PasteReads(request.target, self.clipboard.client_mask, image=part.images > 0)
        if not self._put(part, reads):
            self.clipboard.restore(saved)
            return InsertOutcome(0, False, Outcome.CLIPBOARD_REFUSED)
        if not self._target_focused(request, focused):
            self.clipboard.restore(saved)
            return InsertOutcome(0, False, Outcome.FOCUS_LOST)
        # The agent's next hotkey, pressed right now, starts its key grab, which would swallow
        # our paste keys: wait (bounded) until those keys are up (see InsertRequest.wait_keys).
        # A later part goes out 150 ms or more after the trigger: keys down then, modifiers
        # too, belong to the agent's next press, not to this one's, so every key is waited for.
        wait_keys = request.wait_keys if first else None
        if wait_keys is None or wait_keys:
            wait_until(lambda: not self.keys.keys_down(wait_keys), _QUIET_KEYBOARD_MS)
        # again: the agent may have pressed the next hotkey's modifiers while we waited
        self.keys.release_held_modifiers()
        if first:
            self._erase(request)
        reads.open()
        changes = self.clipboard.changes
        if not self.clipboard.holds_ours():  # taken away while we looked at the focus
            self.clipboard.restore(saved)
            return InsertOutcome(0, False, Outcome.CLIPBOARD_REFUSED)
        self.keys.send_combo(parse_keys(request.paste_keys))
        sent = time.perf_counter_ns()
        if not wait_until(lambda: reads.read, self.restore_timeout_ms):
            self._restore_later(saved, reads)
            return InsertOutcome(sent, False, Outcome.NOT_READ, reads.foreign_reads)
        # Caret keys, Enter and the next part only once the target is done with the clipboard
        # and it stayed ours all along: a paste whose clipboard changed midway may have come to
        # nothing.
        wait_until(reads.settled, _SETTLE_MAX_MS)
        if self.clipboard.changes != changes or not self.clipboard.holds_ours():
            self.clipboard.restore(saved)  # only if ours again: another program's copy stays
            return InsertOutcome(sent, True, Outcome.TAKEN)
        return InsertOutcome(sent, True)

    def flush(self) -> None:
        """Put back an agent's clipboard still held for a late reader (before quitting)."""
        late, self._late = self._late, None
        self._late_timer.stop()
        if late is not None:
            self.clipboard.restore(late.saved)

    def _agents_clipboard(self) -> QMimeData | None:
        """The clipboard to restore afterwards: the agent's, even while a late read is pending."""
        late, self._late = self._late, None
        self._late_timer.stop()
        if late is not None and self.clipboard.holds_ours():
            return late.saved
        return self.clipboard.snapshot()

    def _put(self, part: PastePart, reads: PasteReads) -> bool:
        for attempt in range(_PUT_TRIES):
            if attempt:
                wait_until(lambda: False, _PUT_RETRY_MS)
            if self.clipboard.put_reporting(part.data(reads), reads):
                return True
        return False

    def _target_focused(
        self, request: InsertRequest, focused: Callable[[], int | None] | None
    ) -> bool:
        return request.target is None or focused is None or focused() == request.target

    def _restore_later(self, saved: QMimeData | None, reads: PasteReads) -> None:
        deadline = time.perf_counter_ns() + LATE_READ_MS * 1_000_000
        self._late = _LateRestore(saved, reads, deadline)
        self._late_timer.start()

    def _check_late_restore(self) -> None:
        late = self._late
        if late is None:
            self._late_timer.stop()
            return
        if late.reads.settled() or time.perf_counter_ns() >= late.deadline_ns:
            self.flush()

    def _erase(self, request: InsertRequest) -> None:
        """BackSpace over a typed abbreviation, right before its replacement goes in."""
        if request.erase_before:
            self.keys.tap("backspace", request.erase_before)

    def _finish(self, request: InsertRequest, caret: bool = True) -> None:
        """Move the caret for {{cursor}} (only when the text went in last) and auto-send."""
        caret_left = request.caret_left if caret else 0
        if caret_left or request.auto_send:
            self.keys.release_held_modifiers()  # no Shift+Left, no stray Ctrl/Alt with Enter
        if caret_left:
            self.keys.tap("left", caret_left)
        if request.auto_send:
            self.keys.send_combo(parse_keys(request.send_keys))
