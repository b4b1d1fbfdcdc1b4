"""Serves the local control channel: `quickreply pause|resume|quit` and a second launch reach us here."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from quickreply.core.control import COMMANDS, channel_name


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
