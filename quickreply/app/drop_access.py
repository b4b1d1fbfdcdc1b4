"""The team drop as the dialogs use it: each read, report or connection test on a worker thread.

A dialog starts a `DropCall` and gets `done` (the result) or `failed` (one clear line) back on
the Qt main thread; the drop (network, shared drives, the keyring) is never touched on it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from contextlib import suppress
from typing import Any

from PySide6.QtCore import QObject, Signal

from quickreply.core.errors import QuickReplyError
from quickreply.core.i18n import tr, tr_n
from quickreply.core.team.location import is_url, open_drop
from quickreply.platform.credentials import drop_password, store_drop_password

log = logging.getLogger(__name__)


class DropCall(QObject):
    """Runs one call on a worker thread; `done(result)` or `failed(message)` on the main thread."""

    done = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        """Whether a call is under way."""
        return self._thread is not None and self._thread.is_alive()

    def start(self, work: Callable[[], Any]) -> bool:
        """Run `work` on a worker thread; False (nothing started) while one still runs."""
        if self.running:
            return False
        done, failed = self.done, self.failed

        def run() -> None:
            try:
                result = work()
            except QuickReplyError as exc:
                with suppress(RuntimeError):
                    failed.emit(str(exc))
                return
            except Exception as exc:  # noqa: BLE001 - a bug shows as a line, never a traceback
                log.exception("team drop call failed")
                with suppress(RuntimeError):
                    failed.emit(tr("Unexpected error: {error}", error=type(exc).__name__))
                return
            with suppress(RuntimeError):  # the dialog was closed and deleted meanwhile
                done.emit(result)

        self._thread = threading.Thread(target=run, name="quickreply-team-drop", daemon=True)
        self._thread.start()
        return True


def check_connection(location: str, user: str, password: str) -> str:
    """Reach the drop at `location` (`password` empty: the keyring's); say what it holds."""
    location = location.strip()
    if is_url(location) and user and not password:
        password = drop_password(location, user) or ""
    folders = open_drop(location, user if is_url(location) else "", password or None).probe()
    return tr_n(
        "Connected: {count} agent folder in the team drop",
        "Connected: {count} agent folders in the team drop",
        folders,
    )


def save_password(location: str, user: str, password: str) -> None:
    """Keep the WebDAV password in the OS keyring; raise QuickReplyError without one."""
    store_drop_password(location.strip(), user, password)
