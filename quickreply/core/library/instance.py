"""One running app per data directory, and the status file other processes read."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from quickreply.core.errors import BusyError
from quickreply.core.library import paths
from quickreply.core.library.atomic import atomic_write_text


class InstanceLock:
    """Held for the app's lifetime; the OS releases it if the process dies."""

    def __init__(self, folder: Path | None = None) -> None:
        self._lock = FileLock(str((folder or paths.data_dir()) / "app.lock"), timeout=0)

    def acquire(self) -> None:
        """Take the lock; raise BusyError when another QuickReply app already runs on this data."""
        try:
            self._lock.acquire()
        except Timeout as exc:
            raise BusyError(
                "QuickReply is already running (look for its icon in the tray)"
            ) from exc

    def release(self) -> None:
        """Let another instance start."""
        self._lock.release()


def status_path() -> Path:
    """Return the path of the running app's status file."""
    return paths.data_dir() / "status.json"


def write_status(**values: Any) -> None:
    """Record the running app's state (pid, ready time, hotkeys) for `doctor`, tests and scripts."""
    data = {"pid": os.getpid(), "updated": time.time(), **values}
    atomic_write_text(status_path(), json.dumps(data, ensure_ascii=False, indent=1))
