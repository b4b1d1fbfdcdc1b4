"""Agents for the team tests: each a data dir of its own with a real library and usage log."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from quickreply.core.library.settings import load_settings, save_settings
from quickreply.core.library.store import LibraryStore
from quickreply.core.packs.defaults import open_library
from quickreply.core.team.drop import TeamDrop
from quickreply.core.team.publish import PublishResult, publish
from quickreply.core.usage.event import UsageEvent
from quickreply.core.usage.identity import installation_id
from quickreply.core.usage.log import UsageLog, open_usage_log


@dataclass
class Agent:
    """One installation: its data dir, library and usage log."""

    name: str
    home: Path
    store: LibraryStore
    log: UsageLog
    monkeypatch: pytest.MonkeyPatch

    @property
    def agent_id(self) -> str:
        return installation_id(self.store)

    @property
    def label(self) -> str:
        return f"{self.name} ({self.agent_id[:8]})"

    def use(self, count: int, title: str | None = None) -> None:
        """Record `count` insertions of the library's first snippets, as the controller does."""
        snippets = self.store.snippets()
        for n in range(count):
            self.log.record(
                UsageEvent(
                    ts_ms=int(time.time() * 1000),
                    snippet_id=snippets[n % len(snippets)].id,
                    trigger="hotkey",
                    chars=12,
                    inject_ms=25.0,
                    pick_ms=None,
                    target_app="wangwang",
                    target_title=title,
                    cjk_chars=12,
                    latin_chars=0,
                )
            )
        self.log.flush()

    def reply(self, compose_ms: int) -> None:
        """Record one reply-speed sample."""
        self.log.record_reply(0, compose_ms, True, "wangwang")
        self.log.flush()

    def publish(self, drop: TeamDrop) -> PublishResult:
        """Publish this agent's outbox to `drop` (the data dir is this agent's)."""
        self.monkeypatch.setenv("QUICKREPLY_HOME", str(self.home))
        return publish(self.store, self.log, drop, self.home / "team_outbox.json")


def make_agent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> Agent:
    """Create an agent named `name` with a fresh data dir under `tmp_path`."""
    home = tmp_path / f"home-{len(list(tmp_path.glob('home-*')))}"
    home.mkdir()
    monkeypatch.setenv("QUICKREPLY_HOME", str(home))
    store = open_library()
    save_settings(store, replace(load_settings(store), agent_name=name))
    return Agent(name, home, store, open_usage_log(home), monkeypatch)
