"""The one helper every file write goes through: temp file in the same folder, fsync, os.replace."""

from __future__ import annotations

import contextlib
import glob
import os
import tempfile
import time
from pathlib import Path

from quickreply.core.errors import StorageError

# Windows refuses os.replace while another program (antivirus, backup, indexer) has the target
# open without FILE_SHARE_DELETE; those holds last milliseconds, so a few short retries suffice.
_REPLACE_RETRIES = 10
_REPLACE_BACKOFF_S = 0.05
STALE_TEMP_S = 60.0  # a write takes milliseconds; a temp file this old lost its writer


def atomic_write_bytes(path: Path, data: bytes, *, shared: bool = False) -> None:
    """Write `data` to `path` so that a crash leaves either the old file or the new one, never half.

    Temp files are owner-only; `shared` makes the result readable by others (0644), for what leads
    publish to a web server or a shared drive. Raises StorageError with a readable message when
    the folder is not writable or the disk is full.
    """
    path = Path(path)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise StorageError(f"could not write {path}: {exc.strerror or exc}") from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if shared and os.name != "nt":
            os.chmod(tmp, 0o644)
        _replace_with_retry(tmp, path)
        _fsync_dir(path.parent)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise StorageError(f"could not write {path}: {exc.strerror or exc}") from exc


def atomic_write_text(path: Path, text: str, *, shared: bool = False) -> None:
    """Write `text` as UTF-8 (always, whatever the system locale) with atomic_write_bytes."""
    atomic_write_bytes(path, text.encode("utf-8"), shared=shared)


def _replace_with_retry(src: Path, dst: Path) -> None:
    for attempt in range(_REPLACE_RETRIES):
        try:
            os.replace(src, dst)
            return
        except PermissionError:
            if os.name != "nt" or attempt == _REPLACE_RETRIES - 1:
                raise
            time.sleep(_REPLACE_BACKOFF_S * (attempt + 1))


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX); Windows has no directory handles to fsync."""
    if os.name == "nt":
        return
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def remove_stale_temp_files(path: Path, older_than_s: float = STALE_TEMP_S) -> int:
    """Delete temp files atomic_write_bytes left beside `path` when a process died mid-write.

    Only names of our own pattern (``.<name>.*.tmp``) older than `older_than_s` are removed; call
    it while holding the file's lock, so no live writer can be using one. Returns how many.
    """
    path = Path(path)
    removed = 0
    cutoff = time.time() - older_than_s
    for tmp in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        try:
            if tmp.is_file() and not tmp.is_symlink() and tmp.stat().st_mtime < cutoff:
                tmp.unlink()
                removed += 1
        except OSError:
            continue  # gone already, or not ours to remove
    return removed
