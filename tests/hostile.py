"""A tally of the hostile inputs the tests feed the parsers, printed at the end of a run."""

from __future__ import annotations

from collections import Counter

TRIED: Counter[str] = Counter()


def tried(area: str, count: int = 1) -> None:
    """Count `count` hostile inputs fed to `area` (library, packs, render, usage, network, cli)."""
    TRIED[area] += count
