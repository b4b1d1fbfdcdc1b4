"""A hostile HTTP server on 127.0.0.1 for the network tests: raw sockets, so it can drip bytes,
send garbage status lines, endless headers and broken chunked bodies, and serve real packs."""

from __future__ import annotations

import contextlib
import socket
import threading
import time

GOOD_HEAD = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"

ANSWERS: dict[str, bytes] = {
    "/garbage": b"GARBAGE STATUS LINE\r\n\r\n",
    "/http09": b"<html>no status line at all</html>",
    "/binary": b"\x00\xff\x13\x37 binary\r\n\r\n",
    "/long-header": b"HTTP/1.1 200 OK\r\nX-Long: " + b"a" * 100_000 + b"\r\n\r\n",
    "/many-headers": b"HTTP/1.1 200 OK\r\n"
    + b"".join(b"X-H%d: v\r\n" % i for i in range(150))
    + b"\r\n",
    "/bad-chunked": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
    "/short-body": b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nConnection: close\r\n\r\nabc",
    "/empty": b"",
}


class HostileServer:
    """Answers each path with its hostile bytes; /drip* sends one byte every `drip_s` seconds,
    and files put with `put` are served correctly."""

    def __init__(self, drip_s: float = 0.3) -> None:
        self.drip_s = drip_s
        self.files: dict[str, bytes] = {}
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(32)
        self._stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self._sock.getsockname()[1]}{path}"

    def put(self, path: str, data: bytes) -> None:
        self.files[path] = data

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):
            request = b""
            while b"\r\n\r\n" not in request:
                piece = conn.recv(4096)
                if not piece:
                    return
                request += piece
            path = request.split(b" ")[1].decode()
            if path.startswith("/drip"):
                head = b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n"
                payload = head if path == "/drip-body" else b"HTTP/1.1 200 OK\r\nX-Slow: "
                if path == "/drip-body":
                    conn.sendall(payload)
                    payload = b"x" * 100_000
                for byte in payload * 1000:
                    if self._stop.is_set():
                        return
                    conn.sendall(bytes([byte]) if isinstance(byte, int) else byte)
                    time.sleep(self.drip_s)
                return
            if path in self.files:
                conn.sendall(GOOD_HEAD % len(self.files[path]) + self.files[path])
                return
            conn.sendall(ANSWERS.get(path, b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"))

    def stop(self) -> None:
        self._stop.set()
        self._sock.close()
