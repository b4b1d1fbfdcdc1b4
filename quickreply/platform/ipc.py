"""The running app's local control channel (a local socket or named pipe per data directory).

`ControlServer` runs inside the app; `send` is what `quickreply pause|resume|quit` and a second
launch use to reach it. One line per command, answered with "ok" or "error <reason>".
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from quickreply.core.errors import QuickReplyError
from quickreply.core.library import paths

COMMANDS = ("pause", "resume", "palette", "manager", "quit", "ping")
_TIMEOUT_MS = 3000


def channel_name() -> str:
    """Return the local socket / named pipe name of the app running on this data directory."""
    digest = hashlib.sha1(str(paths.data_dir().resolve()).encode("utf-8")).hexdigest()[:12]
    return f"quickreply-{digest}"


def send(command: str) -> bool:
    """Send `command` to the running app; return False when no app is running.

    Raises QuickReplyError when the app does not answer or refuses the command.
    """
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


class ControlServer(QObject):
    """Accepts one-line commands and answers "ok" or "error <reason>"."""

    def __init__(self, handlers: dict[str, Callable[[], None]]) -> None:
        super().__init__()
        self.handlers = handlers
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        QLocalServer.removeServer(channel_name())  # a stale socket left by a crashed run
        self.server.listen(channel_name())
        self.server.newConnection.connect(self._accept)

    def close(self) -> None:
        """Stop accepting commands."""
        self.server.close()

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._serve(s))

    def _serve(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            return
        command = bytes(socket.readLine().data()).decode("utf-8").strip()
        handler = self.handlers.get(command) if command in COMMANDS else None
        socket.write(b"ok\n" if handler else f"error unknown command {command!r}\n".encode())
        socket.flush()
        socket.disconnectFromServer()
        if handler:
            handler()
