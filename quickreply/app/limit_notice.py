"""Telling the agent what cannot work here. The session's limits (platform/session_limits.py):
a tray message on the first start that has them, a line in the tray menu on every start while
they hold. A feature switched on that this machine cannot run (typed abbreviations or reply speed
without a key-event source): a tray message and a menu line on every start, until it is resolved.
"""

from __future__ import annotations

import logging

from quickreply.core.errors import QuickReplyError
from quickreply.core.i18n import tr
from quickreply.core.library.settings import Settings, load_settings
from quickreply.core.library.store import LibraryStore
from quickreply.core.message_translation import translate_message

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


def feature_problems(
    settings: Settings, abbreviations: tuple[bool, str], reply_speed: tuple[bool, str]
) -> list[str]:
    """Return a line for each feature the settings switch on that did not start, with why."""
    problems = []
    if settings.abbreviations == "on" and not abbreviations[0]:
        problems.append(
            tr(
                "Typed abbreviations are on but cannot work here: {reason}",
                reason=translate_message(abbreviations[1]),
            )
        )
    if settings.reply_speed_tracking and not reply_speed[0]:
        problems.append(
            tr(
                "Reply speed is on but cannot be measured here: {reason}",
                reason=translate_message(reply_speed[1]),
            )
        )
    return problems
