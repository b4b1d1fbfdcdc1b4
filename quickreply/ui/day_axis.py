"""A date axis for per-day charts that writes days in the interface language ("12月2日", "12/2")
instead of pyqtgraph's English month names ("Dec")."""

from __future__ import annotations

from datetime import datetime

import pyqtgraph as pg

from quickreply.core.i18n import tr


class DayAxis(pg.DateAxisItem):
    """pyqtgraph's DateAxisItem (tick placement) with our own day labels."""

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:  # noqa: N802 - pyqtgraph override
        """Label each tick (seconds since the epoch, local time) with its month and day."""
        labels = []
        for value in values:
            try:
                day = datetime.fromtimestamp(value)
            except (OverflowError, OSError, ValueError):
                labels.append("")
                continue
            labels.append(tr("{month}/{day}", month=day.month, day=day.day))
        return labels
