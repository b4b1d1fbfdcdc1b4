"""Pack subscriptions kept current while the app runs: at start-up and every N minutes.

Sources are asked on a worker thread (network, shared drives); new versions are applied through
the store on the Qt main thread, which owns it. Failures never touch the installed version. The
pack code (zip, YAML, HTTP, signing) is imported by the first check's worker, not at start-up,
and not at all while nothing is subscribed.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from quickreply.core.library import paths
from quickreply.core.library.settings import load_settings
from quickreply.core.library.store import LibraryStore

if TYPE_CHECKING:
    from quickreply.core.packs.subscriptions import PendingUpdate, SubscriptionBook, UpdateReport

log = logging.getLogger(__name__)
_FIRST_CHECK_MS = 3000  # after start-up, once hotkeys are ready


class SubscriptionTimer(QObject):
    """Checks due subscriptions on a timer; emits `updated` with every report of a check."""

    updated = Signal(object)  # list[UpdateReport]
    check_started = Signal()
    check_finished = Signal()  # applied (or nothing to apply), next check scheduled
    _fetched = Signal(object)  # (generation, list[PendingUpdate]): worker -> main thread

    def __init__(self, store: LibraryStore, book: SubscriptionBook | None = None) -> None:
        super().__init__()
        self.store = store
        self._book = book
        self.reports: list[UpdateReport] = []
        self._running = False
        self._generation = 0  # a worker's results count only if no newer check replaced it
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self.check_now)
        self._watchdog = QTimer(self, singleShot=True)
        self._watchdog.timeout.connect(self._abandon)
        self._fetched.connect(self._apply)

    @property
    def book(self) -> SubscriptionBook:
        """The subscriptions (read on first use)."""
        if self._book is None:
            from quickreply.core.packs.subscriptions import SubscriptionBook

            self._book = SubscriptionBook()
        return self._book

    def start(self) -> None:
        """Schedule the first check shortly after start-up."""
        self._timer.start(_FIRST_CHECK_MS)

    def check_now(self) -> None:
        """Ask every due subscription now (on a worker thread)."""
        if self._running:
            return
        self._running = True
        self.check_started.emit()
        self._generation += 1
        generation = self._generation
        records = self.store.pack_records()
        settings = load_settings(self.store)
        minutes = max(1, settings.subscription_check_minutes)
        deadline = settings.download_deadline_s
        if self._book is None and not paths.subscriptions_path().exists():
            # nothing subscribed: nothing to ask, and no pack code (zip, HTTP, signing) to load
            self._running = False
            self._timer.start(minutes * 60_000 + 1000)
            self.check_finished.emit()
            return
        fetched = self._fetched
        given_book = self._book

        def work() -> None:
            try:
                from quickreply.core.packs.subscriptions import SubscriptionBook, fetch_updates

                book = given_book or SubscriptionBook()
                pending = fetch_updates(records, book=book, due_within=minutes, deadline=deadline)
            except Exception:  # noqa: BLE001 - a checker bug must not stop future checks
                log.exception("subscription check failed")
                pending = []
            fetched.emit((generation, pending))

        threading.Thread(target=work, name="quickreply-subscriptions", daemon=True).start()
        # every download has its own deadline; this catches a worker stuck anywhere else
        self._watchdog.start(int(1000 * self.abandon_after_s(deadline, len(records))))

    def abandon_after_s(self, deadline: float, packs: int) -> float:
        """Seconds after which a check that has not finished is abandoned (index + pack each)."""
        return 2 * deadline * max(1, packs) + 30

    def _abandon(self) -> None:
        """Give up on a stuck check: later checks run again; its late results are dropped."""
        log.warning("subscription check did not finish in time; abandoned")
        self._generation += 1
        self._running = False
        self._schedule()
        self.check_finished.emit()

    def _apply(self, result: tuple[int, list[PendingUpdate]]) -> None:
        from quickreply.core.packs.subscriptions import apply_updates

        generation, pending = result
        if generation != self._generation:
            return  # an abandoned check finishing late: a newer one owns the schedule
        self._watchdog.stop()
        self._running = False
        if pending:
            self.reports = apply_updates(self.store, pending, book=self.book)
            self.updated.emit(self.reports)
        self._schedule()
        self.check_finished.emit()

    def _schedule(self) -> None:
        from quickreply.core.packs.subscriptions import (
            check_interval_minutes,
            seconds_until_next_check,
        )

        minutes = check_interval_minutes(self.store)
        wait = seconds_until_next_check(
            list(self.book.all().values()), datetime.now(timezone.utc), minutes
        )
        self._timer.start(int(1000 * (wait if wait is not None else minutes * 60)) + 1000)

    def last_checked(self) -> dict[str, str | None]:
        """Return pack id -> when its source was last checked (ISO UTC), for the tray tooltip."""
        return {pack_id: sub.last_checked for pack_id, sub in self.book.all().items()}
