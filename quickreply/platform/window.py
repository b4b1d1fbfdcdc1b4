"""The active window: which app the agent is typing into, and giving the focus back to it."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from quickreply.platform.errors import BackendUnavailableError

if sys.platform == "linux":
    from Xlib import X, Xatom
    from Xlib import error as xerror
    from Xlib.protocol import event as xevent

    from quickreply.platform.x11 import open_display

_FOCUS_WAIT = 0.5  # a window manager activates windows asynchronously
_SOURCE_PAGER = 2  # _NET_ACTIVE_WINDOW source indication: a pager, which WMs always obey


@dataclass(frozen=True)
class WindowInfo:
    """A top-level window: native handle, process name (``chrome``, ``WeChat.exe``) and title."""

    handle: int
    process_name: str
    title: str
    window_class: str = ""  # X11 WM_CLASS class, Win32 window class (for app rules)


class WindowTracker(Protocol):
    """Reads the active window and hands the focus back to it. Call from one thread only."""

    def active_window(self) -> WindowInfo | None:
        """Return the window that has the focus, or None if no top-level window has it."""

    def focus(self, window: WindowInfo) -> bool:
        """Give the focus to `window`; return whether it has it now."""


def choose_window_tracker() -> WindowTracker | None:
    """Return the tracker for this system, or None where the active window cannot be read."""
    if sys.platform == "win32":
        return WindowsWindowTracker()
    if sys.platform == "linux" and os.environ.get("DISPLAY"):
        try:
            return X11WindowTracker()
        except BackendUnavailableError:
            return None
    return None


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

    def active_window(self) -> WindowInfo | None:
        """Return the active top-level window, or None (no focus, or it vanished meanwhile)."""
        try:
            window = self._ewmh_active() if self._wm_supports_active() else self._focused_top()
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

    def close(self) -> None:
        """Close the X connection."""
        self._display.close()

    def _wm_supports_active(self) -> bool:
        """True if a running EWMH window manager maintains _NET_ACTIVE_WINDOW."""
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
        name = window.get_full_property(self._net_wm_name, self._utf8_string)
        if name is not None and name.value:
            return bytes(name.value).decode("utf-8", errors="replace")
        legacy = window.get_wm_name()
        if isinstance(legacy, bytes):
            return legacy.decode("latin-1")
        return legacy or ""


class WindowsWindowTracker:
    """Win32: GetForegroundWindow to read, SetForegroundWindow (AttachThreadInput trick) to focus."""

    def __init__(self) -> None:
        """Load user32 and kernel32 with the prototypes we call (private copies, not windll's)."""
        import ctypes
        from ctypes import wintypes

        self._ctypes = ctypes
        user32 = ctypes.WinDLL("user32", use_last_error=True)  # type: ignore[attr-defined]
        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
        hwnd, dword = wintypes.HWND, wintypes.DWORD
        user32.GetForegroundWindow.restype = hwnd
        user32.GetForegroundWindow.argtypes = []
        user32.GetWindowTextLengthW.argtypes = [hwnd]
        user32.GetWindowTextW.argtypes = [hwnd, wintypes.LPWSTR, ctypes.c_int]
        user32.GetWindowThreadProcessId.argtypes = [hwnd, ctypes.POINTER(dword)]
        user32.GetWindowThreadProcessId.restype = dword
        user32.AttachThreadInput.argtypes = [dword, dword, wintypes.BOOL]
        user32.IsWindow.argtypes = [hwnd]
        user32.IsIconic.argtypes = [hwnd]
        user32.ShowWindow.argtypes = [hwnd, ctypes.c_int]
        user32.BringWindowToTop.argtypes = [hwnd]
        user32.SetForegroundWindow.argtypes = [hwnd]
        kernel32.OpenProcess.restype = wintypes.HANDLE
        kernel32.OpenProcess.argtypes = [dword, wintypes.BOOL, dword]
        kernel32.QueryFullProcessImageNameW.argtypes = [
            wintypes.HANDLE,
            dword,
            wintypes.LPWSTR,
            ctypes.POINTER(dword),
        ]
        kernel32.CloseHandle.argtypes = [wintypes.HANDLE]
        kernel32.GetCurrentThreadId.restype = dword
        self._user32 = user32
        self._kernel32 = kernel32
        self._dword = dword

    def active_window(self) -> WindowInfo | None:
        """Return the foreground window, or None if there is none."""
        hwnd = self._user32.GetForegroundWindow()
        if not hwnd:
            return None
        length = self._user32.GetWindowTextLengthW(hwnd)
        title = self._ctypes.create_unicode_buffer(length + 1)
        self._user32.GetWindowTextW(hwnd, title, length + 1)
        window_class = self._ctypes.create_unicode_buffer(256)
        self._user32.GetClassNameW(hwnd, window_class, 256)
        return WindowInfo(hwnd, self._process_name(hwnd), title.value, window_class.value)

    def focus(self, window: WindowInfo) -> bool:
        """Bring `window` to the foreground; return whether it is the foreground window now."""
        user32 = self._user32
        if not user32.IsWindow(window.handle):
            return False
        current = self._kernel32.GetCurrentThreadId()
        foreground = user32.GetForegroundWindow()
        owner = user32.GetWindowThreadProcessId(foreground, None) if foreground else 0
        # Windows lets a thread take the foreground only if it shares input with the current owner.
        attached = bool(
            owner and owner != current and user32.AttachThreadInput(current, owner, True)
        )
        try:
            if user32.IsIconic(window.handle):
                user32.ShowWindow(window.handle, 9)  # SW_RESTORE
            user32.BringWindowToTop(window.handle)
            user32.SetForegroundWindow(window.handle)
        finally:
            if attached:
                user32.AttachThreadInput(current, owner, False)
        return user32.GetForegroundWindow() == window.handle

    def _process_name(self, hwnd: int) -> str:
        pid = self._dword()
        self._user32.GetWindowThreadProcessId(hwnd, self._ctypes.byref(pid))
        process = self._kernel32.OpenProcess(0x1000, False, pid.value)  # QUERY_LIMITED_INFORMATION
        if not process:
            return ""
        try:
            size = self._dword(32768)
            path = self._ctypes.create_unicode_buffer(size.value)
            if not self._kernel32.QueryFullProcessImageNameW(
                process, 0, path, self._ctypes.byref(size)
            ):
                return ""
            return os.path.basename(path.value)
        finally:
            self._kernel32.CloseHandle(process)


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
