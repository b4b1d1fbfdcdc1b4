"""A top-level window as every window tracker (X11, Win32) reports it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WindowInfo:
    """A top-level window: native handle, process name (``chrome``, ``WeChat.exe``) and title."""

    handle: int
    process_name: str
    title: str
    window_class: str = ""  # X11 WM_CLASS class, Win32 window class (for app rules)
