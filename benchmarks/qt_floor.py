"""The memory floor of any PySide6 tray app: RSS of a process that only creates a QApplication, a
tray icon and a one-item menu, 5 s after it is up, on the same Xvfb and tray host as
benchmarks/startup.py (compare with its idle RSS rows).

Run: python benchmarks/qt_floor.py
Needs Xvfb, trayer and openbox.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.insert_latency import start_xvfb  # noqa: E402
from benchmarks.startup import IDLE_S, tree_rss_mb  # noqa: E402
from tests.e2e.app_process import start_tray_host  # noqa: E402
from tests.e2e.chromium_target import start_window_manager  # noqa: E402

QT_TRAY = """
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon
app = QApplication([])
pixmap = QPixmap(16, 16)
pixmap.fill()
tray = QSystemTrayIcon(QIcon(pixmap))
menu = QMenu()
menu.addAction("Quit", app.quit)
tray.setContextMenu(menu)
tray.show()
print("ready", flush=True)
app.exec()
"""


def idle_rss(command: list[str], display: str) -> float:
    """Start `command`, wait until it prints "ready" and IDLE_S more; return its RSS in MB."""
    process = subprocess.Popen(
        command, env=dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb"),
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "ready"
        time.sleep(IDLE_S)
        return tree_rss_mb(process.pid)
    finally:
        process.kill()
        process.wait()


def main() -> None:
    server, display = start_xvfb()
    window_manager = start_window_manager(display)
    tray = start_tray_host(display)
    try:
        qt = idle_rss([sys.executable, "-c", QT_TRAY], display)
    finally:
        tray.terminate()
        window_manager.kill()
        server.terminate()
    print(f"bare PySide6 tray app (QApplication, tray icon, one menu): {qt:.1f} MB RSS")


if __name__ == "__main__":
    main()
