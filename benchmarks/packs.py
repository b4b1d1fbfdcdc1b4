"""Pack figures with a 10,000-snippet signed pack: install, update with 1% changed, verify, and an
up-to-date subscription check against a local HTTP server (ETag, nothing downloaded).

Run: python benchmarks/packs.py
"""

from __future__ import annotations

import hashlib
import os
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from quickreply.core.packs.defaults import open_library
from quickreply.core.packs.file import pack_bytes, read_pack_file
from quickreply.core.packs.format import Pack, parse_pack
from quickreply.core.packs.manage import install_from
from quickreply.core.packs.signing import generate_keypair, load_signing_key
from quickreply.core.packs.subscriptions import check_subscriptions

COUNT = 10_000
CHANGED = COUNT // 100


def pack_data(version: str, changed: int = 0) -> dict[str, Any]:
    return {
        "id": "bench",
        "name": "话术基准包",
        "version": version,
        "created": "2026-01-01T00:00:00+00:00",
        "categories": [{"id": f"c{i}", "name": f"分类{i}"} for i in range(20)],
        "snippets": [
            {
                "id": f"s{i:05d}",
                "category": f"c{i % 20}",
                "title": f"话术 {i} 退款说明",
                "body": "{{customer}}，您好！关于您的订单{{order}}，我们已经为您处理，预计"
                "{{refund_days}}天内到账。" + ("（已更新）" if i < changed else ""),
                "tags": ["退款", "售后"],
            }
            for i in range(COUNT)
        ],
    }


def timed(action: Callable[[], object], runs: int) -> float:
    """Return the median seconds of `runs` calls."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


class FileServer:
    """Serves one file with an ETag on 127.0.0.1; counts full downloads."""

    def __init__(self) -> None:
        self.data = b""
        self.downloads = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server hook name
                etag = '"' + hashlib.sha256(outer.data).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                outer.downloads += 1
                self.send_response(200)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(outer.data)))
                self.end_headers()
                self.wfile.write(outer.data)

            def log_message(self, *args: object) -> None:
                """Quiet."""

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/bench.qrpack"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["QUICKREPLY_HOME"] = tmp
        generate_keypair(Path(tmp) / "lead.key")
        key = load_signing_key(Path(tmp) / "lead.key")
        v1: Pack = parse_pack(pack_data("1.0.0"))
        v1_bytes = pack_bytes(v1, key=key)
        v2_bytes = pack_bytes(parse_pack(pack_data("1.1.0", CHANGED)), key=key)
        public = [read_pack_file(v1_bytes).signature.key]  # type: ignore[union-attr]
        verify = timed(lambda: read_pack_file(v1_bytes, trusted=public), 5)

        server = FileServer()
        installs, updates = [], []
        for run in range(3):
            home = Path(tmp) / f"run{run}"
            home.mkdir()
            os.environ["QUICKREPLY_HOME"] = str(home)
            store = open_library()  # default packs included, as on an agent's machine
            server.data = v1_bytes
            start = time.perf_counter()
            install_from(store, server.url, trusted=public)
            installs.append(time.perf_counter() - start)
            server.data = v2_bytes
            start = time.perf_counter()
            [report] = check_subscriptions(store, trusted=public)
            updates.append(time.perf_counter() - start)
            assert report.status == "updated" and len(report.diff.changed) == CHANGED  # type: ignore[union-attr]
        before = server.downloads
        up_to_date = timed(lambda: check_subscriptions(store, trusted=public), 20)
        assert server.downloads == before, "an up-to-date check downloaded the pack"
        server.httpd.shutdown()
        size = len(v1_bytes)
    print(f"pack: {COUNT} snippets, {size / 1024:.0f} KiB .qrpack (signed)")
    print(
        f"install from URL (download, verify, validate, write library), median of 3: "
        f"{statistics.median(installs) * 1000:.0f} ms"
    )
    print(
        f"update with {CHANGED} snippets changed (1%), median of 3: "
        f"{statistics.median(updates) * 1000:.0f} ms"
    )
    print(f"verify (signature + limits + validation), median of 5: {verify * 1000:.0f} ms")
    print(
        f"up-to-date check, nothing downloaded (HTTP 304), median of 20: {up_to_date * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
