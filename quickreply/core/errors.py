"""Errors a user can cause. Each carries a message written for the person who has to act on it."""

from __future__ import annotations


class QuickReplyError(Exception):
    """Base of every error shown to a user as one clear line (CLI) or a dialog (UI)."""


class ValidationError(QuickReplyError):
    """Input that breaks a rule: every problem is listed, each naming where it is."""

    def __init__(self, problems: list[str] | str) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(self.problems))


class NotFoundError(QuickReplyError):
    """A snippet, category or pack id that does not exist."""


class LockedError(QuickReplyError):
    """An attempt to change content owned by a team lead's locked pack."""


class StorageError(QuickReplyError):
    """A data file that cannot be read or written (permissions, disk, another program)."""


class CorruptFileError(StorageError):
    """A data file that is not ours or is damaged; it has been copied aside, never overwritten."""

    def __init__(self, message: str, backup_path: str | None = None) -> None:
        self.backup_path = backup_path
        super().__init__(message)


class BusyError(StorageError):
    """Another QuickReply process holds the lock we need."""
