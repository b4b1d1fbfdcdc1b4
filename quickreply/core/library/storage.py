"""A TinyDB Storage that never loses data: UTF-8 always, atomic writes, damaged files moved aside.

TinyDB's own JSONStorage truncates and rewrites in place, reads with the system locale's encoding
(cp936 on Chinese Windows) and re-reads the file on every operation. This one keeps the parsed
tables in memory, writes through `atomic_write_bytes`, and can defer writes for a batch.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from quickreply.core.errors import CorruptFileError, StorageError, ValidationError
from quickreply.core.library.atomic import atomic_write_bytes
from quickreply.core.library.structure import APP_MARKER, library_problem
from quickreply.core.safe_load import load_json

__all__ = ["APP_MARKER", "SafeJSONStorage", "file_signature", "move_aside"]


def file_signature(path: Path) -> tuple[int, int] | None:
    """Return (mtime_ns, size) of `path`, or None when it does not exist; used to spot outside changes."""
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return stat.st_mtime_ns, stat.st_size


def move_aside(path: Path, reason: str) -> CorruptFileError:
    """Move a damaged or foreign file to ``<name>.corrupt-<timestamp>`` and describe what happened."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    backup = path.with_name(f"{path.name}.corrupt-{stamp}")
    counter = 1
    while backup.exists():
        backup = path.with_name(f"{path.name}.corrupt-{stamp}-{counter}")
        counter += 1
    try:
        os.replace(path, backup)
    except OSError as exc:
        raise StorageError(
            f"{path} cannot be read ({reason}) and could not be moved aside: {exc.strerror or exc}. "
            "Move it away by hand and start QuickReply again."
        ) from exc
    return CorruptFileError(
        f"{path.name} could not be read ({reason}); it was kept as {backup.name} and a new file "
        "was started. Nothing was overwritten.",
        backup_path=str(backup),
    )


class SafeJSONStorage(Storage):
    """Storage for TinyDB: cached reads, atomic UTF-8 writes, optional deferred (batched) writes.

    `recovered` holds the CorruptFileError when a damaged file was moved aside at open.
    """

    def __init__(
        self, path: str | Path, check: Callable[[Any], str | None] = library_problem
    ) -> None:
        self.path = Path(path)
        self._check = check
        self.recovered: CorruptFileError | None = None
        self.signature: tuple[int, int] | None = None
        self._data: dict[str, Any] | None = None
        self._deferred = False
        self._dirty = False
        self._load()

    def _load(self) -> None:
        self.signature = file_signature(self.path)
        if self.signature is None:
            self._data = None
            return
        try:
            raw = self.path.read_bytes()
        except OSError as exc:
            raise StorageError(f"cannot read {self.path}: {exc.strerror or exc}") from exc
        reason = _damage(raw, self._check)
        if reason:
            self.recovered = move_aside(self.path, reason)
            self.signature = None
            self._data = None
            return
        self._data = json.loads(raw.decode("utf-8"))

    def read(self) -> dict[str, Any] | None:
        """Return the cached tables (TinyDB mutates them and then calls write)."""
        return self._data

    def write(self, data: dict[str, Any]) -> None:
        """Store `data`: now, atomically, or at the end of the current batch."""
        self._data = data
        if self._deferred:
            self._dirty = True
            return
        self.flush()

    def flush(self) -> None:
        """Write the in-memory tables to disk atomically."""
        payload = json.dumps(self._data, ensure_ascii=False, separators=(",", ":"))
        try:
            atomic_write_bytes(self.path, payload.encode("utf-8"))
        except StorageError:
            self._data = None  # the cache may hold a change the disk refused: re-read next time
            self._load()
            raise
        self._dirty = False
        self.signature = file_signature(self.path)

    def begin_batch(self) -> None:
        """Hold writes in memory until end_batch (one file write for many changes)."""
        self._deferred = True

    def end_batch(self, commit: bool = True) -> None:
        """Write held changes (or drop them when `commit` is false, re-reading the file)."""
        self._deferred = False
        if commit and self._dirty:
            self.flush()
        elif not commit:
            self._dirty = False
            self._load()

    def close(self) -> None:
        """Nothing to release: every write is already on disk."""


def _damage(raw: bytes, check: Callable[[Any], str | None]) -> str | None:
    """Return why `raw` is not a QuickReply TinyDB file, or None when it is.

    An empty file is damage too: our writes are atomic, so a library we wrote is never empty.
    """
    if not raw.strip():
        return "it is empty"
    try:
        data = load_json(raw, "the file", max_depth=8)
    except ValidationError as exc:
        return str(exc).removeprefix("the file: ")
    return check(data)
