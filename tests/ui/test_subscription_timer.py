"""The app's subscription timer against a real local HTTP server: fetch off-thread, apply on Qt's."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

from quickreply.app.subscription_timer import SubscriptionTimer
from quickreply.core.packs.defaults import open_library
from quickreply.core.packs.file import pack_bytes
from quickreply.core.packs.manage import install_from
from tests.unit.pack_samples import make_pack
from tests.unit.packs.test_subscriptions import server  # noqa: F401 - the fixture


def test_newer_version_is_applied_and_reported(qtbot, server):  # noqa: F811
    server.put("/team.qrpack", pack_bytes(make_pack(count=3)))
    store = open_library()
    assert install_from(store, server.url("/team.qrpack")).status == "installed"
    server.put("/team.qrpack", pack_bytes(make_pack(version="1.1.0", count=4)))
    timer = SubscriptionTimer(store)
    timer.book.save(replace(timer.book.get("team"), last_checked=None))  # due now
    with qtbot.waitSignal(timer.updated, timeout=10_000) as done:
        timer.check_now()
    [report] = done.args[0]
    assert report.status == "updated" and report.new_version == "1.1.0"
    assert "1 added" in report.notification()
    assert store.find("team/s3") is not None


def test_unreachable_source_keeps_the_installed_version(qtbot, server):  # noqa: F811
    server.put("/team.qrpack", pack_bytes(make_pack(count=3)))
    store = open_library()
    install_from(store, server.url("/team.qrpack"))
    server.stop()
    timer = SubscriptionTimer(store)
    timer.book.save(replace(timer.book.get("team"), last_checked=None))  # due now
    with qtbot.waitSignal(timer.updated, timeout=20_000) as done:
        timer.check_now()
    assert [r.status for r in done.args[0]] == ["offline"]
    assert store.find("team/s2") is not None
    assert timer.last_checked()["team"] is not None


def test_with_nothing_subscribed_a_check_asks_nothing_and_loads_no_pack_code(qtbot):
    store = open_library()
    timer = SubscriptionTimer(store)
    with qtbot.waitSignal(timer.check_finished, timeout=1000):
        timer.check_now()
    assert timer.reports == []
    # the pack code (zip, HTTP, signing) stays out of an idle tray app: checked in a fresh process
    script = (
        "import sys\n"
        "from PySide6.QtCore import QCoreApplication\n"
        "app = QCoreApplication([])\n"
        "from quickreply.app.subscription_timer import SubscriptionTimer\n"
        "from quickreply.core.library.store import LibraryStore\n"
        "from quickreply.core.library import paths\n"
        "SubscriptionTimer(LibraryStore(paths.library_path())).check_now()\n"
        "print(sorted(m for m in sys.modules if m.startswith(('nacl', 'http.client', 'quickreply.core.packs.s'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
