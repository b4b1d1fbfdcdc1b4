"""`quickreply search`: the palette's matching and ranking on the command line."""

from __future__ import annotations

import json
import time

from quickreply.core.usage.event import UsageEvent
from quickreply.core.usage.log import open_usage_log
from tests.cli.test_cli import qr


def top_ids(*args: str) -> list[str]:
    out = qr("search", *args, "--json")
    assert out.returncode == 0, out.stderr
    return [row["id"] for row in json.loads(out.stdout)]


def test_pinyin_initials_and_category_filter(quickreply_home):
    assert top_ids("cf")[0] == "qr-default-zh/chase-payment-reminder"
    assert top_ids("tuikuan")[0] == "qr-default-zh/returns-refund-time"
    assert all(sid.startswith("qr-default-zh/returns") for sid in top_ids("#退换 th"))


def test_usage_log_ranks_within_a_tier(quickreply_home):
    assert top_ids("cf")[0] == "qr-default-zh/chase-payment-reminder"
    assert not (quickreply_home / "usage.sqlite3").exists()  # searching created no log
    log = open_usage_log()
    now = int(time.time() * 1000)
    for _ in range(3):
        log.record(UsageEvent(now, "qr-default-zh/chase-payment-address", "palette", 10, 5.0))
    log.close()
    assert top_ids("cf")[0] == "qr-default-zh/chase-payment-address"


def test_limit(quickreply_home):
    assert len(top_ids("c", "--limit", "3")) == 3
