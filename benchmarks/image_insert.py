"""Image snippet insertion under Xvfb: `xdotool key` -> a 200 KB PNG and the text complete in a
rich target window in another process (tests/e2e/image_target.py stamps each pasted item with
CLOCK_MONOTONIC; we stamp the moment the xdotool command starts with the same clock).

AutoKey cannot paste images, so the reference in the same run is QuickReply's own text-only
snippet with the same sentence, into the same target.

Run: python benchmarks/image_insert.py [--runs 20]
Needs Xvfb, xdotool, xclip and trayer.
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

from benchmarks.insert_latency import start_xvfb, summary  # noqa: E402
from tests.e2e.app_process import AppProcess, start_tray_host  # noqa: E402
from tests.e2e.image_target import ImageTarget, png_pixel_hash  # noqa: E402
from tests.image_samples import make_png  # noqa: E402

LINE = "亲，这是我们的尺码表，请按身高体重选择哦～"
_BETWEEN_S = 0.4  # the clipboard is back and the app idle before the next press


def seed(app: AppProcess, png: bytes) -> None:
    """An image snippet on Ctrl+Alt+1 and the same sentence as a text-only one on Ctrl+Alt+2."""
    picture = app.home / "size-chart.png"
    picture.write_bytes(png)
    app.cli("add", "--title", "尺码表", "--body", "-", "--hotkey", "ctrl+alt+1",
            "--image", str(picture), stdin=LINE)  # fmt: skip
    app.cli("add", "--title", "尺码表文字", "--body", "-", "--hotkey", "ctrl+alt+2", stdin=LINE)


def press(display: str, target: ImageTarget, combo: str, items: int) -> float:
    """Press `combo`; return ms until the target has received `items` more items."""
    target.clear()
    target.focus()
    before = len(target.received)
    start = time.monotonic_ns()
    subprocess.run(["xdotool", "key", combo], env=dict(os.environ, DISPLAY=display), check=True)
    target.wait_for(before + items)
    return (target.stamps[before + items - 1] - start) / 1e6


def main() -> None:
    """Measure and print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    png = make_png(260, 260, seed=16, noise=True)
    server, display = start_xvfb()
    os.environ["DISPLAY"] = display
    tray = start_tray_host(display)
    home = Path(tempfile.mkdtemp(prefix="qr-image-bench-"))
    app = AppProcess(home, display)
    target: ImageTarget | None = None
    try:
        app.cli("list")
        seed(app, png)
        app.start()
        target = ImageTarget(display)
        expected_image = png_pixel_hash(png)
        image_ms, text_ms = [], []
        for _ in range(args.runs):
            image_ms.append(press(display, target, "ctrl+alt+1", 2))
            assert target.received[-2:] == [("image", expected_image), ("text", LINE)]
            time.sleep(_BETWEEN_S)
            text_ms.append(press(display, target, "ctrl+alt+2", 1))
            assert target.received[-1] == ("text", LINE)
            time.sleep(_BETWEEN_S)
        print(f"image snippet: {len(png) / 1024:.0f} KB PNG (260x260) + {len(LINE)} characters")
        print(summary("QuickReply image + text (hotkey -> both complete)", image_ms))
        print(summary("QuickReply text only, same sentence (reference)", text_ms))
        print(
            f"image part costs about {statistics.median(image_ms) - statistics.median(text_ms):.0f} ms more (median)"
        )
        print("AutoKey: not measured (it cannot paste images)")
    finally:
        if target is not None:
            target.close()
        app.stop()
        tray.kill()
        server.kill()


if __name__ == "__main__":
    main()
