"""A fake Win32 layer with the methods of quickreply.platform.windows.win32.Win32.

It keeps windows, processes, a message queue per thread and a record of every SendInput call,
so the Windows adapters run their real logic on Linux.
"""

from __future__ import annotations

import itertools
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from quickreply.platform.windows.constants import (
    ERROR_HOTKEY_ALREADY_REGISTERED,
    SECURITY_MANDATORY_MEDIUM_RID,
    WM_HOTKEY,
)
from quickreply.platform.windows.win32 import KeyInput


@dataclass
class FakeWindow:
    """A top-level or child window of a fake process."""

    hwnd: int
    pid: int
    thread: int
    cls: str = "Chrome_WidgetWin_1"
    title: str = ""
    children: list[int] = field(default_factory=list)
    hung: bool = False
    iconic: bool = False


class FakeWin32:
    """Enough of Win32 for the adapters: windows, foreground, hotkeys, SendInput, tokens, IME."""

    def __init__(self, own_pid: int = 100, own_level: int = SECURITY_MANDATORY_MEDIUM_RID) -> None:
        self.own_pid = own_pid
        self.own_level = own_level
        self.windows: dict[int, FakeWindow] = {}
        self.processes: dict[int, str] = {own_pid: r"C:\Program Files\QuickReply\quickreply.exe"}
        self.levels: dict[int, int | None] = {}
        self.denied: set[int] = set()  # pids whose token we may not open
        self.foreground = 0
        self.foreground_allowed = True  # whether SetForegroundWindow works without attaching
        self.attached: list[tuple[int, int, bool]] = []
        self.sent: list[list[KeyInput]] = []
        self.accept_inputs: int | None = None  # how many events SendInput accepts (None: all)
        self.down: set[int] = set()
        self.taken: set[tuple[int, int]] = set()  # (modifiers, vk) other programs hold
        self.hotkeys: dict[tuple[int, int], tuple[int, int]] = {}  # (hwnd, id) -> (mods, vk)
        self.composition: dict[int, int | None] = {}
        self.focus_of_thread: dict[int, int] = {}
        self.hooks: dict[int, Callable[[int], None]] = {}
        self._queues: dict[int, queue.Queue[tuple[int, int, int, int] | None]] = {}
        self._window_thread: dict[int, int] = {}
        self._ids = itertools.count(0x1000)
        self._lock = threading.Lock()
        self.error = 0
        self.idle = 0  # ms since the last input (GetLastInputInfo)

    # -- helpers for tests ----------------------------------------------------------------

    def add_window(self, pid: int, exe: str, *, cls: str = "Chrome_WidgetWin_1", title: str = "",
                   level: int | None = SECURITY_MANDATORY_MEDIUM_RID) -> FakeWindow:  # fmt: skip
        """Create a window of process `pid` (created with image path `exe`)."""
        hwnd = next(self._ids)
        window = FakeWindow(hwnd, pid, pid * 10, cls, title)
        self.windows[hwnd] = window
        self.processes.setdefault(pid, exe)
        self.levels.setdefault(pid, level)
        return window

    def activate(self, hwnd: int) -> None:
        """The user (or Windows) brings `hwnd` to the foreground: hooks hear of it."""
        self.foreground = hwnd
        window = self.windows.get(hwnd)
        if window is not None and window.pid == self.own_pid:
            return  # WINEVENT_SKIPOWNPROCESS
        for callback in list(self.hooks.values()):
            callback(hwnd)

    def press_hotkey(self, modifiers: int, vk: int) -> bool:
        """Post WM_HOTKEY for a registered combination; return whether one was registered."""
        for (hwnd, hotkey_id), combo in list(self.hotkeys.items()):
            if combo == (modifiers & ~0x4000, vk):
                self.post_message(hwnd, WM_HOTKEY, hotkey_id, 0)
                return True
        return False

    # -- errors, threads, processes ---------------------------------------------------------

    def last_error(self) -> int:
        return self.error

    def current_thread_id(self) -> int:
        return threading.get_ident()

    def current_process_id(self) -> int:
        return self.own_pid

    # -- message-only window and loop -------------------------------------------------------

    def create_message_window(self) -> int:
        hwnd = next(self._ids)
        thread = threading.get_ident()
        with self._lock:
            self._queues.setdefault(thread, queue.Queue())
            self._window_thread[hwnd] = thread
        return hwnd

    def destroy_window(self, hwnd: int) -> None:
        self._window_thread.pop(hwnd, None)

    def register_hotkey(self, hwnd: int, hotkey_id: int, modifiers: int, vk: int) -> int:
        assert self._window_thread.get(hwnd) == threading.get_ident(), "window of another thread"
        assert modifiers & 0x4000, "MOD_NOREPEAT missing"
        combo = (modifiers & ~0x4000, vk)
        if combo in self.taken or combo in self.hotkeys.values():
            return ERROR_HOTKEY_ALREADY_REGISTERED
        self.hotkeys[(hwnd, hotkey_id)] = combo
        return 0

    def unregister_hotkey(self, hwnd: int, hotkey_id: int) -> None:
        assert self._window_thread.get(hwnd) == threading.get_ident(), "window of another thread"
        self.hotkeys.pop((hwnd, hotkey_id), None)

    def get_message(self) -> tuple[int, int, int, int] | None:
        with self._lock:
            messages = self._queues.setdefault(threading.get_ident(), queue.Queue())
        return messages.get()

    def post_message(self, hwnd: int, message: int, wparam: int = 0, lparam: int = 0) -> bool:
        thread = self._window_thread.get(hwnd)
        if thread is None:
            return False
        self._queues[thread].put((hwnd, message, wparam, lparam))
        return True

    def post_quit(self, thread_id: int) -> bool:
        with self._lock:
            self._queues.setdefault(thread_id, queue.Queue()).put(None)
        return True

    # -- keys -------------------------------------------------------------------------------

    def send_input(self, events: list[KeyInput]) -> int:
        self.sent.append(list(events))
        accepted = len(events) if self.accept_inputs is None else self.accept_inputs
        for event in events[:accepted]:
            if event.vk and event.flags & 0x2:
                self.down.discard(event.vk)
        return accepted

    def key_is_down(self, vk: int) -> bool:
        return vk in self.down

    def idle_ms(self) -> int:
        return self.idle

    # -- windows ----------------------------------------------------------------------------

    def foreground_window(self) -> int:
        return self.foreground

    def window_class(self, hwnd: int) -> str:
        return self.windows[hwnd].cls if hwnd in self.windows else ""

    def window_title(self, hwnd: int) -> str:
        return self.windows[hwnd].title if hwnd in self.windows else ""

    def window_thread_process(self, hwnd: int) -> tuple[int, int]:
        window = self.windows.get(hwnd)
        return (window.thread, window.pid) if window else (0, 0)

    def process_path(self, pid: int) -> str:
        return self.processes.get(pid, "")

    def is_window(self, hwnd: int) -> bool:
        return hwnd in self.windows

    def is_iconic(self, hwnd: int) -> bool:
        return self.windows[hwnd].iconic

    def show_window(self, hwnd: int, command: int) -> None:
        self.windows[hwnd].iconic = False

    def bring_to_top(self, hwnd: int) -> None:
        pass

    def set_foreground(self, hwnd: int) -> bool:
        current = self.windows.get(self.foreground)
        attached = current is not None and any(
            b == current.thread and on for _a, b, on in self.attached
        )
        if self.foreground_allowed or attached:
            self.activate(hwnd)
            return True
        return False

    def attach_thread_input(self, thread: int, to_thread: int, attach: bool) -> bool:
        if attach:
            self.attached.append((thread, to_thread, True))
        else:
            self.attached = [a for a in self.attached if a[:2] != (thread, to_thread)]
        return True

    def allow_set_foreground(self, pid: int) -> bool:
        return True

    def responds(self, hwnd: int, timeout_ms: int) -> bool:
        window = self.windows.get(hwnd)
        return window is not None and not window.hung

    def child_windows(self, hwnd: int) -> list[int]:
        return list(self.windows[hwnd].children) if hwnd in self.windows else []

    def focused_window(self, thread_id: int) -> int:
        return self.focus_of_thread.get(thread_id, 0)

    # -- hooks, tokens, IME -----------------------------------------------------------------

    def hook_foreground(self, callback: Callable[[int], None]) -> int:
        hook = next(self._ids)
        self.hooks[hook] = callback
        return hook

    def unhook(self, hook: int) -> None:
        self.hooks.pop(hook, None)

    def integrity_level(self, pid: int | None) -> int | None:
        if pid is None:
            return self.own_level
        if pid in self.denied:
            raise PermissionError(pid)
        return self.levels.get(pid)

    def composition_length(self, hwnd: int) -> int | None:
        return self.composition.get(hwnd)
