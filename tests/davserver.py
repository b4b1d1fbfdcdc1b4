"""A real WebDAV server (WsgiDAV on cheroot) in its own process on 127.0.0.1, for the team tests."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest


def free_port() -> int:
    """Return a TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class DavServer:
    """WsgiDAV serving `root` read/write at http://127.0.0.1:<port>/ (Basic auth with `users`)."""

    def __init__(
        self,
        root: Path,
        port: int | None = None,
        users: dict[str, str] | None = None,
        *,
        refuse_move: bool = False,
        refuse_infinity: bool = False,
    ) -> None:
        self.root = root
        self.users = users or {}  # user name -> password; empty: anonymous
        self.refuse_move = refuse_move  # answer MOVE with 405, as servers without it do
        self.refuse_infinity = refuse_infinity  # refuse PROPFIND Depth: infinity (Apache's default)
        self.requests = root.parent / f"wsgidav-requests-{id(self)}.log"  # "METHOD depth path"
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> DavServer:
        """Start the server and wait until it answers."""
        if shutil.which("wsgidav") is None and not _importable():
            pytest.fail("WsgiDAV is not installed (pip install -e '.[test]')", pytrace=False)
        self.root.mkdir(parents=True, exist_ok=True)
        log = open(self.root.parent / f"wsgidav-{self.port}.log", "ab")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-c", _MAIN, str(self.root), str(self.port), json.dumps(self.users)]
            + [str(self.requests)]
            + (["refuse-move"] if self.refuse_move else [])
            + (["refuse-infinity"] if self.refuse_infinity else []),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "WsgiDAV exited"
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.05)
        raise AssertionError("WsgiDAV did not start")

    def requests_made(self) -> list[str]:
        """Return the requests the server answered so far, as "METHOD depth path" lines."""
        return self.requests.read_text().splitlines() if self.requests.exists() else []

    def stop(self) -> None:
        """Stop the server (the drop is unreachable until start())."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


def _importable() -> bool:
    try:
        import wsgidav  # noqa: F401
    except ImportError:
        return False
    return True


# the server's own process: WsgiDAV's app on cheroot, read/write, quiet
_MAIN = """
import json, sys
from cheroot import wsgi
from wsgidav.wsgidav_app import WsgiDAVApp
root, port, users = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
mapping = {name: {"password": password} for name, password in users.items()} if users else True
app = WsgiDAVApp({
    "host": "127.0.0.1", "port": port, "provider_mapping": {"/": root},
    "http_authenticator": {"domain_controller": None, "accept_basic": True,
                           "accept_digest": False, "default_to_digest": False},
    "simple_dc": {"user_mapping": {"*": mapping}}, "verbose": 1, "logging": {"enable": False},
})
flags, requests = sys.argv[5:], open(sys.argv[4], "a", buffering=1)
def served(environ, start_response):
    method, depth = environ["REQUEST_METHOD"], environ.get("HTTP_DEPTH", "-")
    requests.write(f"{method} {depth} {environ['PATH_INFO']}\\n")
    if method == "MOVE" and "refuse-move" in flags:
        start_response("405 Method Not Allowed", [("Content-Length", "0")])
        return [b""]
    if method == "PROPFIND" and depth == "infinity" and "refuse-infinity" in flags:
        start_response("403 Forbidden", [("Content-Length", "0")])
        return [b""]
    return app(environ, start_response)
server = wsgi.Server(("127.0.0.1", port), served, numthreads=4)
server.start()
"""
