"""Start-up as the agent feels it: launch -> the first hotkey press that puts the text into a chat
box, and idle memory of the whole process tree 5 s later. QuickReply and AutoKey (the peer, in
clipboard mode) in the same run, on the same Xvfb with a tray host, driven the same way.

Method (issue #11): the app is launched, and from that moment `xdotool key ctrl+alt+1` is re-sent
every 50 ms (the target window activated first, for both apps) until the target window (tests/e2e/target_window.py, another process) shows the line;
the time is launch -> the target's CLOCK_MONOTONIC stamp of that text. Then 5 s idle, and the RSS of
the launched process and its children (AutoKey's D-Bus session daemon, which a desktop already
has, is left out). QuickReply starts as on an agent's working day: a zh-CN library that has run
before (prepare_quickreply).

Run: python benchmarks/startup.py [--launches 5]
Needs Xvfb, xdotool, trayer, openbox and autokey-gtk.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.autokey_anchor import _environment, _stop, find_autokey, write_config  # noqa: E402
from benchmarks.insert_latency import LINE, Target, start_xvfb  # noqa: E402
from quickreply.core.search.reading_cache import CACHE_NAME as READINGS_NAME  # noqa: E402
from tests.e2e.app_process import AppProcess, start_tray_host  # noqa: E402
from tests.e2e.chromium_target import start_window_manager  # noqa: E402

RESEND_S = 0.05
TIMEOUT_S = 30.0
IDLE_S = 5.0


def tree_rss_mb(pid: int, leave_out: tuple[str, ...] = ()) -> float:
    """RSS of `pid` and all its descendants, in MB (processes named in `leave_out` not counted)."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        pending += [int(child) for child in children]
        name = status.split("Name:", 1)[1].split()[0]
        if name in leave_out:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def first_insertion_ms(
    launch: subprocess.Popen[bytes], started_ns: int, target: Target, display: str
) -> float:
    """Re-send the hotkey every 50 ms until the target shows the line; return launch -> text."""
    done = threading.Event()
    env = dict(os.environ, DISPLAY=display)

    def press() -> None:
        while not done.is_set() and launch.poll() is None:
            # the target first: a window the starting app shows (AutoKey's) may have the focus
            command = ["xdotool", "windowactivate", str(target.window_id), "key", "ctrl+alt+1"]
            subprocess.run(command, env=env, check=False, capture_output=True)
            done.wait(RESEND_S)

    presser = threading.Thread(target=press, daemon=True)
    presser.start()
    try:
        stamp = _first_change_holding(target, LINE)
    finally:
        done.set()
        presser.join(5)
    return (stamp - started_ns) / 1e6


def _first_change_holding(target: Target, line: str) -> int:
    """The stamp of the first text change that holds the whole line (presses that reached the
    target before the app grabbed the hotkey may have typed a stray character before it)."""
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        for stamp, text in list(target.changes):
            if line in text:
                return stamp
        time.sleep(0.002)
    raise AssertionError(f"the target never showed the line in {TIMEOUT_S:.0f} s")


def compile_bytecode() -> None:
    """Compile our modules once, as an installed wheel or the bundle has them (AutoKey's Debian
    package is compiled at install too): a start-up that compiles sources measures the compiler."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "quickreply")], check=True)


def launch_quickreply(display: str, home: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ, QUICKREPLY_HOME=str(home), DISPLAY=display, QT_QPA_PLATFORM="xcb")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["QUICKREPLY_NO_WELCOME"] = "1"  # an agent's daily start, not the first-run welcome
    return subprocess.Popen(
        [sys.executable, "-m", "quickreply"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def prepare_quickreply(display: str) -> Path:
    """A data dir as an agent's daily start finds it: the zh-CN default pack (the agents' own
    language) plus the benchmark line on ctrl+alt+1, and one earlier run of the app (its usage log
    and the stored pinyin readings of the search index exist)."""
    home = Path(tempfile.mkdtemp(prefix="qr-startup-"))
    env = dict(os.environ, QUICKREPLY_HOME=str(home), DISPLAY=display)
    env["QUICKREPLY_DEFAULT_PACKS"] = "zh-CN"
    subprocess.run(
        [sys.executable, "-m", "quickreply", "add", "--title", "bench", "--body", LINE]
        + ["--hotkey", "ctrl+alt+1"],
        env=env,
        check=True,
        capture_output=True,
    )
    yesterday = AppProcess(home, display)
    yesterday.start()
    deadline = time.monotonic() + TIMEOUT_S
    while not (home / READINGS_NAME).exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    yesterday.stop()
    return home


def measure(name: str, display: str, target: Target, launches: int) -> list[tuple[float, float]]:
    """(launch -> first insertion ms, idle tree RSS MB) per launch."""
    results = []
    for _ in range(launches):
        target.reset(display)
        if name == "QuickReply":
            home = prepare_quickreply(display)
            started = time.monotonic_ns()
            process = launch_quickreply(display, home)
            leave_out: tuple[str, ...] = ()
        else:
            home = Path(tempfile.mkdtemp(prefix="autokey-startup-"))
            write_config(home / ".config" / "autokey", LINE)
            (home / ".run").mkdir(mode=0o700)
            program = find_autokey()
            assert program, "autokey-gtk not installed (apt-get install autokey-gtk)"
            command = ["dbus-run-session", "--", program]
            started = time.monotonic_ns()
            process = subprocess.Popen(
                command,
                env=_environment(home, display),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            leave_out = ("dbus-run-sessio", "dbus-daemon")
        try:
            latency = first_insertion_ms(process, started, target, display)
            time.sleep(IDLE_S)
            results.append((latency, tree_rss_mb(process.pid, leave_out)))
        finally:
            if name == "QuickReply":
                process.terminate()
                process.wait(10)
            else:
                _stop(process)
            shutil.rmtree(home, ignore_errors=True)
            time.sleep(0.5)
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--launches", type=int, default=5)
    args = parser.parse_args()
    compile_bytecode()
    server, display = start_xvfb()
    window_manager = start_window_manager(display)  # an agent's desktop has one
    tray = start_tray_host(display)
    target = Target(display)
    try:
        ours = measure("QuickReply", display, target, args.launches)
        peer = measure("AutoKey", display, target, args.launches)
    finally:
        target.close()
        tray.terminate()
        window_manager.kill()
        server.terminate()
    rows = {"QuickReply": ours, "AutoKey": peer}
    medians = {
        name: (statistics.median(r[0] for r in rs), statistics.median(r[1] for r in rs))
        for name, rs in rows.items()
    }
    print(f"launches: {args.launches} each, hotkey re-sent every {RESEND_S * 1000:.0f} ms")
    print(f"{'':12} {'launch -> first insertion':>26} {'idle RSS (tree)':>16}")
    for name, (latency, rss) in medians.items():
        runs = ", ".join(f"{r[0]:.0f}" for r in rows[name])
        print(f"{name:12} {latency:>22.0f} ms {rss:>13.1f} MB   (runs ms: {runs})")
    ratio_latency = medians["QuickReply"][0] / medians["AutoKey"][0]
    ratio_rss = medians["QuickReply"][1] / medians["AutoKey"][1]
    print(f"ratio QuickReply/AutoKey: first insertion {ratio_latency:.2f} (goal <= 0.8),")
    print(f"                          idle RSS {ratio_rss:.2f} (goal <= 0.8)")


if __name__ == "__main__":
    main()
