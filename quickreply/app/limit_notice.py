"""Telling the agent about the session's limits once: a tray message on the first start that
has them, a line in the tray menu on every start while they hold (platform/session_limits.py).
"""

from __future__ import annotations

import logging

from quickreply.core.errors import QuickReplyError
from quickreply.core.library.settings import load_settings
from quickreply.core.library.store import LibraryStore

log = logging.getLogger(__name__)


def limits_to_tell(store: LibraryStore, limits: list[str]) -> list[str]:
    """Return the limits to show as a tray message now: all of them the first time (which is then
    remembered in the `limits_notice_shown` setting), none after."""
    if not limits or load_settings(store).limits_notice_shown:
        return []
    try:
        store.set_settings(limits_notice_shown=True)  # this key only: the rest is left as is
    except QuickReplyError:
        log.exception("could not remember that the session's limits were told")
    return limits
