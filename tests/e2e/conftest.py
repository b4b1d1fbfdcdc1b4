"""End-to-end fixtures: a private Xvfb server and chat-box stand-ins running in other processes.

Without Xvfb or xdotool the tests skip, unless QUICKREPLY_REQUIRE_E2E=1 (CI) makes that a failure.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import select
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.e2e.app_process import AppProcess, start_tray_host

REQUIRE_ENV = "QUICKREPLY_REQUIRE_E2E"
TARGET_SCRIPT = Path(__file__).with_name("target_window.py")
START_TIMEOUT = 15.0
REPLY_TIMEOUT = 5.0


def require_tools(*tools: str) -> None:
    """Skip (or fail, under QUICKREPLY_REQUIRE_E2E=1) unless every tool is on PATH."""
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if not missing:
        return
    reason = (
        f"end-to-end test needs {', '.join(missing)} "
        "(Debian/Ubuntu: apt-get install xvfb xdotool xclip)"
    )
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{reason}; {REQUIRE_ENV}=1 forbids skipping", pytrace=False)
    pytest.skip(reason)


def xdotool(*args: str) -> None:
    """Run one xdotool command on the test display; raise if it fails."""
    subprocess.run(["xdotool", *args], check=True, timeout=REPLY_TIMEOUT, capture_output=True)


@pytest.fixture(scope="session")
def xvfb_display(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start Xvfb on a free display number, point DISPLAY at it, and stop it at the end."""
    old_display = os.environ.get("DISPLAY")
    with xvfb_server(tmp_path_factory.mktemp("xvfb") / "xvfb.log") as display:
        os.environ["DISPLAY"] = display
        try:
            yield display
        finally:
            if old_display is None:
                os.environ.pop("DISPLAY", None)
            else:
                os.environ["DISPLAY"] = old_display


@contextlib.contextmanager
def xvfb_server(log_path: Path) -> Iterator[str]:
    """A private Xvfb on a free display number (its output in `log_path`); yield the display."""
    require_tools("Xvfb", "xdotool")
    read_fd, write_fd = os.pipe()
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x800x24"]
            + ["-nolisten", "tcp", "-noreset"],
            pass_fds=(write_fd,),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
        )
    os.close(write_fd)
    try:
        display = f":{_read_display_number(read_fd, server, log_path)}"
        _wait_until_connectable(display, server, log_path)
        yield display
    finally:
        os.close(read_fd)
        server.terminate()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _read_display_number(read_fd: int, server: subprocess.Popen[bytes], log: Path) -> int:
    """Read the number Xvfb writes to -displayfd once it listens."""
    data = b""
    deadline = time.monotonic() + START_TIMEOUT
    while not data.endswith(b"\n"):
        remaining = deadline - time.monotonic()
        if remaining <= 0 or server.poll() is not None:
            raise RuntimeError(f"Xvfb did not start: {log.read_text(errors='replace')}")
        readable, _, _ = select.select([read_fd], [], [], min(remaining, 0.2))
        if readable:
            data += os.read(read_fd, 64)
    return int(data)


def _wait_until_connectable(display: str, server: subprocess.Popen[bytes], log: Path) -> None:
    from Xlib import error as xerror
    from Xlib.display import Display

    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            Display(display).close()
            return
        except (xerror.DisplayError, xerror.ConnectionClosedError, OSError):
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"Xvfb not reachable: {log.read_text(errors='replace')}"
                ) from None
            time.sleep(0.02)


