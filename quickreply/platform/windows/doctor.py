"""What `quickreply doctor` reports on Windows: our own elevation and whether a listening
keyboard hook receives keys in this session (the hook typed abbreviations and the key counter use).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from quickreply.platform.errors import BackendUnavailableError
from quickreply.platform.windows import win32
from quickreply.platform.windows.elevation import own_elevation
from quickreply.platform.windows.hook_watch import PROBE_SCAN_CODE
from quickreply.platform.windows.keys import SendInputKeySender

HOOK_WAIT_S = 1.0
Check = tuple[str, str, str]  # (verdict "ok"/"warn"/"FAIL", subject, detail)


def keyboard_hook_alive(api: Any, wait_s: float = HOOK_WAIT_S) -> bool:
    """Install a listening `keyboard` hook, send the probe key and say whether the hook saw it."""
    import keyboard

    seen = threading.Event()

    def on_event(event: Any) -> None:
        if event.scan_code == PROBE_SCAN_CODE:
            seen.set()

    hook = keyboard.hook(on_event)
    try:
        SendInputKeySender(api).probe()
        return seen.wait(wait_s)
    finally:
        keyboard.unhook(hook)


def checks(api: Any = None, hook_alive: Callable[[Any], bool] = keyboard_hook_alive) -> list[Check]:
    """Return the Windows doctor lines; `api` and `hook_alive` are seams for tests."""
    try:
        api = api if api is not None else win32.load()
    except BackendUnavailableError as exc:
        return [("warn", "windows", str(exc))]
    elevated, detail = own_elevation(api)
    lines: list[Check] = [("ok", "elevation", detail)]
    try:
        alive = hook_alive(api)
    except (ImportError, OSError, BackendUnavailableError) as exc:
        lines.append(("warn", "keyboard hook", f"cannot be installed: {exc}"))
        return lines
    lines.append(
        ("ok", "keyboard hook", "alive (listening only, no key withheld)")
        if alive
        else (
            "warn",
            "keyboard hook",
            "installed but no test key arrived: typed abbreviations and key counting will not "
            "work in this session",
        )
    )
    return lines
