"""Hostile usage logs (issue 13, items 1-3): a full or read-only disk never moves a valid log
aside, a foreign or newer file is not changed by the check, a damaged page stops only stats."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from quickreply.core.errors import StorageError
from quickreply.core.usage.event import UsageEvent
from quickreply.core.usage.log import FILE_NAME, UsageLog
from tests.hostile import tried


def use(n: int) -> UsageEvent:
    return UsageEvent(
        ts_ms=1_764_000_000_000 + n,
        snippet_id=f"s-{n % 5}",
        chars=10,
        inject_ms=50.0,
        trigger="hotkey",
    )


def write_log(folder: Path, count: int) -> Path:
    log = UsageLog(folder / FILE_NAME)
    log.append_many(use(n) for n in range(count))
    log.close()
    return folder / FILE_NAME


@contextlib.contextmanager
def small_disk(tmp_path: Path, size: str = "2m") -> Iterator[Path]:
    """A real, tiny tmpfs (root only; skipped elsewhere) to fill up or make read-only."""
    mount = tmp_path / f"disk-{uuid.uuid4().hex[:6]}"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode:
        pytest.skip("needs permission to mount a tmpfs")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(folder: Path) -> Path:
    filler = folder / "filler"
    with contextlib.suppress(OSError), filler.open("wb") as handle:
        while True:
            handle.write(b"\0" * 65536)
            handle.flush()
    return filler


def test_a_full_disk_never_moves_a_valid_log_aside(tmp_path):
    tried("usage")
    with small_disk(tmp_path) as disk:
        path = write_log(disk, 5_000)
        filler = fill(disk)
        try:
            log = UsageLog(path)
            log.close()
        except StorageError as exc:
            assert "moved aside" not in str(exc) and "kept as" not in str(exc)
        filler.unlink()
        assert sorted(p.name for p in disk.iterdir() if "corrupt" in p.name) == []
        log = UsageLog(path)
        assert log.event_count() == 5_000 and log.recovered is None
        log.close()


def test_a_read_only_disk_reports_and_renames_nothing(tmp_path):
    tried("usage")
    with small_disk(tmp_path) as disk:
        path = write_log(disk, 100)
        for side in ("-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(str(path) + side)
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        with contextlib.suppress(StorageError):
            UsageLog(path).close()
        assert sorted(p.name for p in disk.iterdir()) == [FILE_NAME]
        subprocess.run(["mount", "-o", "remount,rw", str(disk)], check=True)
        log = UsageLog(path)
        assert log.event_count() == 100
        log.close()


def test_an_open_error_is_reported_not_treated_as_foreign(tmp_path, monkeypatch):
    tried("usage")
    path = write_log(tmp_path, 10)
    real = sqlite3.connect

    def refusing(*args, **kwargs):
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(sqlite3, "connect", refusing)
    with pytest.raises(StorageError, match="nothing was moved"):
        UsageLog(path)
    monkeypatch.setattr(sqlite3, "connect", real)
    assert [p.name for p in tmp_path.iterdir() if "corrupt" in p.name] == []


@pytest.mark.parametrize("kind", ["foreign", "newer"])
def test_checking_a_foreign_or_newer_file_changes_no_byte(tmp_path, kind):
    tried("usage")
    path = tmp_path / FILE_NAME
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE other (x)")
    db.execute("INSERT INTO other VALUES (1)")
    if kind == "newer":
        db.execute("PRAGMA application_id = 1364347953")  # ours, from a future version
        db.execute("PRAGMA user_version = 99")
    db.commit()
    db.close()
    before = path.read_bytes()
    if kind == "newer":
        with pytest.raises(StorageError, match="left untouched"):
            UsageLog(path)
        assert path.read_bytes() == before
    else:
        log = UsageLog(path)
        log.close()
        assert log.recovered is not None
        assert Path(log.recovered.backup_path or "").read_bytes() == before


def test_a_damaged_page_stops_only_the_statistics(tmp_path):
    tried("usage")
    path = write_log(tmp_path, 3_000)
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(page * 3, min(len(data), page * 6)):
        data[offset] = 0xA5
    path.write_bytes(bytes(data))
    log = UsageLog(path)
    try:
        with pytest.raises(StorageError, match="damaged"):
            log.snippet_stats() and log.event_count() and list(log.events())
        log.record(use(9_999))  # recording never raises
    finally:
        log.close()


def test_a_file_that_is_not_sqlite_is_moved_aside(tmp_path):
    tried("usage")
    path = tmp_path / FILE_NAME
    path.write_bytes(b"PK\x03\x04 not a database" * 10)
    log = UsageLog(path)
    log.close()
    assert log.recovered is not None and "not an SQLite database" in str(log.recovered)


def test_the_log_and_its_folder_are_owner_only(tmp_path, monkeypatch):
    tried("usage")
    monkeypatch.setenv("QUICKREPLY_HOME", str(tmp_path / "fresh"))
    old = os.umask(0)
    try:
        from quickreply.core.library.paths import data_dir, log_file

        folder = data_dir()
        log = UsageLog(folder / FILE_NAME)
        log.close()
        logfile = log_file("app.log")
    finally:
        os.umask(old)
    assert folder.stat().st_mode & 0o777 == 0o700
    assert (folder / FILE_NAME).stat().st_mode & 0o777 == 0o600
    assert logfile.stat().st_mode & 0o777 == 0o600
    assert logfile.parent.stat().st_mode & 0o777 == 0o700


def test_the_app_keeps_working_when_the_log_cannot_be_opened(tmp_path):
    from quickreply.core.usage.log import open_session_usage_log

    tried("usage")
    path = tmp_path / FILE_NAME
    db = sqlite3.connect(path)
    db.execute("PRAGMA application_id = 1364347953")
    db.execute("PRAGMA user_version = 99")  # a newer QuickReply's log
    db.commit()
    db.close()
    before = path.read_bytes()
    log, notice = open_session_usage_log(tmp_path)
    try:
        assert notice and "newer QuickReply" in notice and "not kept" in notice
        log.record(use(1))
        log.flush()
        assert log.path.parent != tmp_path and log.event_count() == 1
    finally:
        log.close()
    assert path.read_bytes() == before
