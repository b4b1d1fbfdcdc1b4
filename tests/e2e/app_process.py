"""The real QuickReply app in its own process, on the test's Xvfb display and temp data dir."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

START_TIMEOUT = 30.0


class AppProcess:
    """Start `python -m quickreply`, wait until its hotkeys are registered, and stop it cleanly."""

    def __init__(
        self,
        home: Path,
        display: str,
        extra_env: dict[str, str] | None = None,
        command: list[str] | None = None,
    ) -> None:
        """`command` starts the app (default: this Python's `-m quickreply`; or a built app)."""
        self.home = home
        self.command = command or [sys.executable, "-m", "quickreply"]
        self.env = dict(
            os.environ, QUICKREPLY_HOME=str(home), DISPLAY=display, QT_QPA_PLATFORM="xcb"
        )
        self.env["QUICKREPLY_NO_WELCOME"] = "1"  # a first-run window would take the focus
        self.env.update(extra_env or {})
        self.process: subprocess.Popen[bytes] | None = None

    def cli(self, *args: str, stdin: str | None = None) -> str:
        """Run a `quickreply` command against the same data dir; return stdout (raise on failure)."""
        out = subprocess.run(
            [*self.command, *args],
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=60,
        )
        assert out.returncode == 0, out.stderr
        return out.stdout

    def recorded_snippets(self) -> list[str]:
        """Stop the app (its usage writer flushes) and return the snippet ids it recorded."""
        self.stop()
        with contextlib.closing(sqlite3.connect(self.home / "usage.sqlite3")) as db:
            return [row[0] for row in db.execute("SELECT snippet_id FROM events ORDER BY ts_ms")]

    def log_lines(self, marker: str) -> list[str]:
        """Return the app log's lines that contain `marker` (ids and outcomes, never text)."""
        log = self.home / "logs" / "app.log"
        if not log.exists():
            return []
        return [line for line in log.read_text(encoding="utf-8").splitlines() if marker in line]

    def start(self) -> dict:
        """Launch the app and return its status once it reports ready."""
        status = self.home / "status.json"
        status.unlink(missing_ok=True)
        log = open(self.home / "app-stdout.log", "wb")  # noqa: SIM115 - lives as long as the app
        self.process = subprocess.Popen(
            self.command, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"app exited: {(self.home / 'app-stdout.log').read_text()}")
            try:
                data = json.loads(status.read_text(encoding="utf-8"))
            except (FileNotFoundError, json.JSONDecodeError):
                time.sleep(0.02)
                continue
            if data.get("state") == "ready" and data.get("pid") == self.process.pid:
                return data
            time.sleep(0.02)
        raise AssertionError("app did not become ready")

    def stop(self) -> int | None:
        """Quit through the control channel (falls back to SIGTERM, then kill); return the status."""
        if self.process is None:
            return None
        if self.process.poll() is not None:
            return self.process.returncode
        subprocess.run(
            [*self.command, "quit"],
            env=self.env,
            capture_output=True,
            timeout=30,
        )
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


def start_tray_host(display: str) -> subprocess.Popen[bytes]:
    """Start trayer, a system-tray host, on `display` and wait until Qt can see a tray."""
    proc = subprocess.Popen(
        ["trayer", "--edge", "bottom", "--align", "right", "--widthtype", "pixel", "--width", "64"]
        + ["--height", "32", "--SetDockType", "false", "--SetPartialStrut", "false"],
        env=dict(os.environ, DISPLAY=display),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = subprocess.run(
            ["xdotool", "search", "--class", "trayer"],
            env=dict(os.environ, DISPLAY=display),
            capture_output=True,
        )
        if found.stdout.strip():
            return proc
        time.sleep(0.05)
    proc.kill()
    raise AssertionError("trayer did not start")


def set_clipboard(text: str) -> subprocess.Popen[bytes]:
    """Own the X clipboard with `text` (xclip keeps serving it until another owner takes over)."""
    proc = subprocess.Popen(
        ["xclip", "-selection", "clipboard", "-i", "-quiet"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    assert proc.stdin is not None
    proc.stdin.write(text.encode("utf-8"))
    proc.stdin.close()
    deadline = time.monotonic() + 5
    while get_clipboard() != text:
        assert time.monotonic() < deadline, "xclip did not take the clipboard"
        time.sleep(0.02)
    return proc


def get_clipboard() -> str:
    """Return the X clipboard's text ('' when empty)."""
    out = subprocess.run(["xclip", "-selection", "clipboard", "-o"], capture_output=True, timeout=5)
    return out.stdout.decode("utf-8") if out.returncode == 0 else ""


def wait_for_clipboard(text: str, timeout: float = 3) -> str:
    """Wait until the X clipboard holds `text` (we restore it once the target is done with
    ours); return what it holds at the end."""
    deadline = time.monotonic() + timeout
    current = get_clipboard()
    while current != text and time.monotonic() < deadline:
        time.sleep(0.05)
        current = get_clipboard()
    return current


def visible_windows(display: str, pid: int) -> list[tuple[int, int, int, int, int]]:
    """Return (window id, x, y, width, height) of the visible top-level windows of process `pid`."""
    env = dict(os.environ, DISPLAY=display)
    found = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--pid", str(pid)],
        env=env,
        capture_output=True,
        text=True,
    )
    windows = []
    for wid in found.stdout.split():
        geo = subprocess.run(
            ["xdotool", "getwindowgeometry", "--shell", wid],
            env=env,
            capture_output=True,
            text=True,
        )
        values = dict(line.split("=", 1) for line in geo.stdout.split())
        windows.append(
            (
                int(wid),
                int(values["X"]),
                int(values["Y"]),
                int(values["WIDTH"]),
                int(values["HEIGHT"]),
            )
        )
    return windows


def tray_icon_center(display: str, pid: int) -> tuple[int, int]:
    """Return the screen position of the app's tray icon (its only visible window at rest)."""
    windows = visible_windows(display, pid)
    assert len(windows) == 1, f"expected only the tray icon, found {windows}"
    _, x, y, width, height = windows[0]
    return x + width // 2, y + height // 2


def wait_for_new_window(
    display: str, pid: int, known: set[int], timeout: float = 5
) -> tuple[int, int, int, int, int]:
    """Wait until process `pid` shows a window not in `known` (a menu popping up); return it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for window in visible_windows(display, pid):
            if window[0] not in known:
                return window
        time.sleep(0.02)
    raise AssertionError("no new window appeared")
