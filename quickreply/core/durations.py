"""Durations as people read them, in the interface language: '850 ms', '12.5 s', '3 h 20 min'."""

from __future__ import annotations

from quickreply.core.i18n import tr


def format_duration(ms: float | None) -> str:
    """Return a short, translated duration such as '850 ms', '12.5 s', '3 h 20 min' ('–' if none)."""
    if ms is None:
        return "–"
    sign, ms = ("-" if ms < 0 else ""), abs(ms)
    if ms < 1000:
        return sign + tr("{n} ms", n=f"{ms:.0f}")
    seconds = ms / 1000
    if seconds < 60:
        return sign + tr("{n} s", n=f"{seconds:.1f}")
    minutes, secs = divmod(round(seconds), 60)
    if minutes < 60:
        return sign + tr("{m} min {s} s", m=minutes, s=f"{secs:02d}")
    hours, minutes = divmod(minutes, 60)
    return sign + tr("{h} h {m} min", h=hours, m=f"{minutes:02d}")
