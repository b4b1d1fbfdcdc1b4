"""The subscription timer abandons a stuck check (issue 13, item 15): later checks still run and
the stuck worker's late results are dropped."""

from __future__ import annotations

import threading

from quickreply.app.subscription_timer import SubscriptionTimer
from quickreply.core.library.store import LibraryStore
from quickreply.core.packs import subscriptions as subscriptions_module
from tests.hostile import tried


def test_a_stuck_check_is_abandoned_and_the_next_one_runs(qtbot, tmp_path, monkeypatch):
    tried("network")
    release = threading.Event()
    calls: list[int] = []

    def stuck_then_quick(records, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            release.wait(30)  # a check held by something no deadline covers
        return []

    monkeypatch.setattr(subscriptions_module, "fetch_updates", stuck_then_quick)
    book = subscriptions_module.SubscriptionBook(tmp_path / "subscriptions.json")
    timer = SubscriptionTimer(LibraryStore(tmp_path / "library.json"), book)  # one subscribed
    monkeypatch.setattr(timer, "abandon_after_s", lambda deadline, packs: 0.3)
    timer.check_now()
    qtbot.waitUntil(lambda: not timer._running, timeout=10_000)
    timer.check_now()
    qtbot.waitUntil(lambda: len(calls) == 2 and not timer._running, timeout=10_000)
    release.set()  # the abandoned worker ends late; its result must not disturb the schedule
    qtbot.wait(200)
    assert not timer._running and len(calls) == 2
