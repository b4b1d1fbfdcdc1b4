"""First run: whether to show the welcome window, and storing what the agent enters in it.

Starting with the computer is not a stored setting: the platform's autostart entry is the
setting, so the checkbox and the entry always agree.
"""

from __future__ import annotations

import logging
import os

from quickreply.core.errors import QuickReplyError
from quickreply.core.library.settings import Settings, load_settings, save_settings
from quickreply.core.library.store import LibraryStore
from quickreply.core.packs.visibility import prefer_default_pack
from quickreply.platform.autostart import Autostart, choose_autostart, set_autostart

log = logging.getLogger(__name__)
# IT deployments that set agents up centrally (and the end-to-end tests) start without it
NO_WELCOME_ENV = "QUICKREPLY_NO_WELCOME"


class FirstRun:
    """The welcome window's model: shown once, saves settings and the autostart entry together."""

    def __init__(self, store: LibraryStore, autostart: Autostart | None = None) -> None:
        self.store = store
        self.autostart = autostart or choose_autostart()

    def should_show(self, settings: Settings) -> bool:
        """Return whether this start shows the welcome window (only the very first one)."""
        return not settings.welcome_shown and not os.environ.get(NO_WELCOME_ENV)

    def mark_shown(self) -> None:
        """Remember that the welcome window was shown, whether or not the agent saves it."""
        try:
            self.store.set_settings(welcome_shown=True)  # this key only: the rest is left as is
        except QuickReplyError:
            log.exception("could not remember that the welcome window was shown")

    def starts_with_computer(self) -> bool:
        """Return whether the autostart entry exists."""
        return self.autostart.is_enabled()

    def save(self, settings: Settings, start_with_computer: bool) -> None:
        """Store the settings and make the autostart entry match; a language chosen puts its default
        pack on the hotkeys (the other is hidden). Raises QuickReplyError."""
        before = load_settings(self.store).language
        save_settings(self.store, settings)
        if settings.language != before:
            prefer_default_pack(self.store, settings.ui_language())
        set_autostart(self.autostart, start_with_computer)

    def refresh_autostart(self) -> None:
        """Point an existing autostart entry at this installation (it may have moved)."""
        try:
            if self.autostart.is_enabled():
                set_autostart(self.autostart, True)
        except QuickReplyError:
            log.exception("could not refresh the autostart entry")
