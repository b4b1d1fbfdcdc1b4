"""Subscriptions against a real HTTP server on 127.0.0.1: conditional requests, updates, offline."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from quickreply.core.errors import QuickReplyError
from quickreply.core.library.store import LibraryStore
from quickreply.core.packs.defaults import open_library
from quickreply.core.packs.file import pack_bytes
from quickreply.core.packs.index import build_index
from quickreply.core.packs.manage import install_from, pack_rows, remove_pack
from quickreply.core.packs.signing import generate_keypair, load_signing_key
from quickreply.core.packs.sources import Validators, fetch
from quickreply.core.packs.subscriptions import (
    Subscription,
    SubscriptionBook,
    check_subscriptions,
    is_due,
    seconds_until_next_check,
)
from tests.unit.pack_samples import make_pack, write_pack


class PackServer:
    """Serves in-memory files with ETag and Last-Modified, answering 304 when unchanged."""

    def __init__(self, use_etag: bool = True) -> None:
        self.files: dict[str, bytes] = {}
        self.stamps: dict[str, float] = {}
        self.log: list[tuple[str, int]] = []
        self.use_etag = use_etag
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server hook name
                data = server.files.get(self.path)
                if data is None:
                    server.log.append((self.path, 404))
                    self.send_error(404)
                    return
                etag = '"' + hashlib.sha256(data).hexdigest()[:16] + '"'
                modified = formatdate(server.stamps[self.path], usegmt=True)
                fresh = (
                    self.headers.get("If-None-Match") == etag
                    if server.use_etag and self.headers.get("If-None-Match")
                    else self.headers.get("If-Modified-Since") == modified
                )
                status = 304 if fresh else 200
                server.log.append((self.path, status))
                self.send_response(status)
                if server.use_etag:
                    self.send_header("ETag", etag)
                self.send_header("Last-Modified", modified)
                self.send_header("Content-Length", "0" if fresh else str(len(data)))
                self.end_headers()
                if not fresh:
                    self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                """Quiet: the test reads `log` instead."""

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def put(self, path: str, data: bytes) -> None:
        self.files[path] = data
        self.stamps[path] = self.stamps.get(path, 1_767_225_600) + 60

    def downloads(self, path: str) -> int:
        return sum(1 for p, status in self.log if p == path and status == 200)

    def stop(self) -> None:
        if self.thread.is_alive():
            self.httpd.shutdown()
            self.httpd.server_close()
            self.thread.join()


@pytest.fixture
def server() -> Iterator[PackServer]:
    running = PackServer()
    yield running
    running.stop()


def test_subscribe_then_nothing_is_downloaded_while_unchanged(server):
    server.put("/team.qrpack", pack_bytes(make_pack()))
    store = open_library()
    report = install_from(store, server.url("/team.qrpack"))
    assert report.status == "installed"
    assert SubscriptionBook().get("team").etag
    reports = check_subscriptions(store)
    assert [r.status for r in reports] == ["unchanged"]
    assert server.downloads("/team.qrpack") == 1
    assert server.log[-1] == ("/team.qrpack", 304)


def test_last_modified_alone_also_avoids_downloads():
    server = PackServer(use_etag=False)
    try:
        server.put("/team.qrpack", pack_bytes(make_pack()))
        store = open_library()
        install_from(store, server.url("/team.qrpack"))
        assert SubscriptionBook().get("team").etag is None
        check_subscriptions(store)
        assert server.log[-1] == ("/team.qrpack", 304)
    finally:
        server.stop()


def test_newer_version_is_applied_and_the_notification_says_what_changed(server):
    server.put("/team.qrpack", pack_bytes(make_pack(version="1.0.0", count=4)))
    store = open_library()
    install_from(store, server.url("/team.qrpack"))
    store.update(store.get("team/s0").edited(abbrev="mine"))
    server.put(
        "/team.qrpack", pack_bytes(make_pack(version="1.1.0", count=6, skip=(3,), changed=(1,)))
    )
    [report] = check_subscriptions(store)
    assert report.status == "updated"
    assert report.notification() == "Pack team updated 1.0.0 → 1.1.0: 2 added, 1 changed, 1 removed"
    assert [s.id for s in report.diff.added] == ["team/s4", "team/s5"]
    assert store.get("team/s0").abbrev == "mine"
    assert store.find("team/s3") is None


def test_offline_keeps_the_installed_version_and_records_when_it_was_checked(server):
    server.put("/team.qrpack", pack_bytes(make_pack()))
    store = open_library()
    install_from(store, server.url("/team.qrpack"))
    before = store.path.read_bytes()
    ok_at = SubscriptionBook().get("team").last_success
    server.stop()
    [report] = check_subscriptions(store)
    assert report.status == "offline"
    assert "unreachable" in report.message
    assert store.path.read_bytes() == before
    [row] = [r for r in pack_rows(store) if r["id"] == "team"]
    assert row["last_success"] == ok_at and row["last_checked"] >= ok_at
    assert "unreachable" in row["last_error"]


def test_broken_or_tampered_update_is_refused_and_the_old_version_stays(server, tmp_path):
    generate_keypair(tmp_path / "lead.key")
    key = load_signing_key(tmp_path / "lead.key")
    server.put("/team.qrpack", pack_bytes(make_pack(), key=key))
    store = open_library()
    install_from(store, server.url("/team.qrpack"))
    good = pack_bytes(make_pack(version="2.0.0"), key=key)
    server.put("/team.qrpack", good[: len(good) - 40])
    [report] = check_subscriptions(store)
    assert report.status == "failed" and "damaged or cut short" in report.message
    generate_keypair(tmp_path / "other.key")
    server.put(
        "/team.qrpack",
        pack_bytes(make_pack(version="2.0.0"), key=load_signing_key(tmp_path / "other.key")),
    )
    [report] = check_subscriptions(store)
    assert report.status == "failed" and "installed version was signed with key" in report.message
    assert store.get("team/s0").pack_version == "1.0.0"
    assert SubscriptionBook().get("team").last_error == report.message


def test_same_version_with_new_content_is_not_applied(server):
    server.put("/team.qrpack", pack_bytes(make_pack()))
    store = open_library()
    install_from(store, server.url("/team.qrpack"))
    server.put("/team.qrpack", pack_bytes(make_pack(changed=(0,))))
    [report] = check_subscriptions(store)
    assert report.status == "unchanged"
    assert "must raise the version" in report.warnings[0]
    assert "新版" not in store.get("team/s0").body


def test_index_subscription_downloads_the_pack_only_when_the_index_says_so(server, tmp_path):
    folder = tmp_path / "site"
    folder.mkdir()
    write_pack(folder / "team.qrpack")
    write_pack(folder / "other.qrpack", "other")
    build_index(folder, "李组长")
    for name in ("index.json", "team.qrpack", "other.qrpack"):
        server.put(f"/packs/{name}", (folder / name).read_bytes())
    store = open_library()
    with pytest.raises(QuickReplyError, match="choose one with --pack ID"):
        install_from(store, server.url("/packs/"))
    assert install_from(store, server.url("/packs/"), pack_id="team").status == "installed"
    check_subscriptions(store)
    assert server.downloads("/packs/team.qrpack") == 1
    write_pack(folder / "team.qrpack", version="1.0.1", changed=(2,))
    build_index(folder)
    server.put("/packs/index.json", (folder / "index.json").read_bytes())
    server.put("/packs/team.qrpack", b"not what the index promised")
    [report] = check_subscriptions(store)
    assert report.status == "failed"
    server.put("/packs/team.qrpack", (folder / "team.qrpack").read_bytes())
    [report] = check_subscriptions(store)
    assert report.status == "updated" and report.new_version == "1.0.1"


def test_shared_drive_file_is_compared_by_size_and_time_without_reading(tmp_path):
    (tmp_path / "share").mkdir()
    path = write_pack(tmp_path / "share" / "team.qrpack")
    first = fetch(str(path), None, max_bytes=1 << 20)
    again = fetch(str(path), first.validators, max_bytes=1 << 20)
    assert first.changed and not again.changed and again.data == b""
    store = open_library()
    install_from(store, str(path), subscribe=True)
    assert [r.status for r in check_subscriptions(store)] == ["unchanged"]
    write_pack(path, version="1.1.0", count=4)
    assert [r.status for r in check_subscriptions(store)] == ["updated"]
    assert fetch(str(path), Validators("stale"), max_bytes=1 << 20).changed


def test_check_runs_on_a_worker_thread_with_its_own_store(server):
    server.put("/team.qrpack", pack_bytes(make_pack()))
    app_store = open_library()
    install_from(app_store, server.url("/team.qrpack"))
    server.put("/team.qrpack", pack_bytes(make_pack(version="1.1.0", count=5)))
    reports = []
    worker = threading.Thread(
        target=lambda: reports.extend(check_subscriptions(LibraryStore(app_store.path)))
    )
    worker.start()
    worker.join(timeout=30)
    assert [r.status for r in reports] == ["updated"]
    assert app_store.refresh()
    assert app_store.find("team/s4") is not None


def test_scheduling_decisions():
    now = datetime(2026, 1, 1, 12, 0, tzinfo=timezone.utc)
    never = Subscription("a", "x")
    recent = Subscription("b", "x", last_checked=(now - timedelta(minutes=10)).isoformat())
    old = Subscription("c", "x", last_checked=(now - timedelta(minutes=30)).isoformat())
    assert is_due(never, now, 30) and is_due(old, now, 30) and not is_due(recent, now, 30)
    assert seconds_until_next_check([recent], now, 30) == 20 * 60
    assert seconds_until_next_check([recent, never], now, 30) == 0
    assert seconds_until_next_check([], now, 30) is None


def test_only_due_skips_recently_checked_subscriptions(server):
    server.put("/team.qrpack", pack_bytes(make_pack()))
    store = open_library()
    install_from(store, server.url("/team.qrpack"))
    assert check_subscriptions(store, only_due=True) == []
    later = datetime.now(timezone.utc) + timedelta(minutes=31)
    assert [r.status for r in check_subscriptions(store, only_due=True, now=later)] == ["unchanged"]


def test_removed_pack_forgets_its_subscription(server):
    server.put("/team.qrpack", pack_bytes(make_pack()))
    store = open_library()
    install_from(store, server.url("/team.qrpack"))
    remove_pack(store, "team")
    assert SubscriptionBook().all() == {}
    assert check_subscriptions(store) == []


def test_a_subscribed_agent_gets_the_leads_image_snippet_and_its_changed_image(server):
    from tests.unit.packs.test_pack_images import image_pack

    first, (old,) = image_pack(1)
    server.put("/team.qrpack", first)
    store = open_library()
    store.assets.grace_s = 0
    assert install_from(store, server.url("/team.qrpack")).status == "installed"
    assert store.get("team/s0").images == (old,)
    assert store.assets.read(old) == store.assets.path_for(old).read_bytes()
    second, (new,) = image_pack(2, version="1.1.0")
    server.put("/team.qrpack", second)
    [report] = check_subscriptions(store)
    assert report.status == "updated"
    assert store.get("team/s0").images == (new,)
    assert store.assets.exists(new) and not store.assets.exists(old)  # the old one collected
