"""The last window the agent really worked in, for insertions from the tray menu.

Clicking the tray can make one of our own windows (or the shell) the active window before the menu
asks which window to insert into; the chat window is the one that was active before. On X11 a
listener thread watches the root window's _NET_ACTIVE_WINDOW and remembers the last active window
that belongs to another process and is a normal window (not a dock, panel or desktop).
"""

from __future__ import annotations

import logging
import os
import select
import sys
import threading
from typing import Any, Protocol

from quickreply.platform.errors import BackendUnavailableError
from quickreply.platform.window import WindowInfo

if sys.platform == "linux":
    from Xlib import X, Xatom
    from Xlib import error as xerror

    from quickreply.platform.x11 import open_display

log = logging.getLogger(__name__)

_SKIPPED_TYPES = ("_NET_WM_WINDOW_TYPE_DOCK", "_NET_WM_WINDOW_TYPE_DESKTOP")


class ForegroundMemory(Protocol):
    """Remembers the last foreground window that is not ours."""

    def last_foreground(self) -> WindowInfo | None:
        """Return the last other program's window that was in the foreground, or None."""

    def close(self) -> None:
        """Stop watching."""


def choose_foreground_memory() -> ForegroundMemory | None:
    """Return the watcher for this system, or None where it cannot watch (no X display)."""
    if sys.platform == "linux" and os.environ.get("DISPLAY"):
        try:
            return X11ForegroundWatcher()
        except BackendUnavailableError:
            return None
    return None


class X11ForegroundWatcher:
    """Follows _NET_ACTIVE_WINDOW on its own X connection and thread."""

    def __init__(self, display_name: str | None = None) -> None:
        """Connect and start watching; raises BackendUnavailableError without a display."""
        self._display = open_display(display_name)
        self._root = self._display.screen().root
        atom = self._display.intern_atom
        self._active = atom("_NET_ACTIVE_WINDOW")
        self._pid = atom("_NET_WM_PID")
        self._name = atom("_NET_WM_NAME")
        self._type = atom("_NET_WM_WINDOW_TYPE")
        self._utf8 = atom("UTF8_STRING")
        self._skipped = {atom(name) for name in _SKIPPED_TYPES}
        self._last: WindowInfo | None = None
        self._lock = threading.Lock()
        self._root.change_attributes(event_mask=X.PropertyChangeMask)
        self._remember_active()
        self._wake_read, self._wake_write = os.pipe()
        self._thread = threading.Thread(target=self._run, name="quickreply-foreground", daemon=True)
        self._thread.start()

    def last_foreground(self) -> WindowInfo | None:
        """Return the last active window of another program (None before there was one)."""
        with self._lock:
            return self._last

    def close(self) -> None:
        """Stop the thread and close the connection."""
        if self._thread.is_alive():
            os.write(self._wake_write, b"!")
            self._thread.join(timeout=5)
        os.close(self._wake_read)
        os.close(self._wake_write)

    def _run(self) -> None:
        try:
            while True:
                while self._display.pending_events():
                    event = self._display.next_event()
                    if event.type == X.PropertyNotify and event.atom == self._active:
                        self._remember_active()
                sources = [self._display.fileno(), self._wake_read]
                readable, _, _ = select.select(sources, [], [])
                if self._wake_read in readable:
                    return
        except Exception:
            log.exception("foreground watcher stopped")
        finally:
            self._display.close()

    def _remember_active(self) -> None:
        try:
            prop = self._root.get_full_property(self._active, Xatom.WINDOW)
            if prop is None or not prop.value or not prop.value[0]:
                return
            window = self._display.create_resource_object("window", prop.value[0])
            info = self._other_programs_window(window)
        except xerror.XError:
            return  # the window went away meanwhile
        if info is not None:
            with self._lock:
                self._last = info

    def _other_programs_window(self, window: Any) -> WindowInfo | None:
        """Return the window's info if it is a normal window of another process, else None."""
        pid_prop = window.get_full_property(self._pid, Xatom.CARDINAL)
        pid = int(pid_prop.value[0]) if pid_prop is not None and pid_prop.value else 0
        if pid == os.getpid():
            return None
        kinds = window.get_full_property(self._type, Xatom.ATOM)
        if kinds is not None and self._skipped & set(kinds.value):
            return None
        return WindowInfo(window.id, _process_name(pid, window), self._title(window))

    def _title(self, window: Any) -> str:
        name = window.get_full_property(self._name, self._utf8)
        if name is not None and name.value:
            return bytes(name.value).decode("utf-8", errors="replace")
        legacy = window.get_wm_name()
        return legacy.decode("latin-1") if isinstance(legacy, bytes) else (legacy or "")


def _process_name(pid: int, window: Any) -> str:
    if pid:
        try:
            with open(f"/proc/{pid}/comm", encoding="utf-8") as comm:
                return comm.read().strip()
        except OSError:
            pass  # gone, or another machine's process
    wm_class = window.get_wm_class()
    return wm_class[1] if wm_class else ""
