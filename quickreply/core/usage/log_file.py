"""What the file at the usage log's path is, found out without changing a byte of it.

Opening a database in WAL mode rewrites its header, so every question is asked first: the file's
own header bytes, then a read-only connection. Only a file that really is not our database (not
SQLite at all, another program's database, a damaged schema) may be moved aside; a full or
read-only disk, a locked file or a newer QuickReply's log is reported and left as it is.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from quickreply.core.errors import StorageError

SQLITE_MAGIC = b"SQLite format 3\x00"
_HEADER = 100


def foreign_reason(path: Path, application_id: int, schema_version: int) -> str | None:
    """Return why the file at `path` must be moved aside (it is not our usage log), or None when
    it is ours, new or empty.

    Raises StorageError, changing nothing, when the file cannot be read now (disk full, read-only,
    permissions, locked) or was written by a newer QuickReply.
    """
    try:
        with path.open("rb") as handle:
            header = handle.read(_HEADER)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StorageError(
            f"cannot read the usage log {path.name} ({exc.strerror or exc}); it was left as it is"
        ) from exc
    if not header:
        return None  # created empty (by us, owner-only) and not yet written
    if len(header) < _HEADER or not header.startswith(SQLITE_MAGIC):
        return "it is not an SQLite database"
    # The ids are read through SQLite, not from the header bytes: a running app's log keeps its
    # newest page 1 (application_id, user_version) in the -wal file until a checkpoint.
    return _schema_reason(path, application_id, schema_version)


def _schema_reason(path: Path, application_id: int, schema_version: int) -> str | None:
    """Read ids and schema through a read-only connection: damaged, foreign, newer, or fine."""
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.OperationalError as exc:
        raise _unreadable(path, exc) from exc
    try:
        app_id = db.execute("PRAGMA application_id").fetchone()[0]
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    except sqlite3.OperationalError as exc:
        if "malformed" in str(exc) or "not a database" in str(exc):
            return f"it is damaged ({exc})"
        raise _unreadable(path, exc) from exc
    except sqlite3.DatabaseError as exc:
        return f"it is damaged ({exc})"
    finally:
        db.close()
    ours = app_id == application_id
    if ours and version > schema_version:
        raise StorageError(
            f"{path.name} was written by a newer QuickReply (usage schema {version}; this version "
            f"reads up to {schema_version}). Update QuickReply; the file was left untouched."
        )
    if not ours and tables:
        return "it is not a QuickReply usage log"
    return None


def _unreadable(path: Path, exc: sqlite3.Error) -> StorageError:
    return StorageError(
        f"cannot open the usage log {path.name} now ({exc}); nothing was moved or changed, "
        "QuickReply tries again next time"
    )
