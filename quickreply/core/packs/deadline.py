"""Downloads that end on time: one total deadline for connecting, headers and body together.

A socket timeout bounds each read, not the download: a server that drips one byte every few
seconds keeps a plain urllib request alive for ever. Here every connection is registered with a
watch that shuts its socket down when the deadline passes, which wakes any blocked read.
"""

from __future__ import annotations

import contextlib
import functools
import http.client
import socket
import threading
import urllib.request
from collections.abc import Iterator
from typing import Any

DEFAULT_DEADLINE_S = 60.0  # setting download_deadline_s


class DeadlineWatch:
    """Shuts down every socket registered with it once `seconds` have passed."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def register(self, sock: socket.socket) -> None:
        """Watch `sock` (closed at once when the deadline has already passed)."""
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)

    def __enter__(self) -> DeadlineWatch:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


class _HTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args: Any, watch: DeadlineWatch, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._watch = watch

    def connect(self) -> None:
        super().connect()
        self._watch.register(self.sock)


class _HTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args: Any, watch: DeadlineWatch, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._watch = watch

    def connect(self) -> None:
        super().connect()
        self._watch.register(self.sock)


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, watch: DeadlineWatch) -> None:
        super().__init__()
        self._watch = watch

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(functools.partial(_HTTPConnection, watch=self._watch), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, watch: DeadlineWatch) -> None:
        super().__init__()
        self._watch = watch

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(functools.partial(_HTTPSConnection, watch=self._watch), req)


@contextlib.contextmanager
def watched_opener(seconds: float) -> Iterator[tuple[urllib.request.OpenerDirector, DeadlineWatch]]:
    """Yield an opener whose connections (redirects included) all end when `seconds` pass."""
    with DeadlineWatch(seconds) as watch:
        yield urllib.request.build_opener(_HTTPHandler(watch), _HTTPSHandler(watch)), watch


def read_capped(response: Any, max_bytes: int) -> bytes:
    """Read the body in pieces (read1 returns what one receive got) up to `max_bytes` + 1.

    Raises http.client.IncompleteRead when the server closes before the length it announced.
    """
    parts: list[bytes] = []
    size = 0
    while size <= max_bytes:
        piece = response.read1(min(65536, max_bytes + 1 - size))
        if not piece:
            break
        parts.append(piece)
        size += len(piece)
    missing = getattr(response, "length", None)
    if size <= max_bytes and missing:  # closed before the Content-Length it announced
        raise http.client.IncompleteRead(b"".join(parts), missing)
    return b"".join(parts)
