"""Starting the tray application: wire the parts, show the tray (or a window when there is none).

The hotkeys work first: the library, the injector and the grabs are made before the event loop
starts, and everything else (tray icon, key monitors, pack checks, control channel, first-run
window) follows on the running loop, one step per turn, never during an insertion. The search index is built a second later on a worker thread;
the statistics and pack windows (pyqtgraph, zip and signing code) load on first use.
"""

from __future__ import annotations

import logging
import signal
import sys
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QSystemTrayIcon, QWidget

from quickreply import __version__
from quickreply.app.crash_guard import CrashGuard
from quickreply.app.limit_notice import limits_to_tell
from quickreply.app.log_file import install_app_log
from quickreply.app.search_index import IndexBuilder, Searcher
from quickreply.app.services import build_services
from quickreply.app.stall_meter import StallMeter
from quickreply.core.errors import BusyError, QuickReplyError
from quickreply.core.i18n import tr
from quickreply.core.library.instance import InstanceLock, write_status
from quickreply.core.library.model import Snippet
from quickreply.core.message_translation import translate_message
from quickreply.core.render import Field
from quickreply.core.usage.event import Trigger
from quickreply.platform.qt_check import pyside_refcount_problem
from quickreply.platform.window import WindowInfo, allow_foreground_handoff

if TYPE_CHECKING:
    from quickreply.app.first_run import FirstRun
    from quickreply.app.suggestions import Suggestions
    from quickreply.core.packs.subscriptions import UpdateReport
    from quickreply.ui.palette import Palette
    from quickreply.ui.tray import Tray

log = logging.getLogger(__name__)
_INDEX_DELAY_MS = 1000
_STEP_RETRY_MS = 20  # a start-up step due during an insertion waits this long
_PALETTE_WARMUP_MS = 1500


def run() -> int:
    """Run the tray app until Quit; return the exit status."""
    started = time.perf_counter()
    install_app_log()
    lock = InstanceLock()
    try:
        lock.acquire()
    except BusyError:
        allow_foreground_handoff()  # Windows: let the running app bring its palette forward
        from quickreply.platform.ipc import send

        if send("palette"):
            print("QuickReply is already running; its search palette was opened.")
            return 0
        raise
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    bindings_problem = pyside_refcount_problem()
    if bindings_problem:
        raise QuickReplyError(bindings_problem)
    _quit_on_signals(app)
    app.setApplicationName("QuickReply")
    app.setApplicationVersion(__version__)
    app.setQuitOnLastWindowClosed(False)
    guard = CrashGuard()
    guard.install()
    tray_app = TrayApp(app, started)
    guard.problem.connect(tray_app.show_notice)
    try:
        return app.exec()
    finally:
        guard.uninstall()
        tray_app.shutdown()
        lock.release()


