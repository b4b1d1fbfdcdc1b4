"""The installation's agent id: a random id made on first use and kept in the library's settings."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quickreply.core.library.store import LibraryStore

SETTING_KEY = "installation_id"


def installation_id(store: LibraryStore) -> str:
    """Return this installation's agent id (32 hex digits), creating and storing it on first use."""
    stored = store.settings().get(SETTING_KEY)
    if isinstance(stored, str) and stored:
        return stored
    new_id = secrets.token_hex(16)
    store.set_settings(**{SETTING_KEY: new_id})
    return new_id
