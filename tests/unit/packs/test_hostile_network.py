"""Slow and malformed servers (issue 13, items 15-16): every download ends by its deadline, every
malformed answer is a clear SourceError, and one bad source never stops another's update."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from quickreply.core.errors import ValidationError
from quickreply.core.library.store import LibraryStore
from quickreply.core.packs.file import pack_bytes
from quickreply.core.packs.manage import install_from
from quickreply.core.packs.sources import SourceError, fetch
from quickreply.core.packs.subscriptions import SubscriptionBook, check_subscriptions
from tests.hostile import tried
from tests.unit.pack_samples import make_pack
from tests.unit.packs.hostile_server import ANSWERS, HostileServer

SLACK_S = 15  # generous: the point is "ends", not "fast"


@pytest.fixture
def hostile() -> Iterator[HostileServer]:
    server = HostileServer()
    yield server
    server.stop()


@pytest.mark.parametrize("path", ["/drip-headers", "/drip-body"])
def test_a_dripping_server_is_cut_off_at_the_total_deadline(hostile, path):
    tried("network")
    started = time.monotonic()
    with pytest.raises(SourceError, match="did not finish within 2 s"):
        fetch(hostile.url(path), max_bytes=1 << 20, timeout=20, deadline=2)
    assert time.monotonic() - started < 2 + SLACK_S


@pytest.mark.parametrize("path", sorted(ANSWERS))
def test_malformed_answers_are_clear_source_errors(hostile, path):
    tried("network")
    with pytest.raises(SourceError) as info:
        fetch(hostile.url(path), max_bytes=1 << 20, deadline=10)
    message = str(info.value)
    assert hostile.url(path) in message and len(message) < 400
    assert "\x00" not in message


def test_a_body_over_the_cap_is_refused(hostile):
    tried("network")
    hostile.put("/big", b"x" * 5000)
    with pytest.raises(ValidationError, match="larger than"):
        fetch(hostile.url("/big"), max_bytes=4096, deadline=10)


def test_one_broken_source_does_not_stop_another_packs_update(hostile, tmp_path):
    tried("network")
    store = LibraryStore(tmp_path / "library.json")
    book = SubscriptionBook(tmp_path / "subscriptions.json")
    hostile.put("/good.qrpack", pack_bytes(make_pack("good")))
    hostile.put("/bad.qrpack", pack_bytes(make_pack("bad")))
    install_from(store, hostile.url("/good.qrpack"), book=book, trusted=[])
    install_from(store, hostile.url("/bad.qrpack"), book=book, trusted=[])
    hostile.put("/good.qrpack", pack_bytes(make_pack("good", version="2.0.0", count=4)))
    del hostile.files["/bad.qrpack"]
    ANSWERS["/bad.qrpack"] = ANSWERS["/garbage"]
    try:
        reports = {r.pack_id: r for r in check_subscriptions(store, book=book, trusted=[])}
    finally:
        del ANSWERS["/bad.qrpack"]
    assert reports["good"].status == "updated" and reports["good"].new_version == "2.0.0"
    assert reports["bad"].status == "failed" and "malformed HTTP answer" in reports["bad"].message
    assert "malformed" in (book.get("bad").last_error or "")
