"""The Windows WindowTracker: the foreground window, UWP hosts resolved, focus that really moves,
the last real foreground window for the tray, and elevated targets refused with one message."""

from __future__ import annotations

import ntpath
from typing import Any

from quickreply.core.process_names import same_process
from quickreply.platform.window_info import WindowInfo
from quickreply.platform.windows import win32
from quickreply.platform.windows.elevation import ElevationNotices
from quickreply.platform.windows.focus import force_activate
from quickreply.platform.windows.foreground import ForegroundTracker

UWP_HOST = "ApplicationFrameHost.exe"


def process_name(api: Any, hwnd: int) -> str:
    """Return the image name of the process owning `hwnd` (``WeChat.exe``), UWP hosts resolved.

    UWP apps' frames belong to ApplicationFrameHost.exe; the app itself owns a child window.
    """
    _thread, pid = api.window_thread_process(hwnd)
    name = ntpath.basename(api.process_path(pid)) if pid else ""
    if not same_process(name, UWP_HOST):
        return name
    for child in api.child_windows(hwnd):
        _child_thread, child_pid = api.window_thread_process(child)
        if child_pid and child_pid != pid:
            child_name = ntpath.basename(api.process_path(child_pid))
            if child_name:
                return child_name
    return name


class Win32WindowTracker:
    """WindowTracker on Win32; `last_foreground` is what the tray inserts into."""

    def __init__(self, api: Any = None, *, track_foreground: bool = True) -> None:
        """Use `api` (default: the real Win32) and start the foreground hook."""
        self._api = api if api is not None else win32.load()
        self._foreground = ForegroundTracker(self._api)
        self._notices = ElevationNotices()
        if track_foreground:
            self._foreground.start()

    def active_window(self) -> WindowInfo | None:
        """Return the foreground window, or None when there is none."""
        return self._info(self._api.foreground_window())

    def focused_handle(self) -> int | None:
        """Return the foreground window's handle (no process or title lookup)."""
        return self._api.foreground_window() or None

    def last_foreground(self) -> WindowInfo | None:
        """Return the last foreground window that is neither the shell nor QuickReply's own.

        The tray asks this: a click on the tray icon has made the taskbar the foreground window.
        """
        return self._info(self._foreground.last())

    def focus(self, window: WindowInfo) -> bool:
        """Give the foreground back to `window`; False if it is gone, hung or Windows refused."""
        return force_activate(self._api, window.handle)

    def activate_own(self, handle: int) -> bool:
        """Force our palette/form/menu to the foreground (the hotkey's right, else attaching)."""
        return force_activate(self._api, handle)

    def insert_problem(self, window: WindowInfo) -> tuple[bool, str | None]:
        """Return (refuse the insertion?, message for the agent, said once per application)."""
        _thread, pid = self._api.window_thread_process(window.handle)
        if not pid:
            return False, None
        return self._notices.problem(self._api, pid, window.process_name)

    def close(self) -> None:
        """Remove the foreground hook."""
        self._foreground.stop()

    def _info(self, hwnd: int) -> WindowInfo | None:
        if not hwnd:
            return None
        return WindowInfo(hwnd, process_name(self._api, hwnd), self._api.window_title(hwnd))
