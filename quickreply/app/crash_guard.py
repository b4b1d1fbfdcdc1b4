"""Crash safety: an unexpected exception is logged and told to the agent once; the app stays up.

PySide6 hands exceptions escaping a Qt slot or timer callback to `sys.excepthook`, background
threads to `threading.excepthook`, and the controller's hotkey callback passes its own there too.
The guard replaces both hooks: full traceback to the log, one short tray message per run (the
first), never a dialog with a traceback and never an exit.
"""

from __future__ import annotations

import logging
import sys
import threading
from types import TracebackType

from PySide6.QtCore import QObject, Signal

from quickreply.core.i18n import tr

log = logging.getLogger(__name__)


class CrashGuard(QObject):
    """Catches what nothing else caught; `problem` carries the one message for the agent."""

    problem = Signal(str)  # emitted once per run, queued to the Qt main thread

    def __init__(self) -> None:
        super().__init__()
        self.count = 0
        self._lock = threading.Lock()
        self._previous = (sys.excepthook, threading.excepthook)

    def install(self) -> None:
        """Route uncaught exceptions of the main thread, Qt callbacks and threads here."""
        sys.excepthook = self.report
        threading.excepthook = self._report_thread

    def uninstall(self) -> None:
        """Put the previous hooks back (at shutdown, and in tests)."""
        sys.excepthook, threading.excepthook = self._previous

    def report(
        self,
        kind: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
    ) -> None:
        """Log one uncaught exception; tell the agent about the first one. Any thread."""
        if issubclass(kind, KeyboardInterrupt):
            self._previous[0](kind, exc, tb)
            return
        log.error("unexpected error (QuickReply keeps running)", exc_info=(kind, exc, tb))
        with self._lock:
            self.count += 1
            first = self.count == 1
        if first:
            self.problem.emit(
                tr(
                    "Something went wrong ({error}); QuickReply keeps running. "
                    "Details are in the log: tray menu → Copy diagnostics.",
                    error=kind.__name__,
                )
            )

    def _report_thread(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            self.report(args.exc_type, args.exc_value, args.exc_traceback)
