"""`quickreply pause|resume|quit`: commands for the running app over its local control channel."""

from __future__ import annotations

import argparse
from typing import Any

from quickreply.core.errors import QuickReplyError
from quickreply.core.i18n import tr


def register(sub: Any) -> None:
    """Add the control sub-commands."""
    for name, text in (
        ("pause", "pause the running app's global hotkeys"),
        ("resume", "resume the running app's global hotkeys"),
        ("quit", "quit the running app"),
    ):
        p = sub.add_parser(name, help=text)
        p.set_defaults(func=lambda args, n=name: cmd_control(args, n))


def cmd_control(args: argparse.Namespace, command: str) -> int:
    """Send one command; a clear error when QuickReply is not running."""
    from quickreply.platform.ipc import send

    if not send(command):
        raise QuickReplyError(tr("QuickReply is not running (start it with `quickreply`)"))
    print(_DONE[command])
    return 0


_DONE = {
    "pause": "hotkeys paused (`quickreply resume` turns them back on)",
    "resume": "hotkeys resumed",
    "quit": "QuickReply is quitting",
}
