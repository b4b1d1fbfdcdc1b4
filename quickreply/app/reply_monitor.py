"""Reply speed (opt-in): key presses counted, never read, turned into compose times.

The key counter's thread only emits a queued Qt signal; the state machine (core.reply_speed)
and the usage log are fed on the Qt main thread.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QObject, Signal

from quickreply.app.controller import Controller
from quickreply.core.errors import QuickReplyError
from quickreply.core.usage.log import UsageLog
from quickreply.core.usage.reply_speed import ComposeTracker
from quickreply.platform.keycount import KeyCounter, choose_key_counter, monotonic_ms

log = logging.getLogger(__name__)
_APP_CACHE_MS = 1000  # the focused application, looked up at most once a second


class ReplySpeedMonitor(QObject):
    """Counts key presses in the focused application and records one sample per sent reply."""

    _key = Signal(bool, object)  # is_enter, monotonic ms: counter thread -> main thread

    def __init__(
        self, controller: Controller, usage_log: UsageLog, counter: KeyCounter | None = None
    ) -> None:
        super().__init__()
        self.controller = controller
        self.usage_log = usage_log
        self.counter = counter or choose_key_counter(controller.error.emit)
        self.tracker = ComposeTracker()
        self._app: tuple[int, str | None] = (-_APP_CACHE_MS, None)
        self._key.connect(self._on_key)
        controller.inserted.connect(lambda _sid: self.tracker.snippet_inserted(monotonic_ms()))
        # our own Enter, reported directly (a hook may not see it); a hook that does see it
        # finds the tracker idle again, and an Enter with nothing composed sends nothing
        controller.auto_sent.connect(lambda _sid: self._on_key(True, monotonic_ms()))

    def availability(self) -> tuple[bool, str]:
        """Whether key presses can be counted here, with the reason (shown in the stats window)."""
        return self.counter.available()

    def start(self) -> tuple[bool, str]:
        """Start counting; return (running, reason)."""
        usable, reason = self.counter.available()
        if not usable:
            return False, reason
        key = self._key
        try:
            self.counter.start(lambda is_enter, t_ms: key.emit(is_enter, t_ms))
        except QuickReplyError as exc:
            return False, str(exc)
        return True, reason

    def stop(self) -> None:
        """Stop counting."""
        self.counter.stop()

    def _focused_app(self, now_ms: int) -> str | None:
        stamp, app = self._app
        if now_ms - stamp >= _APP_CACHE_MS:
            window = self.controller.active_window()
            app = window.process_name if window else None
            self._app = (now_ms, app)
        return app

    def _on_key(self, is_enter: bool, t_ms: int) -> None:
        composed = self.tracker.key(is_enter, t_ms, self._focused_app(t_ms))
        if composed is not None:
            self.usage_log.record_reply(
                composed.start_ms,
                composed.end_ms,
                composed.used_snippet,
                composed.app,
                ts_ms=int(time.time() * 1000),
            )
