"""The last real foreground window, for the tray: SetWinEventHook(EVENT_SYSTEM_FOREGROUND).

Clicking the tray icon makes the taskbar (Shell_TrayWnd) the foreground window before our menu
opens, so "the focused window" at that moment is the wrong target. A WinEvent hook on its own
thread remembers the last foreground window that is neither the shell nor one of ours.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

log = logging.getLogger(__name__)

# Window classes of the shell: taskbars, the tray overflow, desktop, Start/search, task view.
SHELL_CLASSES = frozenset(
    {
        "Shell_TrayWnd",
        "Shell_SecondaryTrayWnd",
        "NotifyIconOverflowWindow",
        "TopLevelWindowForOverflowXamlIsland",
        "Progman",
        "WorkerW",
        "Windows.UI.Core.CoreWindow",
        "MultitaskingViewFrame",
        "XamlExplorerHostIslandWindow",
        "ForegroundStaging",
        "TaskListThumbnailWnd",
        "#32768",  # a popup menu
    }
)


def is_application_window(window_class: str, pid: int, own_pid: int) -> bool:
    """True for a window the agent could be typing into: not the shell, not QuickReply's own."""
    return bool(pid) and pid != own_pid and window_class not in SHELL_CLASSES


class ForegroundTracker:
    """Remembers the last application window that came to the foreground."""

    def __init__(self, api: Any) -> None:
        """Prepare the tracker; `start` installs the hook."""
        self._api = api
        self._own_pid = api.current_process_id()
        self._last = 0
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._thread_id = 0
        self._ready = threading.Event()

    def start(self) -> bool:
        """Install the hook on its own thread; return whether it runs."""
        self.note(self._api.foreground_window())
        self._thread = threading.Thread(target=self._run, name="quickreply-foreground", daemon=True)
        self._thread.start()
        return self._ready.wait(5) and self._thread_id != 0

    def stop(self) -> None:
        """Remove the hook and end the thread; safe to call twice."""
        if self._thread is not None and self._thread.is_alive():
            self._api.post_quit(self._thread_id)
            self._thread.join(5)
        self._thread = None

    def note(self, hwnd: int) -> None:
        """Take a foreground change (the hook's callback; cheap: runs on the hook thread)."""
        if not hwnd:
            return
        _thread, pid = self._api.window_thread_process(hwnd)
        if is_application_window(self._api.window_class(hwnd), pid, self._own_pid):
            with self._lock:
                self._last = hwnd

    def last(self) -> int:
        """Return the last application window handle still open, or 0."""
        with self._lock:
            hwnd = self._last
        return hwnd if hwnd and self._api.is_window(hwnd) else 0

    def _run(self) -> None:
        api = self._api
        hook = 0
        try:
            hook = api.hook_foreground(self.note)
            if hook:
                self._thread_id = api.current_thread_id()
        finally:
            self._ready.set()
        if not hook:
            log.warning("foreground hook failed (error %s)", api.last_error())
            return
        try:
            while api.get_message() is not None:
                pass  # WinEvent callbacks run inside get_message
        finally:
            api.unhook(hook)
