"""`quickreply pause|resume|quit`: commands for the running app over its local control channel."""

from __future__ import annotations

import argparse
from typing import Any

from quickreply.core.control import channel_name
from quickreply.core.errors import QuickReplyError

_TIMEOUT_MS = 3000


def register(sub: Any) -> None:
    """Add the control sub-commands."""
    for name, text in (
        ("pause", "pause the running app's global hotkeys"),
        ("resume", "resume the running app's global hotkeys"),
        ("quit", "quit the running app"),
    ):
        p = sub.add_parser(name, help=text)
        p.set_defaults(func=lambda args, n=name: cmd_control(args, n))


def send(command: str) -> bool:
    """Send `command` to the running app; return False when no app is running."""
    from PySide6.QtNetwork import QLocalSocket

    socket = QLocalSocket()
    socket.connectToServer(channel_name())
    if not socket.waitForConnected(_TIMEOUT_MS):
        return False
    socket.write(command.encode("utf-8") + b"\n")
    socket.flush()
    if not socket.waitForReadyRead(_TIMEOUT_MS):
        raise QuickReplyError("the running QuickReply did not answer")
    reply = bytes(socket.readAll().data()).decode("utf-8").strip()
    if reply != "ok":
        raise QuickReplyError(f"the running QuickReply refused '{command}': {reply}")
    return True


def cmd_control(args: argparse.Namespace, command: str) -> int:
    """Send one command; a clear error when QuickReply is not running."""
    if not send(command):
        raise QuickReplyError("QuickReply is not running (start it with `quickreply`)")
    return 0
