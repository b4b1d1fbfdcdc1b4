"""Shipping figures: wheel size, bundle size, cold start of the built app, self-test time.

Cold start: a fresh data dir each run (so the default packs are installed, as on an agent's first
day), the built `dist/QuickReply/QuickReply` spawned under Xvfb with a tray host; "hotkeys ready"
is the app's own status.json stamp (wall clock) minus the spawn time; "first insertion" is the
moment the target window (tests/e2e/target_window.py, another process) shows the greeting that
Shift+F1 inserted, minus the spawn (CLOCK_MONOTONIC on both sides). The key is pressed as soon as
the app reports ready.

Run: python benchmarks/shipping.py [--runs 5] [--no-build]
Needs PyInstaller (pip install -e ".[build]"), Xvfb, xdotool and trayer.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.insert_latency import Target, start_xvfb  # noqa: E402
from tests.e2e.app_process import start_tray_host  # noqa: E402
from tests.packaging.wheel_build import build_wheel  # noqa: E402

BUNDLE = ROOT / "dist" / "QuickReply"
APP = BUNDLE / ("QuickReply.exe" if sys.platform == "win32" else "QuickReply")
GREETING = "qr-default-zh/greeting-welcome"


def tree_size(folder: Path) -> int:
    """Bytes of every file under `folder` (symlinks not followed)."""
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def build_bundle() -> float:
    """Build dist/QuickReply from build.spec; return the seconds it took."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN", "build.spec"],
        cwd=ROOT,
        check=True,
    )
    return time.perf_counter() - started


def app_env(home: Path, display: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "QT_QPA_PLATFORM")}
    env.update(QUICKREPLY_HOME=str(home), DISPLAY=display, QUICKREPLY_NO_WELCOME="1")
    return env


def expected_greeting(display: str) -> str:
    with tempfile.TemporaryDirectory() as home:
        out = subprocess.run(
            [str(APP), "render", GREETING],
            env=app_env(Path(home), display),
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=True,
        )
    return out.stdout.rstrip("\n")


def cold_start(display: str, target: Target, expected: str) -> tuple[float, float]:
    """Return (ms to hotkeys ready, ms to the first insertion) of one start in a fresh data dir."""
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        env = app_env(home, display)
        target.reset(display)
        spawn_wall, spawn_mono = time.time(), time.monotonic_ns()
        app = subprocess.Popen(
            [str(APP)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            status = wait_ready(home / "status.json", app.pid)
            ready_ms = (status["updated"] - spawn_wall) * 1000
            subprocess.run(["xdotool", "key", "shift+F1"], env=env, check=True)
            inserted_ms = (target.completed_at(expected) - spawn_mono) / 1e6
        finally:
            subprocess.run([str(APP), "quit"], env=env, capture_output=True, timeout=30)
            app.wait(15)
    return ready_ms, inserted_ms


def wait_ready(status_path: Path, pid: int, timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            status = json.loads(status_path.read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            status = {}
        if status.get("state") == "ready" and status.get("pid") == pid:
            return status
        time.sleep(0.002)
    raise AssertionError("the built app did not report ready")


def self_test(display: str) -> tuple[float, str]:
    """Return (wall ms, report line) of one `QuickReply --self-test`."""
    with tempfile.TemporaryDirectory() as home:
        started = time.perf_counter()
        out = subprocess.run(
            [str(APP), "--self-test"],
            env=app_env(Path(home), display),
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=60,
        )
        elapsed = (time.perf_counter() - started) * 1000
    if out.returncode != 0:
        raise AssertionError(out.stderr.strip())
    return elapsed, out.stdout.strip()


def ms(samples: list[float]) -> str:
    return (
        f"median {statistics.median(samples):.0f} ms, first {samples[0]:.0f} ms, "
        f"min {min(samples):.0f}, max {max(samples):.0f} (n={len(samples)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-build", action="store_true", help="measure the existing dist/")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        wheel = build_wheel(Path(tmp))
        print(f"wheel: {wheel.name} {wheel.stat().st_size / 1e6:.2f} MB")
    if not args.no_build or not APP.exists():
        print(f"bundle build: {build_bundle():.0f} s (pyinstaller build.spec)")
    print(f"bundle size on disk: {tree_size(BUNDLE) / 1e6:.0f} MB ({BUNDLE.relative_to(ROOT)})")
    server, display = start_xvfb()
    tray = start_tray_host(display)
    target = Target(display)
    try:
        expected = expected_greeting(display)
        starts = [cold_start(display, target, expected) for _ in range(args.runs)]
        print(f"cold start to hotkeys ready: {ms([r for r, _ in starts])}")
        print(f"cold start to first insertion (Shift+F1 at ready): {ms([i for _, i in starts])}")
        tests = [self_test(display) for _ in range(3)]
        print(f"self-test: {ms([t for t, _ in tests])} wall, from spawn to exit")
        print(f"  {tests[-1][1]}")
    finally:
        target.close()
        tray.kill()
        tray.wait()
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
