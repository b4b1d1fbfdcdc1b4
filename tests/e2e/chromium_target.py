"""A web chat in real Chromium for end-to-end tests and benchmarks.

A page served on 127.0.0.1 holds one `<textarea>` that behaves like a web chat's input box: Enter
sends (the message is reported and the box emptied), Shift+Enter is a line break. The page reports
every change of the box, every message sent, and every key press to this process over HTTP, each
stamped on arrival with CLOCK_MONOTONIC. Chromium opens it as an `--app` window on the test's X
display with the flags a sandbox-less CI needs, in a throw-away profile.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TITLE = "QuickReply Chromium target"
START_TIMEOUT = 60.0
CHROMIUM_FLAGS = (
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-features=Translate,MediaRouter",
    "--password-store=basic",
    "--window-position=40,40",
    "--window-size=700,420",
)

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>%(title)s</title>
<style>textarea { width: 95%%; height: 300px; font-size: 16px; }</style></head>
<body>
<textarea id="box" autofocus></textarea>
<script>
let seq = 0;
const box = document.getElementById("box");
function report(kind, data) {
  seq += 1;
  fetch("/report", {method: "POST", keepalive: true,
    body: JSON.stringify({seq: seq, kind: kind, data: data})});
}
box.addEventListener("input", () => report("value", box.value));
box.addEventListener("keydown", (e) => {
  const name = (e.ctrlKey ? "Ctrl+" : "") + (e.altKey ? "Alt+" : "") +
    (e.shiftKey ? "Shift+" : "") + e.key;
  report("key", name);
  if (e.key === "Enter" && !e.shiftKey && !e.ctrlKey && !e.altKey && !e.isComposing) {
    e.preventDefault();  // a web chat sends on Enter and empties its box
    report("sent", box.value);
    box.value = "";
    report("value", "");
  }
});
window.addEventListener("focus", () => box.focus());
report("ready", document.title);
</script></body></html>
"""


def chromium_binary() -> str | None:
    """Return the Chromium executable on PATH, or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


class PageState:
    """What the page reported, in page order (by sequence number), with arrival stamps."""

    def __init__(self) -> None:
        self.changed = threading.Condition()
        self.value = ""
        self.value_seq = 0
        self.ready = False
        self.sent: list[str] = []
        self.keys: list[str] = []
        self.values: list[tuple[int, str]] = []  # (monotonic_ns on arrival, value)

    def add(self, report: dict[str, Any]) -> None:
        """Record one report from the page."""
        stamp = time.monotonic_ns()
        with self.changed:
            kind, data, seq = report["kind"], report["data"], int(report["seq"])
            if kind == "value" and seq > self.value_seq:
                self.value, self.value_seq = data, seq
                self.values.append((stamp, data))
            elif kind == "sent":
                self.sent.append(data)
            elif kind == "key":
                self.keys.append(data)
            elif kind == "ready":
                self.ready = True
            self.changed.notify_all()


class ChromiumTarget:
    """The page server plus a Chromium --app window showing it; close() stops both."""

    def __init__(self, display: str) -> None:
        self.display = display
        self.state = PageState()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.state))
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{port}/"
        self._profile = tempfile.mkdtemp(prefix="qr-chromium-")
        binary = chromium_binary()
        if binary is None:
            raise RuntimeError("chromium is not installed")
        self.process = subprocess.Popen(
            [binary, *CHROMIUM_FLAGS, f"--user-data-dir={self._profile}", f"--app={self.url}"],
            env=dict(os.environ, DISPLAY=display),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            self.window_id = self._wait_for_window()
        except Exception:
            self.close()
            raise

    @property
    def value(self) -> str:
        """The textarea's value as last reported."""
        return self.state.value

    def wait_for(self, expected: str, timeout: float = 5) -> bool:
        """Wait until the textarea holds `expected`; return whether it does."""
        with self.state.changed:
            return self.state.changed.wait_for(lambda: self.state.value == expected, timeout)

    def wait_for_sent(self, count: int, timeout: float = 5) -> list[str]:
        """Wait until `count` messages were sent (or the timeout); return the messages sent."""
        with self.state.changed:
            self.state.changed.wait_for(lambda: len(self.state.sent) >= count, timeout)
            return list(self.state.sent)

    def clear(self) -> None:
        """Empty the textarea (Ctrl+A, Delete in the page) and forget reports."""
        self.focus()
        self._xdotool("key", "--clearmodifiers", "ctrl+a", "Delete")
        if self.state.value:
            self.wait_for("", timeout=5)
        with self.state.changed:
            self.state.sent.clear()
            self.state.keys.clear()
            self.state.values.clear()

    def focus(self) -> None:
        """Activate the Chromium window through the window manager and wait until it has focus."""
        self._xdotool("windowactivate", "--sync", str(self.window_id))
        deadline = time.monotonic() + 5
        while self._focused() != self.window_id:
            if time.monotonic() > deadline:
                raise AssertionError("the Chromium window did not get the focus")
            time.sleep(0.02)

    def close(self) -> None:
        """Stop Chromium (its whole process group) and the page server."""
        try:
            os.killpg(self.process.pid, 15)
            self.process.wait(10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, 9)
            self.process.wait(5)
        self._server.shutdown()
        self._server.server_close()
        shutil.rmtree(self._profile, ignore_errors=True)

    def _wait_for_window(self) -> int:
        deadline = time.monotonic() + START_TIMEOUT
        with self.state.changed:
            if not self.state.changed.wait_for(lambda: self.state.ready, START_TIMEOUT):
                raise RuntimeError("the Chromium page did not load")
        while time.monotonic() < deadline:
            found = self._xdotool("search", "--onlyvisible", "--name", TITLE, check=False)
            ids = [int(w) for w in found.split()]
            if ids:
                return ids[-1]
            time.sleep(0.1)
        raise RuntimeError("the Chromium window did not appear")

    def _focused(self) -> int:
        out = self._xdotool("getactivewindow", check=False).strip()
        return int(out) if out.isdigit() else 0

    def _xdotool(self, *args: str, check: bool = True) -> str:
        out = subprocess.run(
            ["xdotool", *args],
            env=dict(os.environ, DISPLAY=self.display),
            capture_output=True,
            text=True,
            timeout=10,
            check=check,
        )
        return out.stdout


def _handler(state: PageState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            body = (PAGE % {"title": TITLE}).encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            length = int(self.headers.get("Content-Length", "0"))
            state.add(json.loads(self.rfile.read(length).decode("utf-8")))
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib name
            return

    return Handler


def start_window_manager(display: str) -> subprocess.Popen[bytes]:
    """Start openbox on `display` and wait until it maintains _NET_ACTIVE_WINDOW."""
    proc = subprocess.Popen(
        ["openbox", "--sm-disable"],
        env=dict(os.environ, DISPLAY=display),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        out = subprocess.run(
            ["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"],
            env=dict(os.environ, DISPLAY=display),
            capture_output=True,
            text=True,
        )
        if "window id" in out.stdout:
            return proc
        time.sleep(0.05)
    proc.kill()
    raise AssertionError("openbox did not start")
