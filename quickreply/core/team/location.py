"""Which drop a location means: an http(s) URL is a WebDAV drop, anything else a folder."""

from __future__ import annotations

from pathlib import Path

from quickreply.core.errors import QuickReplyError
from quickreply.core.team.drop import FolderDrop, TeamDrop
from quickreply.core.team.webdav import WebDavDrop


def is_url(location: str) -> bool:
    """Return whether a drop location is a WebDAV URL (http or https)."""
    return location.lower().startswith(("http://", "https://"))


def open_drop(location: str, user: str = "", password: str | None = None) -> TeamDrop:
    """Return the drop at `location`: a WebDAV drop for an http(s) URL, else a folder drop."""
    location = location.strip()
    if not location:
        raise QuickReplyError("no team drop set: give a folder or an http(s) WebDAV URL")
    if is_url(location):
        return WebDavDrop(location, user, password)
    return FolderDrop(Path(location))
