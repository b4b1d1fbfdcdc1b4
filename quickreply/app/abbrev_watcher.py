"""Typed abbreviations (opt-in): key events in, Controller.insert out.

The key-event source's thread only emits a queued signal; matching (core.abbrev_match) runs on
the Qt main thread and keeps just a rolling buffer of the last few characters in memory. Nothing
typed is ever written anywhere. Our own key presses (the BackSpaces and the paste of an
expansion) come back through the source too and are ignored for a short quiet time.

Password fields and input-method compositions are skipped where the platform can tell
(platform/input_state: Windows). X11 cannot tell (IBus/Fcitx keep the composition inside the
client): use a prefix such as `;hy`, which pinyin typing never produces. See docs/abbreviations.md.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from quickreply.app.controller import UNDO_WINDOW_MS, Controller
from quickreply.core.abbrev_match import AbbrevMatch, AbbrevMatcher
from quickreply.core.errors import QuickReplyError
from quickreply.core.library.store import Change
from quickreply.platform.input_state import InputState, choose_input_state
from quickreply.platform.keyevents import KeyEvent, KeyEventSource, monotonic_ms, shared_key_events

log = logging.getLogger(__name__)
QUIET_MS = 250  # after we send keys, what the source reports for this long is our own doing
RELEASE_WAIT_MS = 80  # the agent's BackSpace is released before ours go out
_END_CHAR = {"space": " ", "tab": "\t", "none": ""}


class AbbreviationWatcher(QObject):
    """Expands a snippet's abbreviation typed in any window, when the setting is on."""

    _key = Signal(object)  # KeyEvent: source thread -> main thread

    def __init__(
        self,
        controller: Controller,
        source: KeyEventSource | None = None,
        input_state: InputState | None = None,
    ) -> None:
        super().__init__()
        self.controller = controller
        self.source = source or shared_key_events()
        self.input_state = input_state or choose_input_state()
        self.matcher = AbbrevMatcher({})
        self.running = False
        self._quiet_until = 0
        self._window: int | None = None  # the window typing started in
        self._undo: tuple[int, str, int] | None = None  # (expanded at ms, typed, text chars)
        self._key.connect(self._on_key)
        controller.library_changed.connect(self._library_changed)

    def follow_settings(self) -> tuple[bool, str]:
        """Start or stop with the `abbreviations` setting; return (running, reason)."""
        wanted = self.controller.settings.abbreviations == "on"
        if wanted and not self.running:
            return self.start()
        if not wanted and self.running:
            self.stop()
        return self.running, "abbreviations are off" if not wanted else "running"

    def start(self) -> tuple[bool, str]:
        """Build the matcher and listen to key events; return (running, reason)."""
        self.rebuild()
        usable, reason = self.source.available()
        if not usable:
            return False, reason
        try:
            self.source.add_listener(self._emit)
        except QuickReplyError as exc:
            return False, str(exc)
        self.running = True
        return True, reason

    def stop(self) -> None:
        """Stop listening and forget what was typed."""
        self.source.remove_listener(self._emit)
        self.running = False
        self.matcher.reset()

    def rebuild(self) -> None:
        """Match the library's abbreviations (snippets that ask for values are left out)."""
        store = self.controller.store
        abbrevs = {
            s.abbrev: s.id
            for s in store.snippets()
            if s.abbrev and not self.controller.missing_fields(s)
        }
        self.matcher = AbbrevMatcher(abbrevs, self.controller.settings.abbreviation_end_key)

    def _emit(self, event: KeyEvent) -> None:
        self._key.emit(event)  # on the source's thread: hand off, nothing else

    def _library_changed(self, change: Change) -> None:
        if change.settings or change.reloaded:
            self.follow_settings()
        if self.running:
            self.rebuild()

    def _on_key(self, event: KeyEvent) -> None:
        if event.t_ms < self._quiet_until:
            return
        undo, self._undo = self._undo, None
        if undo is not None and event.kind == "backspace" and not event.command:
            expanded_ms, typed, chars = undo
            if event.t_ms - expanded_ms <= UNDO_WINDOW_MS and chars > 0:
                self._take_back(typed, chars)
                return
        self._feed(event)

    def _feed(self, event: KeyEvent) -> None:
        matcher = self.matcher
        if event.command or event.kind in ("enter", "navigation", "click", "other"):
            matcher.reset()
            self._window = None
            return
        if event.kind == "modifier":
            return
        if event.kind == "backspace":
            matcher.backspace()
            return
        if self._window is None:
            window = self.controller.active_window()
            self._window = window.handle if window else None
        if event.kind == "char":
            found = matcher.char(event.char)
        else:
            found = matcher.end("tab" if event.kind == "tab" else "space")
        if found is not None:
            self._expand(found)

    def _expand(self, found: AbbrevMatch) -> None:
        window = self.controller.active_window()
        started_in, self._window = self._window, None
        if window is None or window.handle != started_in:
            return  # the focus moved while typing: not one word
        if not self.controller.app_behaviour(window).abbreviations:
            return
        blocked = self.input_state.blocks_expansion()
        if blocked:
            log.info("abbreviation not expanded: %s", blocked)  # which one is not logged
            return
        snippet = self.controller.store.find(found.snippet_id)
        if snippet is None:
            return
        self.controller.insert(
            snippet, "abbreviation", keys_typed=found.keys_typed, erase=found.erase
        )
        self._quiet_until = monotonic_ms() + QUIET_MS
        last = self.controller.last_insertion
        if last is not None and last.trigger == "abbreviation" and not last.caret_left:
            typed = found.abbrev + (
                _END_CHAR[self.matcher.end_key] if found.erase > len(found.abbrev) else ""
            )
            self._undo = (monotonic_ms(), typed, last.chars + (1 if last.auto_send else 0))

    def _take_back(self, typed: str, chars: int) -> None:
        # the agent's BackSpace already removed the last character of the expansion; ours wait
        # until that key is up again (a press of a key still held down can be lost)
        self._quiet_until = monotonic_ms() + RELEASE_WAIT_MS + QUIET_MS
        self.matcher.reset()

        def undo() -> None:
            if self.controller.undo_abbreviation(typed, chars - 1):
                self._quiet_until = monotonic_ms() + QUIET_MS

        QTimer.singleShot(RELEASE_WAIT_MS, undo)
