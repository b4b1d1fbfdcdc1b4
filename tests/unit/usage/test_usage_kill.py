"""A writer killed mid-stream (SIGKILL: no atexit, no flush) leaves an intact, consistent log."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from quickreply.core.usage.log import FILE_NAME, open_usage_log

FLUSHED_BEFORE_KILL = 400

WRITER = """
import sys, time
from quickreply.core.usage.event import UsageEvent
from quickreply.core.usage.log import open_usage_log
log = open_usage_log()
i = 0
while True:  # until killed
    log.record(UsageEvent(ts_ms=1_740_000_000_000 + i * 1000, snippet_id=f"s-{i % 7}",
                          trigger="palette", chars=12, inject_ms=50.0, keys_typed=i))
    i += 1
    if i % 20 == 0:
        log.flush()
        print(i, flush=True)
    time.sleep(0.0005)
"""


def test_killed_writer_leaves_every_flushed_event_and_consistent_rollups(quickreply_home: Path):
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER], stdout=subprocess.PIPE, text=True, bufsize=1
    )
    assert writer.stdout is not None
    flushed = 0
    try:
        for line in writer.stdout:
            flushed = int(line)
            if flushed >= FLUSHED_BEFORE_KILL:
                break
    finally:
        writer.kill()  # SIGKILL on POSIX: mid-stream, queued events and all
        writer.wait(timeout=30)
    assert flushed >= FLUSHED_BEFORE_KILL

    raw = sqlite3.connect(quickreply_home / FILE_NAME)
    assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    raw.close()

    log = open_usage_log()
    events = list(log.events())
    # every event the writer saw flushed is there, in order, with nothing torn or duplicated
    assert len(events) >= flushed
    assert [e.keys_typed for e in events] == list(range(len(events)))
    assert all(e.snippet_id == f"s-{e.keys_typed % 7}" and e.chars == 12 for e in events)
    # the roll-ups were committed in the same transactions as the events
    assert sum(uses for uses, _ in log.snippet_stats().values()) == len(events)
    assert log.snippet_stats()["s-0"][0] == len([e for e in events if e.snippet_id == "s-0"])
    log.close()
