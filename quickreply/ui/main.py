"""Starting the tray application: wire the parts, show the tray (or a window when there is none)."""

from __future__ import annotations

import logging
import signal
import sys
import threading
import time
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QSystemTrayIcon, QWidget

from quickreply import __version__
from quickreply.app import Controller
from quickreply.commands import control
from quickreply.core import i18n, paths
from quickreply.core.errors import BusyError, QuickReplyError
from quickreply.core.i18n import tr
from quickreply.core.instance import InstanceLock, write_status
from quickreply.core.library import open_library
from quickreply.core.search import SearchIndex
from quickreply.core.settings import load_settings
from quickreply.core.subscriptions import UpdateReport
from quickreply.core.usage_log import UsageLog, open_usage_log
from quickreply.platform.clipboard import Clipboard
from quickreply.platform.hotkeys import HotkeyBackend, choose_backend
from quickreply.platform.inject import Injector
from quickreply.platform.keys import choose_key_sender
from quickreply.platform.window import choose_window_tracker
from quickreply.reply_monitor import ReplySpeedMonitor
from quickreply.subscription_timer import SubscriptionTimer
from quickreply.ui.control_server import ControlServer
from quickreply.ui.fields_dialog import FieldsDialog
from quickreply.ui.icons import app_icon
from quickreply.ui.manager import ManagerWindow
from quickreply.ui.palette import Palette
from quickreply.ui.qt_check import pyside_refcount_problem
from quickreply.ui.settings_dialog import SettingsDialog
from quickreply.ui.stats import open_stats_window
from quickreply.ui.tray import Tray

log = logging.getLogger(__name__)


def run() -> int:
    """Run the tray app until Quit; return the exit status."""
    started = time.perf_counter()
    logging.basicConfig(filename=paths.log_dir() / "app.log", level=logging.INFO, encoding="utf-8")
    lock = InstanceLock()
    try:
        lock.acquire()
    except BusyError:
        if control.send("palette"):
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
    store = open_library()
    settings = load_settings(store)
    i18n.set_language(settings.ui_language())
    notices = [str(store.recovered)] if store.recovered else []
    hotkeys: HotkeyBackend | None
    try:
        hotkeys = choose_backend(
            None if settings.hotkey_backend == "auto" else settings.hotkey_backend
        )
    except QuickReplyError as exc:
        hotkeys = None
        notices.append(tr("Global hotkeys are off: {reason}", reason=exc))
    keys = choose_key_sender(
        hotkeys.name if hotkeys else ("keyboard" if sys.platform == "win32" else "x11")
    )
    injector = Injector(keys, Clipboard(), restore_timeout_ms=settings.clipboard_restore_ms)
    usage_log = open_usage_log()
    if usage_log.recovered:
        notices.append(str(usage_log.recovered))
    threading.Thread(
        target=_apply_retention, args=(usage_log, settings.usage_retention_months), daemon=True
    ).start()
    controller = Controller(store, injector, usage_log, hotkeys, choose_window_tracker())
    reply_monitor = ReplySpeedMonitor(controller, usage_log)
    reply_state = (
        reply_monitor.start() if settings.reply_speed_tracking else (False, tr("off in Settings"))
    )
    tray = Tray(controller)
    windows: dict[str, object] = {}
    tray.stats_requested.connect(
        lambda: windows.__setitem__(
            "stats",
            open_stats_window(store, usage_log, controller.settings, reply_hook=reply_state),
        )
    )
    tray.quit_requested.connect(app.quit)
    index = SearchIndex.from_store(store, usage_log.snippet_stats)
    palette = Palette(controller, index)
    # from the tray menu: once the menu has closed and released its keyboard grab
    tray.search_requested.connect(lambda: QTimer.singleShot(0, palette.open))
    controller.palette_requested.connect(palette.open)
    tray.manager_requested.connect(
        lambda: _show_single(windows, "manager", lambda: ManagerWindow(controller, index))
    )
    tray.settings_requested.connect(
        lambda: _show_single(windows, "settings", lambda: SettingsDialog(controller))
    )
    controller.fields_needed.connect(
        lambda s, f, trig, target: _ask_fields(controller, s, f, trig, target)
    )
    has_tray = QSystemTrayIcon.isSystemTrayAvailable()
    if has_tray:
        tray.show()
        controller.error.connect(lambda message: tray.notify("QuickReply", message))
    else:
        notices.append(
            tr("This desktop has no system tray: use the search palette hotkey, or this window.")
        )
        QTimer.singleShot(0, tray.manager_requested.emit)
        controller.error.connect(lambda message: log.warning("%s", message))
    subscriptions = SubscriptionTimer(store)
    subscriptions.updated.connect(lambda reports: _show_pack_reports(tray, reports))
    subscriptions.start()
    server = ControlServer(
        {
            "pause": lambda: controller.set_paused(True),
            "resume": lambda: controller.set_paused(False),
            "palette": controller.palette_requested.emit,
            "manager": tray.manager_requested.emit,
            "quit": app.quit,
            "ping": lambda: None,
        }
    )
    status = controller.register_hotkeys()
    write_status(
        state="ready",
        startup_ms=round((time.perf_counter() - started) * 1000, 1),
        hotkeys=sorted(status.active),
        hotkey_backend=hotkeys.name if hotkeys else None,
        tray=has_tray,
        problems=status.problems,
    )
    for notice in notices:
        QTimer.singleShot(0, lambda n=notice: _show_notice(tray if has_tray else None, n))
    try:
        return app.exec()
    finally:
        server.server.close()
        reply_monitor.stop()
        controller.shutdown()
        write_status(state="stopped")
        lock.release()


def _show_pack_reports(tray: Tray, reports: list[UpdateReport]) -> None:
    """Notify what pack updates changed; keep each pack's state in the tray tooltip."""
    changed = [r.notification() for r in reports if r.changed or r.status == "failed"]
    if changed:
        tray.notify(tr("Snippet packs"), "\n".join(changed))
    lines = ["QuickReply"] + [
        f"{r.name}: {r.new_version or r.old_version} ({tr(r.status)}, {datetime.now():%H:%M})"
        for r in reports
    ]
    tray.icon.setToolTip("\n".join(lines))


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


def _show_single(windows: dict[str, object], key: str, create: Callable[[], QWidget]) -> None:
    """Raise the open window `key`, or create and show it (one manager, one settings dialog)."""
    window = windows.get(key)
    if not isinstance(window, QWidget) or not window.isVisible():
        window = windows[key] = create()
    window.show()
    window.raise_()
    window.activateWindow()


def _show_notice(tray: Tray | None, message: str) -> None:
    if tray is not None:
        tray.notify("QuickReply", message)
    else:
        QMessageBox.information(None, "QuickReply", message)


def _ask_fields(controller: Controller, snippet, fields, trigger, target) -> None:  # noqa: ANN001
    target = target or controller.active_window()
    dialog = FieldsDialog(snippet.title, fields)
    if dialog.exec():
        controller.insert(snippet, trigger, values=dialog.form.values(), target=target)
