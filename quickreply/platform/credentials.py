"""The team drop's password in the OS keyring (Secret Service, Windows Credential Manager), never in
library.json or the logs."""

from __future__ import annotations

import logging

from quickreply.core.errors import QuickReplyError
from quickreply.core.library.settings import Settings
from quickreply.core.team.drop import TeamDrop
from quickreply.core.team.location import is_url, open_drop

SERVICE = "QuickReply team drop"
log = logging.getLogger(__name__)


def _entry(url: str, user: str) -> str:
    return f"{user}@{url}"


def drop_password(url: str, user: str) -> str | None:
    """Return the stored password of `user` at `url`, or None (none stored, or no keyring)."""
    if not user:
        return None
    try:
        import keyring
        from keyring.errors import KeyringError

        try:
            return keyring.get_password(SERVICE, _entry(url, user))
        except KeyringError as exc:
            log.warning("keyring unavailable: %s", type(exc).__name__)
            return None
    except ImportError:
        return None


def store_drop_password(url: str, user: str, password: str) -> None:
    """Keep the password in the OS keyring; raise QuickReplyError when there is no keyring."""
    try:
        import keyring
        from keyring.errors import KeyringError

        keyring.set_password(SERVICE, _entry(url, user), password)
    except (ImportError, KeyringError) as exc:
        raise QuickReplyError(
            f"no system keyring to keep the team drop password in ({type(exc).__name__})"
        ) from None


def configured_drop(settings: Settings) -> TeamDrop:
    """Return the team drop of the settings, with its keyring password for a WebDAV URL."""
    location = settings.team_drop.strip()
    password = drop_password(location, settings.team_drop_user) if is_url(location) else None
    return open_drop(location, settings.team_drop_user, password)
