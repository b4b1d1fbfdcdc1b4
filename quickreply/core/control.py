"""The running app's local control channel: its name and the commands it accepts."""

from __future__ import annotations

import hashlib

from quickreply.core import paths

COMMANDS = ("pause", "resume", "palette", "manager", "quit", "ping")


def channel_name() -> str:
    """Return the local socket / named pipe name of the app running on this data directory."""
    digest = hashlib.sha1(str(paths.data_dir().resolve()).encode("utf-8")).hexdigest()[:12]
    return f"quickreply-{digest}"
