"""Typed-abbreviation figures: detection cost per key event (the pure matcher, 10,000
abbreviations), and end key -> text complete in a real target window under Xvfb.

Run: python benchmarks/abbreviations.py [--runs 30]
Needs Xvfb, xdotool and trayer for the second figure (apt-get install xvfb xdotool trayer).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.insert_latency import LINE, Target, start_xvfb, summary  # noqa: E402
from quickreply.core.abbrev_match import AbbrevMatcher  # noqa: E402
from tests.e2e.app_process import AppProcess, start_tray_host  # noqa: E402

ABBREVS = 10_000
KEYS = 100_000


def percentile(ordered: list[float], share: float) -> float:
    return ordered[max(0, int(round(share * len(ordered))) - 1)]


def detection_cost() -> str:
    """Feed random typing (words, spaces, BackSpace, prefixed abbreviations) one key at a time."""
    rng = random.Random(14)
    abbrevs = {f";{rng.choice(string.ascii_lowercase)}{i}": f"s-{i}" for i in range(ABBREVS)}
    matcher = AbbrevMatcher(abbrevs, "space")
    names = list(abbrevs)
    keys: list[str] = []
    while len(keys) < KEYS:
        word = (
            rng.choice(names)
            if rng.random() < 0.2
            else "".join(rng.choices(string.ascii_lowercase, k=rng.randint(1, 8)))
        )
        keys.extend(word)
        if rng.random() < 0.1:
            keys.append("\b")
        keys.append(" ")
    costs = []
    clock = time.perf_counter_ns
    for key in keys[:KEYS]:
        start = clock()
        if key == " ":
            matcher.end("space")
        elif key == "\b":
            matcher.backspace()
        else:
            matcher.char(key)
        costs.append((clock() - start) / 1000)
    costs.sort()
    return (
        f"detection per key event ({ABBREVS} abbreviations, {KEYS} keys): "
        f"median {statistics.median(costs):.2f} us, p99 {percentile(costs, 0.99):.2f} us, "
        f"max {costs[-1]:.1f} us"
    )


def end_to_end(runs: int) -> str:
    """`;fh` typed with xdotool, then Space: stamp Space, wait for the exact text in the target."""
    server, display = start_xvfb()
    env = dict(os.environ, DISPLAY=display)
    tray = start_tray_host(display)
    home = Path(tempfile.mkdtemp(prefix="qr-bench-abbrev-"))
    app = AppProcess(home, display)
    target = Target(display)
    samples: list[float] = []
    try:
        app.cli("list")
        app.cli("add", "--title", "发货通知", "--body", LINE, "--abbrev", ";fh")
        app.cli("settings", "set", "abbreviations", "on")
        app.start()
        time.sleep(1)
        for _ in range(runs):
            target.reset(display)
            time.sleep(0.05)
            subprocess.run(["xdotool", "type", "--delay", "30", ";fh"], env=env, check=True)
            target.completed_at(";fh")
            time.sleep(0.1)
            start = time.monotonic_ns()
            subprocess.run(["xdotool", "key", "space"], env=env, check=True)
            samples.append((target.completed_at(LINE) - start) / 1e6)
            time.sleep(3.2)  # past the undo window, so the next run starts clean
    finally:
        app.stop()
        target.close()
        tray.kill()
        server.kill()
    return summary(
        f"end key -> text complete ({len(LINE)} Chinese characters, 4 BackSpaces + paste, Xvfb)",
        samples,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    print(detection_cost())
    print(end_to_end(args.runs))


if __name__ == "__main__":
    main()
