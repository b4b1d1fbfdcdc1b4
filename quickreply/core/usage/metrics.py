"""The figures of the statistics window and `quickreply stats`, as pure functions.

docs/metrics.md states every formula in words; this module is the one implementation of them.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from quickreply.core.library.settings import Settings
from quickreply.core.usage.event import ReplySample, UsageEvent

MS_PER_MINUTE = 60_000
LATIN_CHARS_PER_WORD = 5  # the typing-test convention: one "word" is five characters
# Reply-time targets, the one place they are set: the common shop rule (15 s), JD's first reply
# within 30 s (the statistics headline), and Taobao/Pinduoduo/Douyin's 3 minutes.
JD_FIRST_REPLY_MS = 30_000
REPLY_TARGETS_MS = (15_000, JD_FIRST_REPLY_MS, 180_000)


def is_wide(char: str) -> bool:
    """Return whether `char` is typed through an input method (East Asian Width W or F)."""
    return unicodedata.east_asian_width(char) in ("W", "F")


def char_classes(text: str) -> tuple[int, int]:
    """Return (cjk_chars, latin_chars) of `text`: wide characters, and other non-space ones.

    Whitespace (spaces, tabs, newlines) is in neither count: it costs no typing time.
    """
    cjk = latin = 0
    for char in text:
        if char.isspace():
            continue
        if is_wide(char):
            cjk += 1
        else:
            latin += 1
    return cjk, latin


@dataclass(frozen=True)
class Tally:
    """Sums over a group of events; every metric of a group is computed from these alone."""

    uses: int = 0
    chars: int = 0
    cjk_chars: int = 0
    latin_chars: int = 0
    spent_ms: float = 0.0  # sum of pick + inject time

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.uses + other.uses,
            self.chars + other.chars,
            self.cjk_chars + other.cjk_chars,
            self.latin_chars + other.latin_chars,
            self.spent_ms + other.spent_ms,
        )

    def typing_ms(self, settings: Settings) -> float:
        """Return how long typing these characters by hand would take at the agent's speed."""
        return typing_ms(self.cjk_chars, self.latin_chars, settings)

    def saved_ms(self, settings: Settings) -> float:
        """Return the time saved: typing time minus the time actually spent (may be negative)."""
        return self.typing_ms(settings) - self.spent_ms


def typing_ms(cjk_chars: int, latin_chars: int, settings: Settings) -> float:
    """Return the ms to type `cjk_chars` at cjk cpm plus `latin_chars` at wpm x 5 chars/min."""
    cjk_per_min = max(1, settings.typing_speed_cjk_cpm)  # a zero speed would divide by zero
    latin_per_min = max(1, settings.typing_speed_latin_wpm) * LATIN_CHARS_PER_WORD
    return MS_PER_MINUTE * (cjk_chars / cjk_per_min + latin_chars / latin_per_min)


def event_classes(event: UsageEvent) -> tuple[int, int]:
    """Return the event's (cjk_chars, latin_chars); unclassified events count as all Latin."""
    if event.cjk_chars is None and event.latin_chars is None:
        return 0, event.chars  # the conservative choice: Latin is the faster rate, less saved
    return event.cjk_chars or 0, event.latin_chars or 0


def spent_ms(event: UsageEvent) -> float:
    """Return the time the agent actually spent: pick time (palette only) plus inject time."""
    return (event.pick_ms or 0.0) + event.inject_ms


def event_tally(event: UsageEvent) -> Tally:
    """Return the Tally of one event."""
    cjk, latin = event_classes(event)
    return Tally(1, event.chars, cjk, latin, spent_ms(event))


def time_saved_ms(event: UsageEvent, settings: Settings) -> float:
    """Return typing time of the inserted text minus pick time minus inject time, in ms."""
    return event_tally(event).saved_ms(settings)


def percentile(values: Sequence[float], q: float) -> float | None:
    """Return the q-quantile (0..1) with linear interpolation between ranks; None when empty.

    Sorted values x[0..n-1]: position p = q * (n - 1); result x[floor p] + (p - floor p) *
    (x[ceil p] - x[floor p]). q = 0.5 is the ordinary median.
    """
    return _interpolate(sorted(values), q) if values else None


def _interpolate(ordered: Sequence[float], q: float) -> float:
    position = q * (len(ordered) - 1)
    low = math.floor(position)
    high = math.ceil(position)
    return ordered[low] + (position - low) * (ordered[high] - ordered[low])


@dataclass(frozen=True)
class SpeedSummary:
    """Median and 90th percentile of one timing, and how many values they come from."""

    count: int
    median: float | None
    p90: float | None


def speed_summary(values: Sequence[float]) -> SpeedSummary:
    """Return the median and 90th percentile of `values` (ms)."""
    if not values:
        return SpeedSummary(0, None, None)
    ordered = sorted(values)  # once: a year of events is a million values
    return SpeedSummary(len(ordered), _interpolate(ordered, 0.5), _interpolate(ordered, 0.9))


@dataclass(frozen=True)
class ReplySummary:
    """Reply speed over a period: compose-time medians and shares within each target."""

    count: int
    with_snippet: int
    median_with_ms: float | None
    median_without_ms: float | None
    within: dict[int, float]  # target ms -> share (0..1) composed within it; {} when no replies


def reply_summary(
    samples: Iterable[ReplySample], targets: Sequence[int] = REPLY_TARGETS_MS
) -> ReplySummary:
    """Return the reply-speed figures; a reply counts as within a target when compose <= target."""
    items = list(samples)
    used = [s.compose_ms for s in items if s.used_snippet]
    unused = [s.compose_ms for s in items if not s.used_snippet]
    within = (
        {target: sum(s.compose_ms <= target for s in items) / len(items) for target in targets}
        if items
        else {}
    )
    return ReplySummary(
        len(items), len(used), percentile(used, 0.5), percentile(unused, 0.5), within
    )
