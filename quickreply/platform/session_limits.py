"""Limits of the desktop session that no setting can lift, worded for the agent.

A Wayland session runs QuickReply through XWayland: its X11 hotkey grabs, pasted keys and key
listening (typed abbreviations, the reply-speed counter) reach only the windows of programs that
run under XWayland too. A native Wayland chat window gets nothing and nothing says why, so the
app tells the agent (tray message, tray menu) and `quickreply doctor` prints it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

from quickreply.core.i18n import tr


def is_wayland_session(environ: Mapping[str, str] | None = None) -> bool:
    """True when the desktop session is Wayland (WAYLAND_DISPLAY set, or XDG_SESSION_TYPE)."""
    env = os.environ if environ is None else environ
    return bool(env.get("WAYLAND_DISPLAY")) or env.get("XDG_SESSION_TYPE", "").lower() == "wayland"


def session_limits(environ: Mapping[str, str] | None = None, platform: str = "") -> list[str]:
    """Return one line (interface language) per limit of this session; empty when none."""
    if (platform or sys.platform) == "win32" or not is_wayland_session(environ):
        return []
    return [
        tr(
            "Wayland session: QuickReply's hotkeys, pasting and typed abbreviations reach only "
            "windows of programs that run through XWayland (X11). In a native Wayland window "
            "nothing happens. Log in to an Xorg session (e.g. \u201cGNOME on Xorg\u201d), or start "
            "the chat program with X11 (Chromium and Electron apps: --ozone-platform=x11)."
        )
    ]
