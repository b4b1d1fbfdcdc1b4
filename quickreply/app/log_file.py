"""The app's log: a size-capped, rotating file in the data dir's logs/ folder.

Ids, timings and tracebacks only; the insertion path never logs snippet text or what was typed.
"""

from __future__ import annotations

import logging
from collections import deque
from logging.handlers import RotatingFileHandler
from pathlib import Path

from quickreply.core.library import paths

APP_LOG = "app.log"
CLI_LOG = "quickreply.log"  # unexpected errors of `quickreply` commands (cli.py)
MAX_BYTES = 1_000_000
BACKUPS = 3  # at most 4 MB of logs


def install_app_log(level: int = logging.INFO) -> Path:
    """Send this process's log records to logs/app.log (rotated at 1 MB); return its path."""
    path = paths.log_file(APP_LOG)  # owner-only
    root = logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler, RotatingFileHandler) and Path(handler.baseFilename) == path:
            return path
    handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    return path


def last_log_lines(count: int = 60) -> list[str]:
    """Return the last `count` lines of the app log (older rotated files first) and the CLI log."""
    folder = paths.log_dir()
    app_files = [folder / f"{APP_LOG}.{n}" for n in range(BACKUPS, 0, -1)] + [folder / APP_LOG]
    lines: deque[str] = deque(maxlen=count)
    for path in app_files:
        lines.extend(_read_lines(path))
    cli: deque[str] = deque(_read_lines(folder / CLI_LOG), maxlen=count // 3)
    return list(lines) + ([f"-- {CLI_LOG} --", *cli] if cli else [])


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        return []
