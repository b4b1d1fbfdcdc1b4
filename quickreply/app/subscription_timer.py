"""Pack subscriptions kept current while the app runs: at start-up and every N minutes.

Sources are asked on a worker thread (network, shared drives); new versions are applied through
the store on the Qt main thread, which owns it. Failures never touch the installed version. The
pack code (zip, YAML, HTTP, signing) is imported by the first check's worker, not at start-up.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

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
    _fetched = Signal(object)  # list[PendingUpdate]: worker thread -> main thread

    def __init__(self, store: LibraryStore, book: SubscriptionBook | None = None) -> None:
        super().__init__()
        self.store = store
        self._book = book
        self.reports: list[UpdateReport] = []
        self._running = False
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self.check_now)
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
        records = self.store.pack_records()
        minutes = max(1, load_settings(self.store).subscription_check_minutes)
        fetched = self._fetched
        given_book = self._book

        def work() -> None:
            try:
                from quickreply.core.packs.subscriptions import SubscriptionBook, fetch_updates

                book = given_book or SubscriptionBook()
                pending = fetch_updates(records, book=book, due_within=minutes)
            except Exception:  # noqa: BLE001 - a checker bug must not stop future checks
                log.exception("subscription check failed")
                pending = []
            fetched.emit(pending)

        threading.Thread(target=work, name="quickreply-subscriptions", daemon=True).start()

    def _apply(self, pending: list[PendingUpdate]) -> None:
        from quickreply.core.packs.subscriptions import apply_updates

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
