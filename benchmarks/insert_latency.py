"""Insertion latency under Xvfb: `xdotool key` (and a tray-menu click) -> text complete in a target.

The target window (tests/e2e/target_window.py, another process) stamps every text change with
CLOCK_MONOTONIC; we stamp the moment the xdotool command starts with the same clock.
Also prints start-up time to hotkeys ready and idle memory (RSS).

Held-key mode (issues 19 and 11): presses as a person makes them (xdotool keydown --delay 0
ctrl+alt+1, 60 ms, keyup; 0.5 s apart; timed from the moment the keydown command returns) into
our own target window and into a web chat in real Chromium (tests/e2e/chromium_target.py; its
page reports each change over HTTP, stamped on arrival), by QuickReply and by AutoKey: exact
insertions out of all presses, and the median latency of the exact ones, per target; for
QuickReply also the split: hook -> paste keys sent (our part) and paste keys sent -> text
complete (the target's clipboard read, which every paste tool waits for).

Run: python benchmarks/insert_latency.py [--runs 40] [--presses 20]
Needs Xvfb, xdotool, trayer and openbox; chromium and autokey-gtk for their rows.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.autokey_anchor import (  # noqa: E402
    SETTLE_S,
    autokey_held_presses,
    held_presses,
    measure_autokey,
)
from tests.e2e.app_process import (  # noqa: E402
    AppProcess,
    start_tray_host,
    tray_icon_center,
    visible_windows,
    wait_for_new_window,
)
from tests.e2e.chromium_target import (  # noqa: E402
    ChromiumTarget,
    chromium_binary,
    start_window_manager,
)

LINE = "亲，您好！您的订单已经安排发货，预计明天送达，请注意查收哦～"


class Target:
    """The target window process; records (monotonic_ns, text) for every change."""

    def __init__(self, display: str) -> None:
        env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb")
        self.proc = subprocess.Popen(
            [sys.executable, str(ROOT / "tests/e2e/target_window.py")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        self.changes: list[tuple[int, str]] = []
        self.ready = threading.Event()
        self.window_id = 0
        threading.Thread(target=self._read, daemon=True).start()
        assert self.ready.wait(20), "target did not start"

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            kind, _, rest = raw.decode("utf-8").rstrip("\n").partition(" ")
            if kind == "ready":
                self.window_id = int(rest)
                self.ready.set()
            elif kind == "changed":
                stamp, _, text = rest.partition(" ")
                self.changes.append((int(stamp), json.loads(text)))

    def command(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()

    def completed_at(self, expected: str, timeout: float = 5) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for stamp, text in reversed(self.changes):
                if text == expected:
                    return stamp
            time.sleep(0.002)
        raise AssertionError(f"target never showed {expected!r}; last {self.changes[-1:]}")

    def reset(self, display: str) -> None:
        self.command("clear")
        deadline = time.monotonic() + 5
        while self.changes and self.changes[-1][1] != "" and time.monotonic() < deadline:
            time.sleep(0.002)
        self.changes.clear()
        subprocess.run(
            ["xdotool", "windowactivate", "--sync", str(self.window_id)],
            env=dict(os.environ, DISPLAY=display),
            check=True,
        )

    def current(self) -> str:
        return self.changes[-1][1] if self.changes else ""

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(5)


class ChromiumChat:
    """The Chromium web chat with the Target interface the measurements use."""

    def __init__(self, display: str) -> None:
        self.chat = ChromiumTarget(display)

    def reset(self, display: str) -> None:
        self.chat.clear()
        self.chat.focus()

    def completed_at(self, expected: str, timeout: float = 5) -> int:
        if not self.chat.wait_for(expected, timeout):
            raise AssertionError(f"Chromium never showed {expected!r}; it has {self.current()!r}")
        return next(stamp for stamp, text in reversed(self.chat.state.values) if text == expected)

    def current(self) -> str:
        return self.chat.value

    def close(self) -> None:
        self.chat.close()


def start_xvfb(attempts: int = 5) -> tuple[subprocess.Popen[bytes], str]:
    """Start Xvfb on a free display; retry when another server raced us for the number."""
    for _ in range(attempts):
        read_fd, write_fd = os.pipe()
        command = ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x800x24"]
        server = subprocess.Popen(
            [*command, "-nolisten", "tcp", "-noreset"],
            pass_fds=(write_fd,),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(write_fd)
        data = b""
        while not data.endswith(b"\n"):  # Xvfb dies if we close the pipe before its "\n"
            chunk = os.read(read_fd, 32)
            if not chunk:
                break
            data += chunk
        number = data.decode().strip()
        os.close(read_fd)
        display = f":{number}"
        for _ in range(100):
            if server.poll() is not None:
                break
            probe = subprocess.run(
                ["xdotool", "getdisplaygeometry"],
                env=dict(os.environ, DISPLAY=display),
                capture_output=True,
            )
            if probe.returncode == 0:
                return server, display
            time.sleep(0.05)
        server.kill()
        server.wait()
    raise AssertionError("Xvfb did not start")


def summary(name: str, samples_ms: list[float]) -> str:
    ordered = sorted(samples_ms)
    p95 = ordered[max(0, int(round(0.95 * len(ordered))) - 1)]
    return f"{name}: median {statistics.median(ordered):.1f} ms, p95 {p95:.1f} ms, min {ordered[0]:.1f}, max {ordered[-1]:.1f} (n={len(ordered)})"


def held_row(tool: str, target: str, results: list[float | None] | str) -> str:
    """One held-key line: exact/total and the median latency of the exact insertions."""
    if isinstance(results, str):
        return f"  {tool:<10} -> {target:<11}: not measured ({results})"
    exact = [r for r in results if r is not None]
    median = f"median {statistics.median(exact):.1f} ms" if exact else "no exact insertion"
    return f"  {tool:<10} -> {target:<11}: {len(exact)}/{len(results)} exact, {median}"


def held_split(done_stamps: list[int], stamps: list[tuple[int, int]]) -> str:
    """Where QuickReply's held-key time goes, from its log: hook -> paste keys sent, and paste
    keys sent -> text complete (the target reading the clipboard, which both apps wait for)."""
    ours, reads = [], []
    for done in done_stamps:
        before = [(t, s) for t, s in stamps if s <= done]
        if before:
            trigger, sent = max(before, key=lambda stamp: stamp[1])
            ours.append((sent - trigger) / 1e6)
            reads.append((done - sent) / 1e6)
    if not ours:
        return "    (no log stamps for the held presses)"
    return (
        f"    of which: hook -> paste keys sent median {statistics.median(ours):.1f} ms,"
        f" paste keys sent -> text complete median {statistics.median(reads):.1f} ms"
    )


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def app_stamps(home: Path) -> list[tuple[int, int]]:
    """(trigger_ns, sent_ns) of every insertion, from the app's log (ids and timings only)."""
    text = (home / "logs" / "app.log").read_text(encoding="utf-8")
    return [(int(t), int(s)) for t, s in re.findall(r"trigger_ns=(\d+) sent_ns=(\d+)", text)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--presses", type=int, default=20, help="held-key presses per target")
    args = parser.parse_args()
    server, display = start_xvfb()
    env = dict(os.environ, DISPLAY=display)
    window_manager = start_window_manager(display)
    tray = start_tray_host(display)
    home = Path(tempfile.mkdtemp(prefix="qr-bench-"))
    app = AppProcess(home, display)
    target = Target(display)
    chromium = ChromiumChat(display) if chromium_binary() else None
    held_targets: list[tuple[str, Any]] = [("own window", target)]
    if chromium is not None:
        held_targets.append(("Chromium", chromium))
    try:
        autokey = measure_autokey(display, target, LINE, args.runs)  # before QuickReply grabs keys
        autokey_held = autokey_held_presses(display, held_targets, LINE, args.presses)
        app.cli("list")  # library created with the default packs
        app.cli("add", "--title", "发货通知", "--body", LINE, "--hotkey", "ctrl+alt+1")
        spawn = time.perf_counter()
        status = app.start()
        ready_ms = (time.perf_counter() - spawn) * 1000
        assert app.process is not None
        time.sleep(2)
        idle_rss = rss_mb(app.process.pid)

        hotkey: list[float] = []
        marks: list[tuple[int, int]] = []
        for _ in range(args.runs):
            target.reset(display)
            # as long as AutoKey's runs wait (SETTLE_S): each insertion holds the clipboard until
            # the target has finished with it (>= 150 ms), and a press sooner would be queued
            time.sleep(SETTLE_S)
            start = time.monotonic_ns()
            subprocess.run(["xdotool", "key", "ctrl+alt+1"], env=env, check=True)
            done = target.completed_at(LINE)
            hotkey.append((done - start) / 1e6)
            marks.append((start, done))

        # the tray menu's first submenu is "Uncategorized" (My snippets): the benchmark's snippet
        expected = LINE
        clicks = []
        for _ in range(max(10, args.runs // 2)):
            target.reset(display)
            known = {w[0] for w in visible_windows(display, app.process.pid)}
            x, y = tray_icon_center(display, app.process.pid)
            subprocess.run(
                ["xdotool", "mousemove", str(x), str(y), "click", "1"], env=env, check=True
            )
            known.add(wait_for_new_window(display, app.process.pid, known)[0])
            time.sleep(0.2)
            subprocess.run(
                ["xdotool", "key", "--delay", "100", "Down", "Right"], env=env, check=True
            )
            _, sx, sy, sw, _ = wait_for_new_window(display, app.process.pid, known)
            subprocess.run(
                ["xdotool", "mousemove", str(sx + sw // 2), str(sy + 14)], env=env, check=True
            )
            time.sleep(0.1)
            start = time.monotonic_ns()
            subprocess.run(["xdotool", "click", "1"], env=env, check=True)
            clicks.append((target.completed_at(expected) - start) / 1e6)
        busy_rss = rss_mb(app.process.pid)
        stamps = app_stamps(home)[: len(marks)]
        done_at: dict[str, list[int]] = {name: [] for name, _ in held_targets}  # exact ones
        held = {
            name: held_presses(display, t, LINE, args.presses, done_stamps=done_at[name])
            for name, t in held_targets
        }
        held_stamps = app_stamps(home)
    finally:
        app.stop()
        target.close()
        if chromium is not None:
            chromium.close()
        tray.kill()
        window_manager.kill()
        server.kill()
    print(f"snippet: {len(LINE)} Chinese characters, clipboard paste, Xvfb {display}")
    print(summary("hotkey (xdotool key ctrl+alt+1 -> text complete in target)", hotkey))
    if isinstance(autokey, str):
        print(f"AutoKey: not measured ({autokey})")
    else:
        print(summary("AutoKey 0.95 (clipboard mode)", autokey))
    print(summary("tray menu click (xdotool click on the item -> text complete in target)", clicks))
    parts = [((t - s) / 1e6, (p - t) / 1e6, (d - p) / 1e6) for (s, d), (t, p) in zip(marks, stamps)]
    for index, name in enumerate(
        (
            "xdotool start -> our hook fires",
            "hook -> paste keys sent (QuickReply)",
            "paste sent -> text complete (target reads our clipboard)",
        )
    ):
        print(f"  {name}: median {statistics.median(p[index] for p in parts):.1f} ms")
    print(
        f"start-up to hotkeys ready: {ready_ms:.0f} ms from process spawn (in-process part {status['startup_ms']:.0f} ms), {len(status['hotkeys'])} hotkeys"
    )
    print(f"memory: idle RSS {idle_rss:.0f} MB, after the runs {busy_rss:.0f} MB")
    print(
        f"held-key mode (xdotool keydown --delay 0 ctrl+alt+1, 60 ms, keyup; 0.5 s apart;"
        f" keydown command returned -> text exact),"
        f" {args.presses} presses per target:"
    )
    for name, _ in held_targets:
        print(held_row("QuickReply", name, held[name]))
        print(held_split(done_at[name], held_stamps))
        print(
            held_row(
                "AutoKey",
                name,
                autokey_held if isinstance(autokey_held, str) else autokey_held[name],
            )
        )
    if chromium is None:
        print("  Chromium: not measured (chromium not installed)")


if __name__ == "__main__":
    main()