class TrayApp:
    """The running application: the parts wired together, windows opened on demand."""

    def __init__(self, app: QApplication, started: float) -> None:
        """Make the hotkeys work first: library, injector and grabs before the event loop runs;
        the rest follows on the loop, one step per turn (`_start_step`), so an early press is
        handled between steps rather than after all of them."""
        self.services = build_services()
        self.store = self.services.store
        self.usage_log = self.services.usage_log
        self.controller = self.services.controller
        self.notices = self.services.notices
        self.reply_state: tuple[bool, str] = (False, "")
        self.abbreviation_state: tuple[bool, str] = (False, "")
        self.windows: dict[str, QWidget] = {}
        self.search = IndexBuilder(self.store, self.usage_log.snippet_stats)
        self._suggestions: Suggestions | None = None
        self._palette: Palette | None = None
        self.tray: Tray  # made by the first start-up step
        self.has_tray = False
        self.first_run: FirstRun | None = None
        self._untold: list[str] | None = []  # messages from before the tray exists
        self.controller.error.connect(self._tell)
        self._connect_controller()
        status = self.controller.register_hotkeys()
        hotkeys_ms = round((time.perf_counter() - started) * 1000, 1)
        log.info("%d hotkeys ready %.0f ms after start", len(status.active), hotkeys_ms)
        self.status: dict[str, object] = {"state": "starting", "hotkeys_ms": hotkeys_ms}
        self._watch_main_thread()  # the rest of start-up, on the loop, is measured too
        self._steps: list[Callable[[], None]] = [
            _load_tray_code,
            lambda: self._show_tray(app),
            self._start_monitors,
            lambda: self._start_services(app),
            lambda: self._ready(started),
            self._first_run,
        ]
        QTimer.singleShot(0, self._start_step)

    def _start_step(self) -> None:
        """Run the next start-up step; never while an insertion is under way (it waits in a
        nested event loop for the target to read, which a step would hold up)."""
        if self.controller.busy:
            QTimer.singleShot(_STEP_RETRY_MS, self._start_step)
            return
        self._steps.pop(0)()
        if self._steps:
            QTimer.singleShot(0, self._start_step)

    def _show_tray(self, app: QApplication) -> None:
        from quickreply.ui.icons import app_icon
        from quickreply.ui.tray import Tray  # its icons and menus: after the grabs

        app.setWindowIcon(app_icon())
        self.tray = Tray(self.controller)
        self.tray.notices = self.notices  # listed in the tray menu too
        self._connect_tray(app)
        self.has_tray = QSystemTrayIcon.isSystemTrayAvailable()
        if self.has_tray:
            self.tray.show()
        else:
            self.notices.append(
                tr(
                    "This desktop has no system tray: use the search palette hotkey, or this window."
                )
            )
            QTimer.singleShot(0, self.tray.manager_requested.emit)
        untold, self._untold = self._untold or [], None
        for message in untold:
            self.show_notice(message)

    def _tell(self, message: str) -> None:
        """Show a message from the controller (kept until the tray exists)."""
        if self._untold is not None:
            self._untold.append(message)
        else:
            self.show_notice(message)

    def _start_monitors(self) -> None:
        self.reply_state, self.abbreviation_state = self.services.start_monitors()

    def _start_services(self, app: QApplication) -> None:
        self.services.subscriptions.updated.connect(self._show_pack_reports)
        self.services.subscriptions.start()
        self.services.team.start()
        self.services.subscriptions.updated.connect(lambda _reports: self.ask_team_drop())
        QTimer.singleShot(3000, self.ask_team_drop)
        self.services.serve(
            {
                "pause": lambda: self.controller.set_paused(True),
                "resume": lambda: self.controller.set_paused(False),
                "palette": self.controller.palette_requested.emit,
                "manager": self.tray.manager_requested.emit,
                "quit": app.quit,
                "ping": lambda: None,
            }
        )

    def _ready(self, started: float) -> None:
        """Everything runs: status.json says "ready"; start-up notices are shown."""
        status = self.controller.status
        self.status.update(
            {
                "state": "ready",
                "startup_ms": round((time.perf_counter() - started) * 1000, 1),
                "hotkeys": sorted(status.active),
                "hotkey_backend": self.controller.hotkeys.backend_name,
                "tray": self.has_tray,
                "problems": status.problems,
                "limits": self.services.limits,  # the session's (Wayland)
            }
        )
        write_status(**self.status)
        for notice in self.notices:
            QTimer.singleShot(0, lambda n=notice: self.show_notice(n))
        for limit in limits_to_tell(self.store, self.services.limits):
            QTimer.singleShot(0, lambda n=limit: self.show_notice(n))
        self.notices.extend(self.services.limits)  # in the tray menu while they hold
        # The search index (on a worker thread) and the palette's window come once the first
        # second is over: they would compete with an early hotkey press for the interpreter.
        QTimer.singleShot(_INDEX_DELAY_MS, self.search.start)
        QTimer.singleShot(_PALETTE_WARMUP_MS, self.palette)

    def _first_run(self) -> None:
        first_run = self.welcome_model()
        first_run.refresh_autostart()
        if first_run.should_show(self.controller.settings):
            first_run.mark_shown()
            QTimer.singleShot(0, self.open_welcome)

    def welcome_model(self) -> FirstRun:
        """The first-run model (welcome window, autostart), made on first use."""
        if self.first_run is None:
            from quickreply.app.first_run import FirstRun

            self.first_run = FirstRun(self.store)
        return self.first_run

    def _watch_main_thread(self) -> None:
        """Measure the longest main-thread stall in the first 10 s and during each pack check;
        both go to status.json and the log (a stall is a hotkey press that waits)."""
        meter = self.stall_meter = StallMeter()
        meter.start()

        def record(key: str) -> None:
            self.status[key] = round(meter.take(), 1)
            log.info("longest main-thread stall, %s: %s ms", key, self.status[key])
            write_status(**self.status)

        QTimer.singleShot(10_000, lambda: record("stall_first_10s_ms"))
        subscriptions = self.services.subscriptions
        subscriptions.check_started.connect(meter.take)
        subscriptions.check_finished.connect(lambda: record("stall_last_pack_check_ms"))

    def _connect_controller(self) -> None:
        controller = self.controller
        controller.palette_requested.connect(self.open_palette)
        controller.suggest_requested.connect(lambda message: self.palette().open_suggest(message))
        controller.fields_needed.connect(self._ask_fields)

    def _connect_tray(self, app: QApplication) -> None:
        tray = self.tray
        tray.quit_requested.connect(app.quit)
        # from the tray menu: once the menu has closed and released its keyboard grab
        tray.search_requested.connect(lambda: QTimer.singleShot(0, self.open_palette))
        tray.manager_requested.connect(self.open_manager)
        tray.settings_requested.connect(self.open_settings)
        tray.welcome_requested.connect(self.open_welcome)
        tray.diagnostics_requested.connect(self.copy_diagnostics)
        tray.stats_requested.connect(self.open_stats)
        tray.install_pack_requested.connect(self.open_install_pack)
        tray.team_report_requested.connect(self.open_team_report)

    # -- windows, created on first use ------------------------------------------------------

    def index(self) -> Searcher:
        """Return the search index, or plain search while the index is still being built."""
        return self.search.current()

    def suggestions(self) -> Suggestions:
        """Return the suggestion index holder; its index is built on the first suggestion asked."""
        if self._suggestions is None:
            from quickreply.app.suggestions import Suggestions

            self._suggestions = Suggestions(self.store, self.usage_log.snippet_stats)
        return self._suggestions

    def palette(self) -> Palette:
        """Return the search palette (it switches to the full index once that is built)."""
        if self._palette is None:
            from quickreply.ui.palette import Palette

            palette = self._palette = Palette(self.controller, self.index(), self.suggestions())
            self.search.when_ready(palette.set_index)
        return self._palette

    def open_palette(self) -> None:
        """Show the palette near the mouse, focus in its search box."""
        self.palette().open()

    def open_manager(self) -> None:
        """Show the snippet manager (one window)."""
        from quickreply.ui.manager import ManagerWindow

        self._show_single(
            "manager", lambda: ManagerWindow(self.controller, self.store, self.index())
        )

    def open_settings(self) -> None:
        """Show the settings dialog (one window)."""
        from quickreply.ui.settings_dialog import SettingsDialog

        self._show_single("settings", lambda: SettingsDialog(self.controller, self.store))

    def open_welcome(self) -> None:
        """Show the welcome window: main hotkeys to try, shop and agent names, autostart."""
        from quickreply.ui.welcome import WelcomeWindow, main_hotkeys

        self._show_single(
            "welcome",
            lambda: WelcomeWindow(
                self.controller.settings,
                main_hotkeys(self.controller.status.active),
                self.welcome_model().starts_with_computer(),
                self.welcome_model().save,
            ),
        )

    def copy_diagnostics(self) -> None:
        """Copy the diagnostics report (no snippet text, no usage) for the agent to send."""
        from quickreply.app.diagnostics import gather_diagnostics

        self.controller.copy_text(gather_diagnostics())
        self.show_notice(tr("Diagnostics copied to the clipboard: paste them into your message."))

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
        from quickreply.core.library.settings import load_settings
        from quickreply.ui.pack_dialogs import open_team_report_dialog

        open_team_report_dialog(settings=load_settings(self.store))

    def ask_team_drop(self) -> None:
        """Ask once when an installed pack suggests a team drop (never switched silently)."""
        from quickreply.ui.team_prompt import ask_team_drop

        ask_team_drop(self.store)

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
        message = translate_message(
            message
        )  # core's English errors reach it through the controller
        if self.has_tray:
            self.tray.notify("QuickReply", message)
            return
        box = QMessageBox(QMessageBox.Icon.Information, "QuickReply", message)
        box.setModal(False)  # a modal box would keep the palette from taking the keyboard
        self.windows[f"notice-{id(box)}"] = box
        box.show()

    def _ask_fields(
        self, snippet: Snippet, fields: list[Field], trigger: Trigger, target: WindowInfo | None
    ) -> None:
        from quickreply.ui.fields_dialog import FieldsDialog

        target = target or self.controller.menu_target()
        dialog = FieldsDialog(snippet.title, fields)
        QTimer.singleShot(0, lambda: self.controller.activate_own_window(int(dialog.winId())))
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
        self.services.shutdown()
        write_status(state="stopped")


def _load_tray_code() -> None:
    """Import the tray's modules (Qt creates the types of its icons and menus on first use):
    a step of its own, so a hotkey press waits for at most one of the two tray steps."""
    import quickreply.ui.icons
    import quickreply.ui.tray  # noqa: F401


def _quit_on_signals(app: QApplication) -> None:
    """Quit cleanly (hotkeys released, usage log flushed) on SIGTERM/SIGINT, e.g. at logout."""
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: app.quit())
    # Python runs signal handlers only between bytecodes: wake the interpreter now and then.
    timer = QTimer(app)
    timer.timeout.connect(lambda: None)
    timer.start(250)
