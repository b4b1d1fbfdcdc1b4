"""Leaving text on the clipboard from a command that exits right away (`doctor --copy`).

On X11 the clipboard lives in the program that set it, so the text is handed to xclip or xsel,
which keep serving it after we exit. On Windows the text is given to the system's clipboard.
The tray app copies through its own Clipboard adapter instead.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

from quickreply.core.errors import QuickReplyError

_X11_TOOLS = (["xclip", "-selection", "clipboard", "-in"], ["xsel", "--clipboard", "--input"])


def copy_to_clipboard(text: str) -> str:
    """Put `text` on the system clipboard; return the tool used. Raises QuickReplyError."""
    if sys.platform == "win32":
        _windows_copy(text)
        return "windows clipboard"
    for command in _X11_TOOLS:
        if shutil.which(command[0]):
            try:
                # xclip/xsel stay in the background to serve the text: they must not hold our
                # stdout/stderr open, or whoever reads them would wait for that process too
                subprocess.run(
                    command,
                    input=text.encode("utf-8"),
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    check=True,
                    timeout=10,
                )
            except (OSError, subprocess.SubprocessError) as exc:
                raise QuickReplyError(f"{command[0]} could not copy: {exc}") from exc
            return command[0]
    raise QuickReplyError(
        "no clipboard tool found: install xclip (Debian/Ubuntu: apt-get install xclip), "
        "or use “Copy diagnostics” in the tray menu"
    )


def _windows_copy(text: str) -> None:  # pragma: no cover - Windows only
    import ctypes
    from ctypes import wintypes

    cf_unicodetext, gmem_moveable = 13, 0x0002
    user32, kernel32 = ctypes.windll.user32, ctypes.windll.kernel32  # type: ignore[attr-defined]
    kernel32.GlobalAlloc.restype = wintypes.HGLOBAL
    kernel32.GlobalLock.restype = wintypes.LPVOID
    kernel32.GlobalLock.argtypes = [wintypes.HGLOBAL]
    user32.SetClipboardData.argtypes = [wintypes.UINT, wintypes.HANDLE]
    data = (text + "\0").encode("utf-16-le")
    if not user32.OpenClipboard(None):
        raise QuickReplyError("the clipboard is busy (another program has it open); try again")
    try:
        user32.EmptyClipboard()
        handle = kernel32.GlobalAlloc(gmem_moveable, len(data))
        pointer = kernel32.GlobalLock(handle)
        ctypes.memmove(pointer, data, len(data))
        kernel32.GlobalUnlock(handle)
        if not user32.SetClipboardData(cf_unicodetext, handle):
            raise QuickReplyError("Windows refused the clipboard text")
    finally:
        user32.CloseClipboard()
