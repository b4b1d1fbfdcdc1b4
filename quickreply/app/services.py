"""Wiring: every part of the running app built from one data directory, in start-up order.

`build_services` opens the library and the usage log, chooses the hotkey backend, key sender and
window tracker, and builds the injector, controller, reply-speed monitor and pack-subscription
timer; `Services.start_monitors` starts the background watchers once the hotkeys work. The tray
(ui/main.py) shows windows on top of this; nothing here creates a widget.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from quickreply.app.abbrev_watcher import AbbreviationWatcher
from quickreply.app.controller import Controller
from quickreply.app.limit_notice import feature_problems
from quickreply.app.reply_monitor import ReplySpeedMonitor
from quickreply.app.subscription_timer import SubscriptionTimer
from quickreply.app.team_publisher import TeamPublisher
from quickreply.core import i18n
from quickreply.core.errors import QuickReplyError
from quickreply.core.i18n import tr
from quickreply.core.library.settings import Settings, load_settings
from quickreply.core.library.store import LibraryStore
from quickreply.core.packs.defaults import open_library
from quickreply.core.usage.log import UsageLog, open_session_usage_log
from quickreply.platform.clipboard import Clipboard
from quickreply.platform.foreground import choose_foreground_memory
from quickreply.platform.hotkeys import HotkeyBackend, choose_backend
from quickreply.platform.inject import Injector
from quickreply.platform.keys import choose_key_sender
from quickreply.platform.session_limits import session_limits
from quickreply.platform.window import choose_window_tracker

if TYPE_CHECKING:
    from quickreply.platform.ipc import ControlServer

log = logging.getLogger(__name__)


@dataclass
class Services:
    """The running app's parts, and what the agent should be told about them at start-up."""

    store: LibraryStore
    usage_log: UsageLog
    controller: Controller
    reply_monitor: ReplySpeedMonitor
    subscriptions: SubscriptionTimer
    abbreviations: AbbreviationWatcher
    team: TeamPublisher
    notices: list[str] = field(default_factory=list)
    limits: list[str] = field(default_factory=list)  # the session's (Wayland): told once
    server: ControlServer | None = None

    def start_monitors(self) -> tuple[tuple[bool, str], tuple[bool, str]]:
        """Start what watches in the background: usage retention, the reply-speed key counter
        and the abbreviation watcher (after the hotkeys, off the first press's path).

        Returns the reply-speed and abbreviation states, (running, reason) each; what the agent
        switched on that cannot run here is added to `notices`.
        """
        settings = self.controller.settings
        threading.Thread(
            target=_apply_retention,
            args=(self.usage_log, settings.usage_retention_months),
            name="usage-retention",
            daemon=True,
        ).start()
        reply_state = (
            self.reply_monitor.start()
            if settings.reply_speed_tracking
            else (False, tr("off in Settings"))
        )
        abbreviation_state = self.abbreviations.follow_settings()
        self.notices.extend(feature_problems(settings, abbreviation_state, reply_state))
        return reply_state, abbreviation_state

    def serve(self, handlers: dict[str, Callable[[], None]]) -> None:
        """Start the control channel (`quickreply pause|resume|quit`, a second launch)."""
        from quickreply.platform.ipc import ControlServer

        self.server = ControlServer(handlers)

    def shutdown(self) -> None:
        """Stop serving, stop the monitors, release hotkeys and flush the usage log."""
        if self.server is not None:
            self.server.close()
        self.reply_monitor.stop()
        self.abbreviations.stop()
        self.team.publish_at_exit()
        self.controller.shutdown()


def build_services() -> Services:
    """Build every part from the data dir (paths.data_dir()); hotkeys are not registered yet and
    the background monitors not started (`Services.start_monitors`)."""
    store = open_library()
    settings = load_settings(store)
    i18n.set_language(settings.ui_language())
    notices = [str(store.recovered)] if store.recovered else []
    hotkeys = _hotkey_backend(settings, notices)
    keys = choose_key_sender(
        hotkeys.name if hotkeys else ("keyboard" if sys.platform == "win32" else "x11")
    )
    injector = Injector(keys, Clipboard(), restore_timeout_ms=settings.clipboard_restore_ms)
    usage_log, usage_notice = open_session_usage_log()
    if usage_notice:
        notices.append(usage_notice)
    controller = Controller(
        store, injector, usage_log, hotkeys, choose_window_tracker(), choose_foreground_memory()
    )
    return Services(
        store=store,
        usage_log=usage_log,
        controller=controller,
        reply_monitor=ReplySpeedMonitor(controller, usage_log),
        subscriptions=SubscriptionTimer(store),
        abbreviations=AbbreviationWatcher(controller),
        team=TeamPublisher(store, usage_log),
        notices=notices,
        limits=session_limits(),
    )


def _hotkey_backend(settings: Settings, notices: list[str]) -> HotkeyBackend | None:
    preferred = None if settings.hotkey_backend == "auto" else settings.hotkey_backend
    try:
        return choose_backend(preferred)
    except QuickReplyError as exc:
        notices.append(tr("Global hotkeys are off: {reason}", reason=exc))
        return None


def _apply_retention(usage_log: UsageLog, months: int) -> None:
    """Drop usage history older than the retention setting (off the UI thread: may take seconds)."""
    try:
        usage_log.apply_retention(months)
    except QuickReplyError:
        log.exception("usage retention failed")
