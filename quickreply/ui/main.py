"""Starting the tray application: wire the parts, show the tray (or a window when there is none).

Hotkeys are registered before anything slow: the search index is built right after start-up,
and the statistics and pack windows (pyqtgraph, zip and signing code) load on first use.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QSystemTrayIcon, QWidget

from quickreply import __version__
from quickreply.app.controller import Controller
from quickreply.app.reply_monitor import ReplySpeedMonitor
from quickreply.app.subscription_timer import SubscriptionTimer
from quickreply.core import i18n
from quickreply.core.errors import BusyError, QuickReplyError
from quickreply.core.i18n import tr
from quickreply.core.library import paths
from quickreply.core.library.instance import InstanceLock, write_status
from quickreply.core.library.model import Snippet
from quickreply.core.library.opening import open_library
from quickreply.core.library.settings import Settings, load_settings
from quickreply.core.render import Field
from quickreply.core.usage.log import UsageLog, open_usage_log
from quickreply.platform.clipboard import Clipboard
from quickreply.platform.hotkeys import HotkeyBackend, choose_backend
from quickreply.platform.inject import Injector
from quickreply.platform.ipc import ControlServer, send
from quickreply.platform.keys import choose_key_sender
from quickreply.platform.qt_check import pyside_refcount_problem
from quickreply.platform.window import WindowInfo, choose_window_tracker
from quickreply.ui.fields_dialog import FieldsDialog
from quickreply.ui.icons import app_icon
from quickreply.ui.tray import Tray

if TYPE_CHECKING:
    from quickreply.app.suggestions import Suggestions
    from quickreply.core.packs.subscriptions import UpdateReport
    from quickreply.core.search.index import SearchIndex
    from quickreply.ui.palette import Palette

log = logging.getLogger(__name__)
_SUGGEST_BUILD_DELAY_MS = 2000


def run() -> int:
    """Run the tray app until Quit; return the exit status."""
    started = time.perf_counter()
    logging.basicConfig(filename=paths.log_dir() / "app.log", level=logging.INFO, encoding="utf-8")
    lock = InstanceLock()
    try:
        lock.acquire()
    except BusyError:
        if send("palette"):
            print("QuickReply is already running; its search palette was opened.")
            return 0
        raise
    app = QApplication.instance() or QApplication(sys.argv)
    bindings_problem = pyside_refcount_problem()
    if bindings_problem:
        raise QuickReplyError(bindings_problem)
    _quit_on_signals(app)
    app.setApplicationName("QuickReply")
    app.setApplicationVersion(__version__)
    app.setQuitOnLastWindowClosed(False)
    app.setWindowIcon(app_icon())
    tray_app = TrayApp(app, started)
    try:
        return app.exec()
    finally:
        tray_app.shutdown()
        lock.release()


class TrayApp:
    """The running application: the parts wired together, windows opened on demand."""

    def __init__(self, app: QApplication, started: float) -> None:
        self.store = open_library()
        settings = load_settings(self.store)
        i18n.set_language(settings.ui_language())
        self.notices = [str(self.store.recovered)] if self.store.recovered else []
        self.hotkeys = self._hotkey_backend(settings)
        keys = choose_key_sender(
            self.hotkeys.name
            if self.hotkeys
            else ("keyboard" if sys.platform == "win32" else "x11")
        )
        injector = Injector(keys, Clipboard(), restore_timeout_ms=settings.clipboard_restore_ms)
        self.usage_log = open_usage_log()
        if self.usage_log.recovered:
            self.notices.append(str(self.usage_log.recovered))
        threading.Thread(
            target=_apply_retention,
            args=(self.usage_log, settings.usage_retention_months),
            daemon=True,
        ).start()
        self.controller = Controller(
            self.store, injector, self.usage_log, self.hotkeys, choose_window_tracker()
        )
        self.reply_monitor = ReplySpeedMonitor(self.controller, self.usage_log)
        self.reply_state = (
            self.reply_monitor.start()
            if settings.reply_speed_tracking
            else (False, tr("off in Settings"))
        )
        self.windows: dict[str, QWidget] = {}
        self._index: SearchIndex | None = None
        self._suggestions: Suggestions | None = None
        self._palette: Palette | None = None
        self.tray = Tray(self.controller)
        self._connect(app)
        self.has_tray = QSystemTrayIcon.isSystemTrayAvailable()
        if self.has_tray:
            self.tray.show()
            self.controller.error.connect(lambda message: self.tray.notify("QuickReply", message))
        else:
            self.notices.append(
                tr(
                    "This desktop has no system tray: use the search palette hotkey, or this window."
                )
            )
            QTimer.singleShot(0, self.tray.manager_requested.emit)
            self.controller.error.connect(self.show_notice)
        self.subscriptions = SubscriptionTimer(self.store)
        self.subscriptions.updated.connect(self._show_pack_reports)
        self.subscriptions.start()
        self.server = ControlServer(
            {
                "pause": lambda: self.controller.set_paused(True),
                "resume": lambda: self.controller.set_paused(False),
                "palette": self.controller.palette_requested.emit,
                "manager": self.tray.manager_requested.emit,
                "quit": app.quit,
                "ping": lambda: None,
            }
        )
        status = self.controller.register_hotkeys()
        write_status(
            state="ready",
            startup_ms=round((time.perf_counter() - started) * 1000, 1),
            hotkeys=sorted(status.active),
            hotkey_backend=self.hotkeys.name if self.hotkeys else None,
            tray=self.has_tray,
            problems=status.problems,
        )
        for notice in self.notices:
            QTimer.singleShot(0, lambda n=notice: self.show_notice(n))
        QTimer.singleShot(0, self.palette)  # build the search index now, before the first use

    def _hotkey_backend(self, settings: Settings) -> HotkeyBackend | None:
        preferred = None if settings.hotkey_backend == "auto" else settings.hotkey_backend
        try:
            return choose_backend(preferred)
        except QuickReplyError as exc:
            self.notices.append(tr("Global hotkeys are off: {reason}", reason=exc))
            return None

    def _connect(self, app: QApplication) -> None:
        tray, controller = self.tray, self.controller
        tray.quit_requested.connect(app.quit)
        # from the tray menu: once the menu has closed and released its keyboard grab
        tray.search_requested.connect(lambda: QTimer.singleShot(0, self.open_palette))
        controller.palette_requested.connect(self.open_palette)
        controller.suggest_requested.connect(lambda message: self.palette().open_suggest(message))
        tray.manager_requested.connect(self.open_manager)
        tray.settings_requested.connect(self.open_settings)
        tray.stats_requested.connect(self.open_stats)
        tray.install_pack_requested.connect(self.open_install_pack)
        tray.team_report_requested.connect(self.open_team_report)
        controller.fields_needed.connect(self._ask_fields)

    # -- windows, created on first use ------------------------------------------------------

    def index(self) -> SearchIndex:
        """Return the search index (built once, then updated incrementally by the store)."""
        if self._index is None:
            from quickreply.core.search.index import SearchIndex

            self._index = SearchIndex.from_store(self.store, self.usage_log.snippet_stats)
        return self._index

    def suggestions(self) -> Suggestions:
        """Return the suggestion index holder; its first build starts on a worker thread."""
        if self._suggestions is None:
            from quickreply.app.suggestions import Suggestions

            self._suggestions = Suggestions(self.store, self.usage_log.snippet_stats)
            # a moment after start-up: the first insertions and the search index come first
            QTimer.singleShot(_SUGGEST_BUILD_DELAY_MS, self._suggestions.rebuild)
        return self._suggestions

    def palette(self) -> Palette:
        """Return the search palette."""
        if self._palette is None:
            from quickreply.ui.palette import Palette

            self._palette = Palette(self.controller, self.index(), self.suggestions())
        return self._palette

    def open_palette(self) -> None:
        """Show the palette near the mouse, focus in its search box."""
        self.palette().open()

    def open_manager(self) -> None:
        """Show the snippet manager (one window)."""
        from quickreply.ui.manager import ManagerWindow

        self._show_single("manager", lambda: ManagerWindow(self.controller, self.index()))

    def open_settings(self) -> None:
        """Show the settings dialog (one window)."""
        from quickreply.ui.settings_dialog import SettingsDialog

        self._show_single("settings", lambda: SettingsDialog(self.controller))

    def open_stats(self) -> None:
        """Show a statistics window."""
        from quickreply.ui.stats import open_stats_window

        self.windows["stats"] = open_stats_window(
            self.store, self.usage_log, self.controller.settings, reply_hook=self.reply_state
        )

    def open_install_pack(self) -> None:
        """Show the dialog that installs a pack or subscribes to a lead's source."""
        from quickreply.ui.pack_dialogs import InstallPackDialog

        self._show_single("install-pack", lambda: InstallPackDialog(self.store))

    def open_team_report(self) -> None:
        """Show the team-report dialog (leads)."""
        from quickreply.ui.pack_dialogs import open_team_report_dialog

        open_team_report_dialog()

    def _show_single(self, key: str, create: Callable[[], QWidget]) -> None:
        """Raise the open window `key`, or create and show it."""
        window = self.windows.get(key)
        if window is None or not window.isVisible():
            window = self.windows[key] = create()
        window.show()
        window.raise_()
        window.activateWindow()

    def show_notice(self, message: str) -> None:
        """Tell the agent something: a tray balloon, or a non-modal box when there is no tray."""
        if self.has_tray:
            self.tray.notify("QuickReply", message)
            return
        box = QMessageBox(QMessageBox.Icon.Information, "QuickReply", message)
        box.setModal(False)  # a modal box would keep the palette from taking the keyboard
        self.windows[f"notice-{id(box)}"] = box
        box.show()

    def _ask_fields(
        self, snippet: Snippet, fields: list[Field], trigger: str, target: WindowInfo | None
    ) -> None:
        target = target or self.controller.active_window()
        dialog = FieldsDialog(snippet.title, fields)
        if dialog.exec():
            self.controller.insert(snippet, trigger, values=dialog.form.values(), target=target)

    def _show_pack_reports(self, reports: list[UpdateReport]) -> None:
        """Notify what pack updates changed; keep each pack's state in the tray tooltip."""
        changed = [r.notification() for r in reports if r.changed or r.status == "failed"]
        if changed:
            self.tray.notify(tr("Snippet packs"), "\n".join(changed))
        lines = ["QuickReply"] + [
            f"{r.name}: {r.new_version or r.old_version} ({tr(r.status)}, {datetime.now():%H:%M})"
            for r in reports
        ]
        self.tray.icon.setToolTip("\n".join(lines))

    def shutdown(self) -> None:
        """Stop serving, release hotkeys, flush the usage log, record that we stopped."""
        self.server.close()
        self.reply_monitor.stop()
        self.controller.shutdown()
        write_status(state="stopped")


def _apply_retention(usage_log: UsageLog, months: int) -> None:
    """Drop usage history older than the retention setting (off the UI thread: may take seconds)."""
    try:
        usage_log.apply_retention(months)
    except QuickReplyError:
        log.exception("usage retention failed")


def _quit_on_signals(app: QApplication) -> None:
    """Quit cleanly (hotkeys released, usage log flushed) on SIGTERM/SIGINT, e.g. at logout."""
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: app.quit())
    # Python runs signal handlers only between bytecodes: wake the interpreter now and then.
    timer = QTimer(app)
    timer.timeout.connect(lambda: None)
    timer.start(250)
