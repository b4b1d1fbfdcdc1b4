"""The running app's usage reaching the team drop: every N minutes (setting) and at exit.

The store is read on the Qt main thread (the agent id and the library's meta line); the usage log
and the drop (network, shared drives, the keyring) are used on a worker thread. After a failure
the next try follows the outbox's back-off, never later than the interval.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from quickreply.core.library.settings import Settings, load_settings
from quickreply.core.library.store import LibraryStore
from quickreply.core.usage.log import UsageLog, now_ms

if TYPE_CHECKING:
    from quickreply.core.team.publish import PublishResult
    from quickreply.core.team.report import DropReport

log = logging.getLogger(__name__)
_FIRST_PUBLISH_MS = 10_000  # after start-up, once hotkeys are ready
EXIT_BUDGET_S = 8.0  # at exit: what is not out by then waits in the outbox for the next start


class TeamPublisher(QObject):
    """Publishes the outbox on a timer; emits `published` with each PublishResult."""

    published = Signal(object)  # PublishResult, on the main thread
    _done = Signal(object)  # worker thread -> main thread

    def __init__(self, store: LibraryStore, usage_log: UsageLog) -> None:
        super().__init__()
        self.store = store
        self.usage_log = usage_log
        self.last: PublishResult | None = None
        self._worker: threading.Thread | None = None
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self.publish_now)
        self._done.connect(self._finished)

    def start(self) -> None:
        """Schedule the first publish shortly after start-up (when a team drop is set)."""
        self._timer.start(_FIRST_PUBLISH_MS)

    def publish_now(self) -> None:
        """Start a publish on a worker thread (nothing when no drop is set or one is running)."""
        settings = load_settings(self.store)
        if not settings.team_drop.strip():
            self._timer.start(settings.team_publish_minutes * 60_000)
            return
        if self._worker is not None and self._worker.is_alive():
            return
        self._worker = self._spawn(settings, respect_backoff=True)

    def publish_at_exit(self) -> None:
        """Publish what the log holds now, waiting at most EXIT_BUDGET_S; call before closing it."""
        self._timer.stop()
        settings = load_settings(self.store)
        if not settings.team_drop.strip():
            return
        running = self._worker
        if running is not None and running.is_alive():
            running.join(EXIT_BUDGET_S / 2)
        try:
            self.usage_log.flush()
        except Exception:  # noqa: BLE001 - the log reports its own trouble; publish what is there
            log.exception("usage log flush before the exit publish failed")
        self._spawn(settings, respect_backoff=False).join(EXIT_BUDGET_S)

    def _spawn(self, settings: Settings, *, respect_backoff: bool) -> threading.Thread:
        from quickreply.core.team.publish import agent_meta

        agent_id, meta = agent_meta(self.store)
        done = self._done
        usage_log = self.usage_log

        def work() -> None:
            from quickreply.core.team.publish import PublishResult, publish_days
            from quickreply.platform.credentials import configured_drop

            try:
                result = publish_days(
                    agent_id,
                    meta,
                    usage_log,
                    configured_drop(settings),
                    respect_backoff=respect_backoff,
                )
            except Exception as exc:  # noqa: BLE001 - a publisher bug must not stop later tries
                log.exception("team publish failed")
                result = PublishResult(error=str(exc))
            done.emit(result)

        thread = threading.Thread(target=work, name="quickreply-team-publish", daemon=True)
        thread.start()
        return thread

    def _finished(self, result: Any) -> None:
        self.last = result
        self.published.emit(result)
        minutes_ms = load_settings(self.store).team_publish_minutes * 60_000
        wait = minutes_ms
        if result.error:
            from quickreply.core.team.outbox import Outbox

            wait = min(minutes_ms, max(1000, Outbox.load().next_try_ms - now_ms()))
        self._timer.start(wait)


def write_report_from_drop(location: str, output: Path, fmt: str, settings: Settings) -> DropReport:
    """Write the team report of the drop at `location` (the keyring password when it is ours)."""
    from quickreply.core.team.day_cache import reader_cache
    from quickreply.core.team.location import is_url, open_drop
    from quickreply.core.team.report import write_drop_report
    from quickreply.platform.credentials import drop_password

    location = location.strip()
    user = settings.team_drop_user if location == settings.team_drop.strip() else ""
    password = drop_password(location, user) if is_url(location) else None
    with reader_cache(location) as cache:
        return write_drop_report(open_drop(location, user, password), output, fmt, cache=cache)
