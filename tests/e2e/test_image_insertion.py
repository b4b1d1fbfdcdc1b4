"""Image snippets end to end: the real app, a rich target window in another process that reports
the pixels and text it received, xdotool hotkeys, and the agent's clipboard checked with xclip."""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from tests.e2e.app_process import AppProcess
from tests.e2e.conftest import xdotool
from tests.e2e.image_target import ImageTarget, png_pixel_hash
from tests.image_samples import make_png

pytestmark = pytest.mark.e2e

SIZE_CHART = make_png(120, 80, seed=7)
QR_CODE = make_png(64, 64, seed=8)


@pytest.fixture
def image_target(xvfb_display: str) -> Iterator[ImageTarget]:
    """A focused rich target window in another process."""
    target = ImageTarget(xvfb_display)
    target.focus()
    yield target
    target.close()


def add_image_snippet(
    app: AppProcess, title: str, body: str, hotkey: str, pngs: list[bytes], order: str
) -> str:
    """Add a snippet with `pngs` as its images, through `quickreply add --image`."""
    folder = app.home / "picked"
    folder.mkdir(exist_ok=True)
    images: list[str] = []
    for png in pngs:
        path = folder / f"{hashlib.sha256(png).hexdigest()[:12]}.png"
        path.write_bytes(png)
        images += ["--image", str(path)]
    out = app.cli(
        "add", "--title", title, "--body", "-", "--hotkey", hotkey, "--image-order", order,
        *images, stdin=body,
    )  # fmt: skip
    return out.strip()


