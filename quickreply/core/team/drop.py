"""Where day files go: a small protocol, the folder drop, and `open_drop` choosing by location.

`core/team/location.py` opens the right kind for a location. A drop holds `<agent-id>/<YYYY-MM-DD>.jsonl` files. Writers make a file appear whole or not at all
(temp name + rename); readers only ever look at names that match the day-file pattern, so a temp
file left by a killed publish is never read.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol

from quickreply.core.errors import QuickReplyError, StorageError
from quickreply.core.library.atomic import atomic_write_bytes

AGENT_ID = re.compile(r"^[A-Za-z0-9_-]{6,64}$")
DAY_FILE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.jsonl$")


class DropError(QuickReplyError):
    """The team drop cannot be reached or refused a write (the outbox keeps the day)."""


@dataclass(frozen=True)
class DayRef:
    """One day file in a drop: whose, which day, and where the drop finds it."""

    agent_id: str
    day: date
    ref: str
    size: int | None = None  # bytes, when the listing tells
    stamp: str = ""  # changes whenever the file does (size and mtime, or the ETag); "" unknown


class TeamDrop(Protocol):
    """A shared place for day files: a folder, or a WebDAV server."""

    location: str

    def put(self, agent_id: str, day: date, data: bytes) -> None:
        """Publish one day file whole (replacing that day's old file); raise DropError."""

    def list_days(self) -> Iterator[DayRef]:
        """Yield every day file in the drop, agent by agent; raise DropError."""

    def read(self, ref: DayRef, limit: int | None = None) -> bytes:
        """Return the bytes of one day file (its first `limit` bytes); raise DropError."""

    def probe(self) -> int:
        """Check that the drop answers; return how many agent folders it holds; raise DropError."""


def day_file_name(agent_id: str, day: date) -> str:
    """Return the drop-relative name of a day file: ``<agent-id>/<YYYY-MM-DD>.jsonl``."""
    return f"{agent_id}/{day.isoformat()}.jsonl"


def parse_day(name: str) -> date | None:
    """Return the day of a day-file name, or None for any other name (temp files, strays)."""
    match = DAY_FILE.match(name)
    if not match:
        return None
    try:
        return date.fromisoformat(match.group(1))
    except ValueError:
        return None


class FolderDrop:
    """A drop in a local or shared folder (SMB, NFS): atomic temp name + rename per file."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).expanduser()
        self.location = str(self.root)

    def put(self, agent_id: str, day: date, data: bytes) -> None:
        """Write the day file atomically; raise DropError when the folder is not reachable."""
        if not self.root.is_dir():
            raise DropError(f"team drop folder {self.root} is not reachable")
        folder = self.root / agent_id
        try:
            folder.mkdir(exist_ok=True)
            atomic_write_bytes(folder / f"{day.isoformat()}.jsonl", data, shared=True)
        except (OSError, StorageError) as exc:
            raise DropError(f"cannot write to team drop {self.root}: {exc}") from exc

    def probe(self) -> int:
        """Return how many agent folders the drop holds; raise DropError when it is not there."""
        return len(self._agents())

    def list_days(self) -> Iterator[DayRef]:
        """Yield the day files under every agent folder (sorted, so reports are stable)."""
        for agent_id in self._agents():
            try:
                entries = sorted(
                    (e.name, e.path, e.stat())
                    for e in os.scandir(self.root / agent_id)
                    if parse_day(e.name) is not None
                )
            except OSError:
                continue  # a folder removed while we read: nothing of it to report
            for name, path, stat in entries:
                day = parse_day(name)
                if day is not None:
                    stamp = f"{stat.st_size}:{stat.st_mtime_ns}"
                    yield DayRef(agent_id, day, path, stat.st_size, stamp)

    def _agents(self) -> list[str]:
        try:
            names = sorted(e.name for e in os.scandir(self.root) if e.is_dir())
        except OSError as exc:
            raise DropError(f"cannot list team drop {self.root}: {exc.strerror or exc}") from exc
        return [name for name in names if AGENT_ID.match(name)]

    def read(self, ref: DayRef, limit: int | None = None) -> bytes:
        """Return the file's bytes (the first `limit` of them)."""
        try:
            with open(ref.ref, "rb") as handle:
                return handle.read(-1 if limit is None else limit)
        except OSError as exc:
            raise DropError(f"cannot read {ref.ref}: {exc.strerror or exc}") from exc
