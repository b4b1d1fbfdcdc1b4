"""The active window: which app the agent is typing into, and giving the focus back to it."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from typing import Any, Protocol

from quickreply.platform.errors import BackendUnavailableError
from quickreply.platform.window_info import WindowInfo

if sys.platform == "linux":
    from Xlib import X, Xatom
    from Xlib import error as xerror
    from Xlib.protocol import event as xevent

    from quickreply.platform.x11 import open_display

_FOCUS_WAIT = 0.5  # a window manager activates windows asynchronously
_WM_CHECK_S = 2.0  # how long the answer "is an EWMH window manager running?" is taken as current
_SOURCE_PAGER = 2  # _NET_ACTIVE_WINDOW source indication: a pager, which WMs always obey


class WindowTracker(Protocol):
    """Reads the active window and hands the focus back to it. Call from one thread only."""

    def active_window(self) -> WindowInfo | None:
        """Return the window that has the focus, or None if no top-level window has it."""

    def focused_handle(self) -> int | None:
        """Return the handle of the window that has the focus (active_window's, only cheaper:
        asked again right before the keys go out)."""

    def focus(self, window: WindowInfo) -> bool:
        """Give the focus to `window`; return whether it has it now."""

    def last_foreground(self) -> WindowInfo | None:
        """Return the last application window in the foreground, not the taskbar nor ours.

        The tray inserts there: clicking the tray icon focuses the taskbar on Windows.
        """

    def insert_problem(self, window: WindowInfo) -> tuple[bool, str | None]:
        """Return (refuse inserting into `window`?, message for the agent or None).

        Windows: a window running as administrator drops our keys (said once per app).
        """

    def activate_own(self, handle: int) -> bool:
        """Force one of our own windows to the foreground; return whether it is there now."""


def choose_window_tracker() -> WindowTracker | None:
    """Return the tracker for this system, or None where the active window cannot be read."""
    if sys.platform == "win32":
        from quickreply.platform.windows.window import Win32WindowTracker

        return Win32WindowTracker()
    if sys.platform == "linux" and os.environ.get("DISPLAY"):
        try:
            return X11WindowTracker()
        except BackendUnavailableError:
            return None
    return None


def allow_foreground_handoff() -> None:
    """Let another process (the running QuickReply) take the foreground from ours.

    Windows: AllowSetForegroundWindow(ASFW_ANY) before a second launch asks the running app to
    open its palette. Nothing to do elsewhere.
    """
    if sys.platform == "win32":
        from quickreply.platform.windows.focus import allow_foreground_handoff as allow

        allow()


class X11WindowTracker:
    """EWMH (_NET_ACTIVE_WINDOW) when a window manager provides it, else the X input focus."""

    def __init__(self, display_name: str | None = None) -> None:
        """Connect to the X server; raises BackendUnavailableError if it cannot."""
        self._display = open_display(display_name)
        self._root = self._display.screen().root
        atom = self._display.intern_atom
        self._net_active_window = atom("_NET_ACTIVE_WINDOW")
        self._net_supported = atom("_NET_SUPPORTED")
        self._net_wm_check = atom("_NET_SUPPORTING_WM_CHECK")
        self._net_wm_pid = atom("_NET_WM_PID")
        self._net_wm_name = atom("_NET_WM_NAME")
        self._utf8_string = atom("UTF8_STRING")
        self._wm_checked: tuple[float, bool] = (-_WM_CHECK_S, False)  # (monotonic, answer)

    def active_window(self) -> WindowInfo | None:
        """Return the active top-level window, or None (no focus, or it vanished meanwhile)."""
        try:
            window = self._active_top()
            if window is None:
                return None
            wm_class = window.get_wm_class()
            return WindowInfo(
                window.id,
                self._process_name(window),
                self._title(window),
                wm_class[1] if wm_class else "",
            )
        except xerror.XError:
            return None

    def focused_handle(self) -> int | None:
        """Return the active top-level window's id: one property read."""
        try:
            return _window_id(self._active_top())
        except xerror.XError:
            return None

    def focus(self, window: WindowInfo) -> bool:
        """Activate `window` through the window manager, or set the input focus directly."""
        target = self._display.create_resource_object("window", window.handle)
        try:
            if self._wm_supports_active():
                message = xevent.ClientMessage(
                    window=target,
                    client_type=self._net_active_window,
                    data=(32, [_SOURCE_PAGER, X.CurrentTime, 0, 0, 0]),
                )
                mask = X.SubstructureRedirectMask | X.SubstructureNotifyMask
                self._root.send_event(message, event_mask=mask)
                self._display.flush()
                return _wait_until(lambda: _window_id(self._ewmh_active()) == window.handle)
            catcher = xerror.CatchError()
            target.set_input_focus(X.RevertToParent, X.CurrentTime, onerror=catcher)
            self._display.sync()
            return catcher.get_error() is None and _window_id(self._focused_top()) == window.handle
        except xerror.XError:
            return False

    def last_foreground(self) -> WindowInfo | None:
        """Return the active window (X11 tray menus do not take the focus)."""
        return self.active_window()

    def insert_problem(self, window: WindowInfo) -> tuple[bool, str | None]:
        """Nothing refuses our keys on X11."""
        return False, None

    def activate_own(self, handle: int) -> bool:
        """Qt's activateWindow already asked the window manager; nothing more to do on X11."""
        return False

    def close(self) -> None:
        """Close the X connection."""
        self._display.close()

    def _wm_supports_active(self) -> bool:
        """True if a running EWMH window manager maintains _NET_ACTIVE_WINDOW (asked at most
        every _WM_CHECK_S: three round trips that every insertion would otherwise repeat)."""
        checked_at, supported = self._wm_checked
        now = time.monotonic()
        if now - checked_at >= _WM_CHECK_S:
            supported = self._ask_wm_supports_active()
            self._wm_checked = (now, supported)
        return supported

    def _ask_wm_supports_active(self) -> bool:
        check = self._root.get_full_property(self._net_wm_check, Xatom.WINDOW)
        if check is None or not check.value:
            return False
        # The property outlives a window manager that exited; its own copy proves it runs.
        wm_window = self._display.create_resource_object("window", check.value[0])
        try:
            own = wm_window.get_full_property(self._net_wm_check, Xatom.WINDOW)
        except xerror.BadWindow:
            return False
        supported = self._root.get_full_property(self._net_supported, Xatom.ATOM)
        return (
            own is not None
            and list(own.value) == list(check.value)
            and supported is not None
            and self._net_active_window in supported.value
        )

    def _active_top(self) -> Any:
        """The active top-level window: the window manager's word, else the input focus."""
        return self._ewmh_active() if self._wm_supports_active() else self._focused_top()

    def _ewmh_active(self) -> Any:
        prop = self._root.get_full_property(self._net_active_window, Xatom.WINDOW)
        if prop is None or not prop.value or not prop.value[0]:
            return None
        return self._display.create_resource_object("window", prop.value[0])

    def _focused_top(self) -> Any:
        """Return the focus window, or its nearest ancestor that has WM_CLASS (a top-level)."""
        window = self._display.get_input_focus().focus
        if isinstance(window, int):  # X.NONE or X.PointerRoot
            return None
        while window.id != self._root.id:
            if window.get_wm_class() is not None:
                return window
            window = window.query_tree().parent
        return None

    def _process_name(self, window: Any) -> str:
        pid = window.get_full_property(self._net_wm_pid, Xatom.CARDINAL)
        if pid is not None and pid.value:
            try:
                with open(f"/proc/{pid.value[0]}/comm", encoding="utf-8") as comm:
                    return comm.read().strip()
            except OSError:
                pass  # the process is gone or runs on another machine
        wm_class = window.get_wm_class()
        return wm_class[1] if wm_class else ""

    def _title(self, window: Any) -> str:
        # one request for titles up to 1 KB (the default 40 bytes is 13 Chinese characters)
        name = window.get_full_property(self._net_wm_name, self._utf8_string, sizehint=256)
        if name is not None and name.value:
            return bytes(name.value).decode("utf-8", errors="replace")
        legacy = window.get_wm_name()
        if isinstance(legacy, bytes):
            return legacy.decode("latin-1")
        return legacy or ""


def _window_id(window: Any) -> int | None:
    return None if window is None else window.id


def _wait_until(condition: Callable[[], bool]) -> bool:
    """Poll `condition` for up to _FOCUS_WAIT seconds; return its last value."""
    deadline = time.monotonic() + _FOCUS_WAIT
    while not condition():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.01)
    return True