def own_clipboard(kind: str, data: bytes) -> subprocess.Popen[bytes]:
    """Own the X clipboard with `data` as `kind` (xclip serves it until another owner comes)."""
    proc = subprocess.Popen(
        ["xclip", "-selection", "clipboard", "-t", kind, "-i", "-quiet"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    assert proc.stdin is not None
    proc.stdin.write(data)
    proc.stdin.close()
    deadline = time.monotonic() + 5
    while clipboard_bytes(kind) != data:
        assert time.monotonic() < deadline, "xclip did not take the clipboard"
        time.sleep(0.02)
    return proc


def clipboard_bytes(kind: str) -> bytes:
    """The X clipboard's content as `kind` (b'' when it has none)."""
    out = subprocess.run(
        ["xclip", "-selection", "clipboard", "-o", "-t", kind], capture_output=True, timeout=5
    )
    return out.stdout if out.returncode == 0 else b""


def wait_for_clipboard(kind: str, data: bytes, timeout: float = 3) -> bytes:
    """Wait until the clipboard holds `data` as `kind` again; return what it holds at the end."""
    deadline = time.monotonic() + timeout
    current = clipboard_bytes(kind)
    while current != data and time.monotonic() < deadline:
        time.sleep(0.05)
        current = clipboard_bytes(kind)
    return current


def press_and_check(
    app: AppProcess, target: ImageTarget, before: tuple[str, bytes], order: str
) -> None:
    """One image snippet's hotkey: the exact picture and sentence arrive in `order`, and the
    agent's clipboard (`before`: kind, bytes) comes back byte for byte."""
    body = "亲，尺码表请看图～ size chart"
    add_image_snippet(app, "尺码表", body, "ctrl+alt+1", [SIZE_CHART, QR_CODE], order)
    app.start()
    keeper = own_clipboard(*before)
    try:
        target.focus()
        xdotool("key", "ctrl+alt+1")
        images = [("image", png_pixel_hash(SIZE_CHART)), ("image", png_pixel_hash(QR_CODE))]
        text = [("text", body)]
        expected = images + text if order == "images_first" else text + images
        assert target.wait_for(3) == expected
        assert wait_for_clipboard(*before) == before[1]
        time.sleep(0.3)  # nothing more arrives (a second paste would)
        assert target.received == expected
    finally:
        keeper.kill()
    assert app.log_lines("images=2")


def test_images_then_text_arrive_and_the_agents_image_clipboard_is_restored(app, image_target):
    press_and_check(app, image_target, ("image/png", make_png(30, 30, seed=3)), "images_first")


def test_text_then_images_arrive_and_the_agents_text_clipboard_is_restored(app, image_target):
    before = ("UTF8_STRING", "agent's own 剪贴板".encode())
    press_and_check(app, image_target, before, "text_first")


def test_image_snippet_restores_the_agents_html_clipboard(app, image_target):
    before = ("text/html", "<b>订单</b> 123 <i>rich</i>".encode())
    press_and_check(app, image_target, before, "images_first")


def test_five_presses_200ms_apart_deliver_five_images_and_five_texts_in_order(app, image_target):
    pngs = [make_png(24 + n, 24, seed=20 + n) for n in range(5)]
    for n, png in enumerate(pngs):
        add_image_snippet(app, f"图{n}", f"第{n}条", f"ctrl+alt+{n}", [png], "images_first")
    app.start()
    keeper = own_clipboard("UTF8_STRING", b"before the burst")
    try:
        image_target.focus()
        for n in range(5):
            xdotool("key", f"ctrl+alt+{n}")
            time.sleep(0.2)
        expected = []
        for n, png in enumerate(pngs):
            expected += [("image", png_pixel_hash(png)), ("text", f"第{n}条")]
        try:
            assert image_target.wait_for(10, timeout=15) == expected
        finally:
            print("target text:", repr(image_target.text()))
        assert wait_for_clipboard("UTF8_STRING", b"before the burst") == b"before the burst"
    finally:
        keeper.kill()
    app.stop()  # the usage writer flushes
    with contextlib.closing(sqlite3.connect(app.home / "usage.sqlite3")) as db:
        counts = [row[0] for row in db.execute("SELECT images FROM events ORDER BY ts_ms")]
    assert counts == [1, 1, 1, 1, 1]  # the count only: the usage log never holds a picture


def test_combined_mode_pastes_html_with_the_images_and_the_text_at_once(app, image_target):
    body = "退货地址见图 return address"
    add_image_snippet(app, "退货地址", body, "ctrl+alt+1", [SIZE_CHART, QR_CODE], "images_first")
    app.cli("settings", "set", "image_paste_mode", "combined")
    app.start()
    keeper = own_clipboard("UTF8_STRING", b"agent's text")
    try:
        image_target.focus()
        xdotool("key", "ctrl+alt+1")
        expected = [("image", png_pixel_hash(SIZE_CHART)), ("html", "2"), ("text", body)]
        assert image_target.wait_for(3) == expected  # one item: first image, HTML, text
        assert wait_for_clipboard("UTF8_STRING", b"agent's text") == b"agent's text"
    finally:
        keeper.kill()
    assert app.log_lines("images=2")


_OWNER = """
import sys
from PySide6.QtCore import QByteArray, QMimeData, QSocketNotifier
from PySide6.QtGui import QGuiApplication
app = QGuiApplication(sys.argv[:1])
data = QMimeData()
for fmt, path in zip(sys.argv[1::2], sys.argv[2::2]):
    data.setData(fmt, QByteArray(open(path, "rb").read()))
app.clipboard().setMimeData(data)
notifier = QSocketNotifier(0, QSocketNotifier.Type.Read)
notifier.activated.connect(app.quit)
print("ready", flush=True)
app.exec()
"""


def test_image_snippet_restores_a_clipboard_of_several_formats(app, image_target, tmp_path):
    formats = {
        "image/png": make_png(16, 16, seed=9),
        "text/html": "<p>订单 <b>123</b></p>".encode(),
        "text/plain": "订单 123".encode(),
    }
    arguments = []
    for number, (fmt, data) in enumerate(formats.items()):
        (tmp_path / f"f{number}").write_bytes(data)
        arguments += [fmt, str(tmp_path / f"f{number}")]
    add_image_snippet(app, "尺码表", "看图", "ctrl+alt+1", [SIZE_CHART], "images_first")
    app.start()
    owner = subprocess.Popen(
        [sys.executable, "-c", _OWNER, *arguments],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=dict(os.environ, QT_QPA_PLATFORM="xcb"),
    )
    try:
        assert owner.stdout is not None and owner.stdout.readline().strip() == b"ready"
        assert wait_for_clipboard("text/html", formats["text/html"]) == formats["text/html"]
        image_target.focus()
        xdotool("key", "ctrl+alt+1")
        assert image_target.wait_for(2) == [
            ("image", png_pixel_hash(SIZE_CHART)),
            ("text", "看图"),
        ]
        for fmt, data in formats.items():
            assert wait_for_clipboard(fmt, data) == data, fmt
    finally:
        owner.kill()
        owner.wait()