class TargetWindow:
    """Handle on a running target_window.py: read its text and key events, focus it."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self._process = process
        self._replies: queue.Queue[str] = queue.Queue()
        self._text_changed = threading.Condition()
        self._latest_text = ""
        self._ready: queue.Queue[int] = queue.Queue()
        self._reader = threading.Thread(target=self._read_output, daemon=True)
        self._reader.start()
        try:
            self.window_id = self._ready.get(timeout=START_TIMEOUT)
        except queue.Empty:
            self.close()
            raise RuntimeError("target window did not report ready") from None

    def text(self) -> str:
        """Return the editor's current text."""
        return json.loads(self._command("get_text", "text"))

    def wait_for_text(self, expected: str, timeout: float = 5) -> None:
        """Return once the editor's text equals `expected`; AssertionError with the text if not."""
        with self._text_changed:
            if self._text_changed.wait_for(lambda: self._latest_text == expected, timeout):
                return
        raise AssertionError(f"target text is {self.text()!r}, expected {expected!r}")

    def clear(self) -> None:
        """Empty the editor and forget the recorded key events."""
        self._command("clear", "ok")

    def events(self) -> list[tuple[str, str]]:
        """Return the key presses the editor saw, e.g. ("press", "Shift+Return")."""
        return [tuple(event) for event in json.loads(self._command("get_events", "events"))]

    def enter_count(self) -> int:
        """Return how many bare Enter presses (a chat client's "send") the editor saw."""
        return sum(event in (("press", "Return"), ("press", "Enter")) for event in self.events())

    def focus(self) -> None:
        """Give this window the X input focus (no window manager runs, so no activation)."""
        xdotool("windowfocus", "--sync", str(self.window_id))

    def close(self) -> None:
        """Close stdin (the target quits) and reap the process."""
        if self._process.stdin and not self._process.stdin.closed:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()

    def _command(self, command: str, reply_kind: str) -> str:
        assert self._process.stdin is not None
        self._process.stdin.write(command.encode() + b"\n")
        self._process.stdin.flush()
        try:
            reply = self._replies.get(timeout=REPLY_TIMEOUT)
        except queue.Empty:
            raise AssertionError(f"target did not answer {command!r}") from None
        kind, _, payload = reply.partition(" ")
        assert kind == reply_kind, f"target answered {reply!r} to {command!r}"
        return payload

    def _read_output(self) -> None:
        assert self._process.stdout is not None
        for raw in self._process.stdout:
            kind, _, rest = raw.decode("utf-8").rstrip("\n").partition(" ")
            if kind == "changed":
                text = json.loads(rest.partition(" ")[2])
                with self._text_changed:
                    self._latest_text = text
                    self._text_changed.notify_all()
            elif kind == "ready":
                self._ready.put(int(rest))
            else:
                self._replies.put(f"{kind} {rest}")
        self._replies.put("eof target exited")


@pytest.fixture
def spawn_target(xvfb_display: str) -> Iterator[Callable[..., TargetWindow]]:
    """Return a function that starts a focused target window (arguments go to target_window.py,
    e.g. "--paste-delay-ms", "600"); all are closed after the test."""
    started: list[TargetWindow] = []

    def spawn(*args: str) -> TargetWindow:
        env = dict(os.environ, DISPLAY=xvfb_display, QT_QPA_PLATFORM="xcb")
        process = subprocess.Popen(
            [sys.executable, str(TARGET_SCRIPT), *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        target = TargetWindow(process)
        started.append(target)
        target.focus()
        return target

    yield spawn
    for target in started:
        target.close()


@pytest.fixture
def target_window(spawn_target: Callable[[], TargetWindow]) -> TargetWindow:
    """A focused, empty target window in another process."""
    return spawn_target()


@pytest.fixture(scope="session")
def tray_host(xvfb_display: str) -> Iterator[None]:
    """A system tray, as on an agent's desktop (without one the app opens a window instead)."""
    require_tools("trayer")
    proc = start_tray_host(xvfb_display)
    yield
    proc.kill()
    proc.wait()


@pytest.fixture
def app(xvfb_display: str, tray_host: None, quickreply_home: Path) -> Iterator[AppProcess]:
    """The real app (not started yet: tests seed snippets first, then call start())."""
    require_tools("xclip")
    proc = AppProcess(quickreply_home, xvfb_display)
    proc.cli("list")  # first start: default packs installed
    yield proc
    proc.stop()
