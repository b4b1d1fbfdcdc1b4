"""The Win32 layer: the user32/kernel32/advapi32/imm32 calls our Windows adapters make, as plain
methods taking and returning Python values.

This is the only module that touches ctypes. It imports everywhere (the structures are plain
ctypes); `load()` opens the DLLs and raises BackendUnavailableError off Windows. Adapters take a
`Win32` (or a fake with the same methods, in tests) as an argument.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable, Sequence
from ctypes import wintypes
from dataclasses import dataclass
from typing import Any

from quickreply.platform.errors import BackendUnavailableError
from quickreply.platform.windows.constants import (
    ERROR_ACCESS_DENIED,
    EVENT_SYSTEM_FOREGROUND,
    GCS_COMPSTR,
    HWND_MESSAGE,
    INPUT_KEYBOARD,
    OBJID_WINDOW,
    PROCESS_QUERY_LIMITED_INFORMATION,
    SMTO_ABORTIFHUNG,
    TOKEN_INTEGRITY_LEVEL,
    TOKEN_QUERY,
    WINEVENT_OUTOFCONTEXT,
    WINEVENT_SKIPOWNPROCESS,
    WM_APP,
    WM_HOTKEY,
    WM_NULL,
    WM_QUIT,
)


@dataclass(frozen=True)
class KeyInput:
    """One keyboard INPUT for SendInput: a virtual key or (with KEYEVENTF_UNICODE) a UTF-16 unit."""

    vk: int
    scan: int
    flags: int


class KEYBDINPUT(ctypes.Structure):
    """KEYBDINPUT; fixed-size fields so the layout matches Windows on every host."""

    _fields_ = [
        ("wVk", ctypes.c_uint16),
        ("wScan", ctypes.c_uint16),
        ("dwFlags", ctypes.c_uint32),
        ("time", ctypes.c_uint32),
        ("dwExtraInfo", ctypes.c_size_t),
    ]


class MOUSEINPUT(ctypes.Structure):
    """MOUSEINPUT: only here so the INPUT union has its real (largest) size."""

    _fields_ = [
        ("dx", ctypes.c_int32),
        ("dy", ctypes.c_int32),
        ("mouseData", ctypes.c_uint32),
        ("dwFlags", ctypes.c_uint32),
        ("time", ctypes.c_uint32),
        ("dwExtraInfo", ctypes.c_size_t),
    ]


class _InputUnion(ctypes.Union):
    _fields_ = [("mi", MOUSEINPUT), ("ki", KEYBDINPUT)]


class INPUT(ctypes.Structure):
    """INPUT: 40 bytes on 64-bit Windows, 28 on 32-bit (SendInput checks cbSize)."""

    _fields_ = [("type", ctypes.c_uint32), ("u", _InputUnion)]


class POINT(ctypes.Structure):
    """POINT."""

    _fields_ = [("x", ctypes.c_int32), ("y", ctypes.c_int32)]


class MSG(ctypes.Structure):
    """MSG."""

    _fields_ = [
        ("hwnd", ctypes.c_void_p),
        ("message", ctypes.c_uint32),
        ("wParam", ctypes.c_size_t),
        ("lParam", ctypes.c_ssize_t),
        ("time", ctypes.c_uint32),
        ("pt", POINT),
        ("lPrivate", ctypes.c_uint32),
    ]


class RECT(ctypes.Structure):
    """RECT."""

    _fields_ = [(name, ctypes.c_int32) for name in ("left", "top", "right", "bottom")]


class GUITHREADINFO(ctypes.Structure):
    """GUITHREADINFO: which window of a GUI thread has the keyboard focus."""

    _fields_ = [
        ("cbSize", ctypes.c_uint32),
        ("flags", ctypes.c_uint32),
        ("hwndActive", ctypes.c_void_p),
        ("hwndFocus", ctypes.c_void_p),
        ("hwndCapture", ctypes.c_void_p),
        ("hwndMenuOwner", ctypes.c_void_p),
        ("hwndMoveSize", ctypes.c_void_p),
        ("hwndCaret", ctypes.c_void_p),
        ("rcCaret", RECT),
    ]


class LASTINPUTINFO(ctypes.Structure):
    """LASTINPUTINFO: tick count of the last keyboard or mouse input on this session."""

    _fields_ = [("cbSize", ctypes.c_uint32), ("dwTime", ctypes.c_uint32)]


class SID_AND_ATTRIBUTES(ctypes.Structure):  # noqa: N801 - the Win32 name
    """SID_AND_ATTRIBUTES (the Label of TOKEN_MANDATORY_LABEL)."""

    _fields_ = [("Sid", ctypes.c_void_p), ("Attributes", ctypes.c_uint32)]


def to_inputs(events: Sequence[KeyInput]) -> Any:
    """Return a ctypes INPUT array for `events` (one SendInput call sends it atomically)."""
    array = (INPUT * len(events))()
    for slot, event in zip(array, events):
        slot.type = INPUT_KEYBOARD
        slot.u.ki = KEYBDINPUT(event.vk, event.scan, event.flags, 0, 0)
    return array


def load() -> Win32:
    """Open the Win32 libraries; raises BackendUnavailableError when not on Windows."""
    if sys.platform != "win32":
        raise BackendUnavailableError(f"the Win32 API is not available on {sys.platform}")
    return Win32()


def _dll(name: str) -> Any:
    loader = getattr(ctypes, "WinDLL", None)  # exists on Windows only
    if loader is None:
        raise BackendUnavailableError(f"cannot load {name}.dll on {sys.platform}")
    return loader(name, use_last_error=True)


class Win32:
    """The calls we make, with prototypes set on private DLL handles (not ctypes.windll's)."""

    def __init__(self) -> None:
        """Load the DLLs and declare argument and result types."""
        self.user32 = user32 = _dll("user32")
        self.kernel32 = kernel32 = _dll("kernel32")
        self.advapi32 = advapi32 = _dll("advapi32")
        self.imm32 = imm32 = _dll("imm32")
        functype = ctypes.WINFUNCTYPE  # type: ignore[attr-defined]
        hwnd, dword, uint, boolean, handle = (
            wintypes.HWND,
            wintypes.DWORD,
            wintypes.UINT,
            wintypes.BOOL,
            wintypes.HANDLE,
        )
        self._win_event_proc = functype(
            None, handle, dword, hwnd, wintypes.LONG, wintypes.LONG, dword, dword
        )
        self._enum_proc = functype(boolean, hwnd, wintypes.LPARAM)
        protos: dict[Any, tuple[Any, list[Any]]] = {
            user32.CreateWindowExW: (
                hwnd,
                [dword, wintypes.LPCWSTR, wintypes.LPCWSTR, dword]
                + [ctypes.c_int] * 4
                + [hwnd, wintypes.HMENU, wintypes.HINSTANCE, wintypes.LPVOID],
            ),
            user32.DestroyWindow: (boolean, [hwnd]),
            user32.RegisterHotKey: (boolean, [hwnd, ctypes.c_int, uint, uint]),
            user32.UnregisterHotKey: (boolean, [hwnd, ctypes.c_int]),
            user32.GetMessageW: (boolean, [ctypes.POINTER(MSG), hwnd, uint, uint]),
            user32.DispatchMessageW: (wintypes.LPARAM, [ctypes.POINTER(MSG)]),
            user32.PostMessageW: (boolean, [hwnd, uint, wintypes.WPARAM, wintypes.LPARAM]),
            user32.PostThreadMessageW: (boolean, [dword, uint, wintypes.WPARAM, wintypes.LPARAM]),
            user32.SendInput: (uint, [uint, ctypes.POINTER(INPUT), ctypes.c_int]),
            user32.GetAsyncKeyState: (ctypes.c_short, [ctypes.c_int]),
            user32.GetForegroundWindow: (hwnd, []),
            user32.GetClassNameW: (ctypes.c_int, [hwnd, wintypes.LPWSTR, ctypes.c_int]),
            user32.GetWindowTextLengthW: (ctypes.c_int, [hwnd]),
            user32.GetWindowTextW: (ctypes.c_int, [hwnd, wintypes.LPWSTR, ctypes.c_int]),
            user32.GetWindowThreadProcessId: (dword, [hwnd, ctypes.POINTER(dword)]),
            user32.IsWindow: (boolean, [hwnd]),
            user32.IsIconic: (boolean, [hwnd]),
            user32.ShowWindow: (boolean, [hwnd, ctypes.c_int]),
            user32.BringWindowToTop: (boolean, [hwnd]),
            user32.SetForegroundWindow: (boolean, [hwnd]),
            user32.AttachThreadInput: (boolean, [dword, dword, boolean]),
            user32.AllowSetForegroundWindow: (boolean, [dword]),
            user32.SendMessageTimeoutW: (
                wintypes.LPARAM,
                [hwnd, uint, wintypes.WPARAM, wintypes.LPARAM, uint, uint, ctypes.c_void_p],
            ),
            user32.EnumChildWindows: (boolean, [hwnd, self._enum_proc, wintypes.LPARAM]),
            user32.SetWinEventHook: (
                handle,
                [dword, dword, wintypes.HMODULE, self._win_event_proc, dword, dword, dword],
            ),
            user32.UnhookWinEvent: (boolean, [handle]),
            user32.GetGUIThreadInfo: (boolean, [dword, ctypes.POINTER(GUITHREADINFO)]),
            user32.GetLastInputInfo: (boolean, [ctypes.POINTER(LASTINPUTINFO)]),
            kernel32.GetTickCount: (dword, []),
            kernel32.GetCurrentThreadId: (dword, []),
            kernel32.GetCurrentProcessId: (dword, []),
            kernel32.GetCurrentProcess: (handle, []),
            kernel32.GetModuleHandleW: (wintypes.HMODULE, [wintypes.LPCWSTR]),
            kernel32.OpenProcess: (handle, [dword, boolean, dword]),
            kernel32.CloseHandle: (boolean, [handle]),
            kernel32.QueryFullProcessImageNameW: (
                boolean,
                [handle, dword, wintypes.LPWSTR, ctypes.POINTER(dword)],
            ),
            advapi32.OpenProcessToken: (boolean, [handle, dword, ctypes.POINTER(handle)]),
            advapi32.GetTokenInformation: (
                boolean,
                [handle, ctypes.c_int, ctypes.c_void_p, dword, ctypes.POINTER(dword)],
            ),
            advapi32.GetSidSubAuthorityCount: (ctypes.POINTER(ctypes.c_ubyte), [ctypes.c_void_p]),
            advapi32.GetSidSubAuthority: (ctypes.POINTER(dword), [ctypes.c_void_p, dword]),
            imm32.ImmGetContext: (handle, [hwnd]),
            imm32.ImmReleaseContext: (boolean, [hwnd, handle]),
            imm32.ImmGetCompositionStringW: (
                wintypes.LONG,
                [handle, dword, wintypes.LPVOID, dword],
            ),
        }
        for function, (restype, argtypes) in protos.items():
            function.restype = restype
            function.argtypes = argtypes
        self._callbacks: dict[int, Any] = {}  # hook handle -> ctypes callback kept alive

    # -- errors, threads, processes ----------------------------------------------------------

    def last_error(self) -> int:
        """Return GetLastError of the last call made through this layer on this thread."""
        return int(ctypes.get_last_error())  # type: ignore[attr-defined]

    def current_thread_id(self) -> int:
        """Return GetCurrentThreadId()."""
        return int(self.kernel32.GetCurrentThreadId())

    def current_process_id(self) -> int:
        """Return GetCurrentProcessId()."""
        return int(self.kernel32.GetCurrentProcessId())

    # -- message-only window, hotkeys and the message loop -----------------------------------

    def create_message_window(self) -> int:
        """Create a message-only window (class STATIC) owned by the calling thread; 0 on failure."""
        module = self.kernel32.GetModuleHandleW(None)
        hwnd = self.user32.CreateWindowExW(
            0, "STATIC", "QuickReply", 0, 0, 0, 0, 0, HWND_MESSAGE, None, module, None
        )
        return int(hwnd or 0)

    def destroy_window(self, hwnd: int) -> None:
        """DestroyWindow(hwnd)."""
        self.user32.DestroyWindow(hwnd)

    def register_hotkey(self, hwnd: int, hotkey_id: int, modifiers: int, vk: int) -> int:
        """RegisterHotKey; return 0 on success, else the GetLastError code."""
        if self.user32.RegisterHotKey(hwnd, hotkey_id, modifiers, vk):
            return 0
        return self.last_error() or 1

    def unregister_hotkey(self, hwnd: int, hotkey_id: int) -> None:
        """UnregisterHotKey(hwnd, id)."""
        self.user32.UnregisterHotKey(hwnd, hotkey_id)

    def get_message(self) -> tuple[int, int, int, int] | None:
        """Wait for the next message of this thread: (hwnd, message, wParam, lParam), or None
        after WM_QUIT. WinEvent callbacks of this thread run inside this call."""
        msg = MSG()
        while True:
            result = self.user32.GetMessageW(ctypes.byref(msg), None, 0, 0)
            if result in (0, -1):
                return None
            if msg.message in (WM_HOTKEY, WM_QUIT) or msg.message >= WM_APP:
                return int(msg.hwnd or 0), int(msg.message), int(msg.wParam), int(msg.lParam)
            self.user32.DispatchMessageW(ctypes.byref(msg))

    def post_message(self, hwnd: int, message: int, wparam: int = 0, lparam: int = 0) -> bool:
        """PostMessageW; return whether it was queued."""
        return bool(self.user32.PostMessageW(hwnd, message, wparam, lparam))

    def post_quit(self, thread_id: int) -> bool:
        """Post WM_QUIT to a thread's queue, ending its get_message loop."""
        return bool(self.user32.PostThreadMessageW(thread_id, WM_QUIT, 0, 0))

    # -- keys -------------------------------------------------------------------------------

    def send_input(self, events: Sequence[KeyInput]) -> int:
        """SendInput all `events` in one call; return how many were inserted."""
        if not events:
            return 0
        array = to_inputs(events)
        return int(self.user32.SendInput(len(events), array, ctypes.sizeof(INPUT)))

    def key_is_down(self, vk: int) -> bool:
        """True if GetAsyncKeyState reports `vk` held now."""
        return bool(self.user32.GetAsyncKeyState(vk) & 0x8000)

    def idle_ms(self) -> int:
        """Milliseconds since the last keyboard or mouse input of the session (GetLastInputInfo)."""
        info = LASTINPUTINFO(cbSize=ctypes.sizeof(LASTINPUTINFO))
        if not self.user32.GetLastInputInfo(ctypes.byref(info)):
            return 0
        return int((self.kernel32.GetTickCount() - info.dwTime) & 0xFFFFFFFF)

    # -- windows ----------------------------------------------------------------------------

    def foreground_window(self) -> int:
        """GetForegroundWindow(), 0 when none."""
        return int(self.user32.GetForegroundWindow() or 0)

    def window_class(self, hwnd: int) -> str:
        """GetClassNameW."""
        buffer = ctypes.create_unicode_buffer(256)
        self.user32.GetClassNameW(hwnd, buffer, 256)
        return buffer.value

    def window_title(self, hwnd: int) -> str:
        """GetWindowTextW."""
        length = self.user32.GetWindowTextLengthW(hwnd)
        buffer = ctypes.create_unicode_buffer(length + 1)
        self.user32.GetWindowTextW(hwnd, buffer, length + 1)
        return buffer.value

    def window_thread_process(self, hwnd: int) -> tuple[int, int]:
        """GetWindowThreadProcessId: (thread id, process id), zeros for a gone window."""
        pid = wintypes.DWORD()
        thread = self.user32.GetWindowThreadProcessId(hwnd, ctypes.byref(pid))
        return int(thread), int(pid.value)

    def process_path(self, pid: int) -> str:
        """QueryFullProcessImageNameW of a process; "" when it cannot be opened."""
        process = self.kernel32.OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, False, pid)
        if not process:
            return ""
        try:
            size = wintypes.DWORD(32768)
            path = ctypes.create_unicode_buffer(size.value)
            if not self.kernel32.QueryFullProcessImageNameW(process, 0, path, ctypes.byref(size)):
                return ""
            return path.value
        finally:
            self.kernel32.CloseHandle(process)

    def is_window(self, hwnd: int) -> bool:
        """IsWindow."""
        return bool(self.user32.IsWindow(hwnd))

    def is_iconic(self, hwnd: int) -> bool:
        """IsIconic (minimised)."""
        return bool(self.user32.IsIconic(hwnd))

    def show_window(self, hwnd: int, command: int) -> None:
        """ShowWindow."""
        self.user32.ShowWindow(hwnd, command)

    def bring_to_top(self, hwnd: int) -> None:
        """BringWindowToTop."""
        self.user32.BringWindowToTop(hwnd)

    def set_foreground(self, hwnd: int) -> bool:
        """SetForegroundWindow; True if Windows accepted the request."""
        return bool(self.user32.SetForegroundWindow(hwnd))

    def attach_thread_input(self, thread: int, to_thread: int, attach: bool) -> bool:
        """AttachThreadInput."""
        return bool(self.user32.AttachThreadInput(thread, to_thread, attach))

    def allow_set_foreground(self, pid: int) -> bool:
        """AllowSetForegroundWindow(pid), e.g. before handing a second launch to the running app."""
        return bool(self.user32.AllowSetForegroundWindow(pid))

    def responds(self, hwnd: int, timeout_ms: int) -> bool:
        """True if the window's thread answers WM_NULL within `timeout_ms` (not hung)."""
        result = ctypes.c_size_t()
        return bool(
            self.user32.SendMessageTimeoutW(
                hwnd, WM_NULL, 0, 0, SMTO_ABORTIFHUNG, timeout_ms, ctypes.byref(result)
            )
        )

    def child_windows(self, hwnd: int) -> list[int]:
        """EnumChildWindows: every descendant window handle."""
        found: list[int] = []

        def collect(child: int, _lparam: int) -> bool:
            found.append(int(child or 0))
            return True

        self.user32.EnumChildWindows(hwnd, self._enum_proc(collect), 0)
        return found

    def focused_window(self, thread_id: int) -> int:
        """GetGUIThreadInfo(thread).hwndFocus: the window with the keyboard focus, or 0."""
        info = GUITHREADINFO(cbSize=ctypes.sizeof(GUITHREADINFO))
        if not self.user32.GetGUIThreadInfo(thread_id, ctypes.byref(info)):
            return 0
        return int(info.hwndFocus or 0)

    # -- foreground events ------------------------------------------------------------------

    def hook_foreground(self, callback: Callable[[int], None]) -> int:
        """SetWinEventHook(EVENT_SYSTEM_FOREGROUND), out of context, skipping our own process.

        `callback(hwnd)` runs on the calling thread, inside its get_message(); returns the hook
        handle, 0 on failure.
        """

        def on_event(_hook: Any, _event: int, hwnd: Any, obj: int, *_rest: Any) -> None:
            if hwnd and obj == OBJID_WINDOW:
                callback(int(hwnd))

        proc = self._win_event_proc(on_event)
        hook = int(
            self.user32.SetWinEventHook(
                EVENT_SYSTEM_FOREGROUND,
                EVENT_SYSTEM_FOREGROUND,
                None,
                proc,
                0,
                0,
                WINEVENT_OUTOFCONTEXT | WINEVENT_SKIPOWNPROCESS,
            )
            or 0
        )
        if hook:
            self._callbacks[hook] = proc
        return hook

    def unhook(self, hook: int) -> None:
        """UnhookWinEvent."""
        self.user32.UnhookWinEvent(hook)
        self._callbacks.pop(hook, None)

    # -- elevation --------------------------------------------------------------------------

    def integrity_level(self, pid: int | None) -> int | None:
        """Return the mandatory integrity RID of a process's token (ours when pid is None).

        Raises PermissionError when Windows refuses to show the token (a process above us);
        returns None when the process is gone.
        """
        kernel32, advapi32 = self.kernel32, self.advapi32
        if pid is None:
            process, owned = kernel32.GetCurrentProcess(), False
        else:
            process, owned = (
                kernel32.OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, False, pid),
                True,
            )
            if not process:
                if self.last_error() == ERROR_ACCESS_DENIED:
                    raise PermissionError(pid)
                return None
        token = wintypes.HANDLE()
        try:
            if not advapi32.OpenProcessToken(process, TOKEN_QUERY, ctypes.byref(token)):
                if self.last_error() == ERROR_ACCESS_DENIED:
                    raise PermissionError(pid)
                return None
            try:
                size = wintypes.DWORD()
                advapi32.GetTokenInformation(
                    token, TOKEN_INTEGRITY_LEVEL, None, 0, ctypes.byref(size)
                )
                buffer = ctypes.create_string_buffer(size.value)
                if not advapi32.GetTokenInformation(
                    token, TOKEN_INTEGRITY_LEVEL, buffer, size, ctypes.byref(size)
                ):
                    return None
                label = SID_AND_ATTRIBUTES.from_buffer(buffer)
                count = advapi32.GetSidSubAuthorityCount(label.Sid).contents.value
                return int(advapi32.GetSidSubAuthority(label.Sid, count - 1).contents.value)
            finally:
                kernel32.CloseHandle(token)
        finally:
            if owned:
                kernel32.CloseHandle(process)

    # -- IME --------------------------------------------------------------------------------

    def composition_length(self, hwnd: int) -> int | None:
        """Bytes in the IME composition string of `hwnd`, or None when the IMM will not tell.

        The IMM answers only for windows of the calling thread (ERROR_INVALID_ACCESS otherwise).
        """
        context = self.imm32.ImmGetContext(hwnd)
        if not context:
            return None
        try:
            length = int(self.imm32.ImmGetCompositionStringW(context, GCS_COMPSTR, None, 0))
        finally:
            self.imm32.ImmReleaseContext(hwnd, context)
        return length if length >= 0 else None
