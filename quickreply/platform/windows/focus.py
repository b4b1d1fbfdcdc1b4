"""Force-activating a window: our palette, fields form and category menu, or the chat window.

Windows gives the foreground only to a process that may take it (it received the last input,
e.g. the WM_HOTKEY of a RegisterHotKey hotkey, or it owns the foreground window). So: try
SetForegroundWindow; if Windows refuses, share input with the foreground window's thread
(AttachThreadInput) for the one call — but only after that thread answered a WM_NULL within a
short time, because attaching to a hung thread hangs ours too.
"""

from __future__ import annotations

from typing import Any

from quickreply.platform.windows import win32
from quickreply.platform.windows.constants import ASFW_ANY, SW_RESTORE

HUNG_TIMEOUT_MS = 200


def force_activate(api: Any, hwnd: int) -> bool:
    """Bring `hwnd` to the foreground; return whether it is the foreground window now.

    Returns False for a window that is gone or whose thread is hung.
    """
    if not api.is_window(hwnd) or not api.responds(hwnd, HUNG_TIMEOUT_MS):
        return False
    if api.is_iconic(hwnd):
        api.show_window(hwnd, SW_RESTORE)
    if api.foreground_window() == hwnd:
        return True
    if api.set_foreground(hwnd) and api.foreground_window() == hwnd:
        return True
    foreground = api.foreground_window()
    own_thread = api.current_thread_id()
    owner = api.window_thread_process(foreground)[0] if foreground else 0
    attached = bool(
        owner
        and owner != own_thread
        and api.responds(foreground, HUNG_TIMEOUT_MS)
        and api.attach_thread_input(own_thread, owner, True)
    )
    try:
        api.bring_to_top(hwnd)
        api.set_foreground(hwnd)
    finally:
        if attached:
            api.attach_thread_input(own_thread, owner, False)
    return bool(api.foreground_window() == hwnd)


def allow_foreground_handoff(api: Any = None) -> bool:
    """AllowSetForegroundWindow(ASFW_ANY): the process we message next may take the foreground."""
    return bool((api if api is not None else win32.load()).allow_set_foreground(ASFW_ANY))
