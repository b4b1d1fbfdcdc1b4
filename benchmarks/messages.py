"""What translating core's messages at the boundary costs: the first zh-CN error (the catalogue's
templates compiled once), each one after, and `quickreply --help` / an error line in zh-CN
against English (the parser translates every help text while it is built).

Run: python benchmarks/messages.py [--runs 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from quickreply.core import i18n  # noqa: E402
from quickreply.core import message_translation as messages  # noqa: E402

SAMPLES = [
    "snippet 's-0111fc94': title is empty; snippet 's-0111fc94': body is empty",
    "no snippet with id 'nope' (see `quickreply list`)",
    "hotkey 'ctrl+q+w': two main keys ('q' and 'w'); use one",
    "global hotkeys are unavailable: no X display; set DISPLAY or run under Xvfb: xvfb-run "
    "quickreply (keyboard backend: no readable /dev/input/event* device; use the X11 backend)",
    "something no template knows, returned as it is",
]


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def in_process(runs: int) -> None:
    i18n.set_language("zh-CN")
    start = time.perf_counter()
    messages.translate_message(SAMPLES[0])
    first = _ms(start)
    templates = len(messages._templates("zh-CN"))
    per_message = []
    for _ in range(runs):
        for sample in SAMPLES:
            start = time.perf_counter()
            messages.translate_message(sample)
            per_message.append(_ms(start))
    per_message.sort()
    print(f"first zh-CN message (catalogue read, {templates} templates compiled): {first:.1f} ms")
    print(
        f"each message after: median {statistics.median(per_message):.2f} ms, "
        f"max {per_message[-1]:.2f} ms ({len(per_message)} messages, {len(SAMPLES)} kinds)"
    )


def cli(runs: int) -> None:
    home = tempfile.mkdtemp(prefix="qr-bench-messages-")
    env = {**os.environ, "QUICKREPLY_HOME": home, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "quickreply", "list"], env=env, capture_output=True)
    for _label, args in (("--help", ["--help"]), ("error line", ["render", "nope"])):
        for lang in ("en", "zh-CN"):
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                command = [sys.executable, "-m", "quickreply", "--lang", lang, *args]
                subprocess.run(command, env=env, capture_output=True)
                times.append(_ms(start))
            print(
                f"quickreply --lang {lang} {' '.join(args)}: median {statistics.median(times):.0f} ms"
            )
    Path(home, "library.json").unlink(missing_ok=True)


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    in_process(runs)
    cli(max(3, runs // 4))


if __name__ == "__main__":
    main()
