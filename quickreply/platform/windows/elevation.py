"""Elevation (UIPI): Windows drops our hotkeys and SendInput for a window running above us.

Integrity levels come from the process tokens. A process whose token Windows will not show us
runs above us too. The agent is told once per application; inserting there is refused, since
the keys would be dropped without any error.
"""

from __future__ import annotations

from typing import Any

from quickreply.core.i18n import tr
from quickreply.core.process_names import normalize_process_name
from quickreply.platform.windows.constants import (
    SECURITY_MANDATORY_HIGH_RID,
    SECURITY_MANDATORY_MEDIUM_RID,
    SECURITY_MANDATORY_SYSTEM_RID,
)

_LEVEL_NAMES = {
    SECURITY_MANDATORY_MEDIUM_RID: "medium",
    SECURITY_MANDATORY_HIGH_RID: "high",
    SECURITY_MANDATORY_SYSTEM_RID: "system",
}


def level_name(rid: int | None) -> str:
    """Return a word for an integrity RID (``low``, ``medium``, ``high``, ``system``)."""
    if rid is None:
        return "unknown"
    if rid < SECURITY_MANDATORY_MEDIUM_RID:
        return "low"
    return _LEVEL_NAMES.get(rid, "high" if rid > SECURITY_MANDATORY_MEDIUM_RID else "medium")


def runs_above_us(api: Any, pid: int) -> bool:
    """True if process `pid` runs at a higher integrity level than QuickReply."""
    try:
        target = api.integrity_level(pid)
    except PermissionError:
        return True
    own = api.integrity_level(None)
    return target is not None and own is not None and target > own


def own_elevation(api: Any) -> tuple[bool, str]:
    """Return (elevated?, one line for doctor) about QuickReply's own process."""
    level = api.integrity_level(None)
    elevated = level is not None and level >= SECURITY_MANDATORY_HIGH_RID
    if elevated:
        return True, f"running as administrator ({level_name(level)} integrity)"
    return False, (
        f"running as a standard user ({level_name(level)} integrity): windows that run as "
        "administrator cannot receive inserted text"
    )


class ElevationNotices:
    """Decides, per application, whether an insertion is refused and whether to say so."""

    def __init__(self) -> None:
        """Nothing said yet."""
        self._told: set[str] = set()

    def problem(self, api: Any, pid: int, process_name: str) -> tuple[bool, str | None]:
        """Return (refuse?, message to show or None when already said for this app)."""
        if not runs_above_us(api, pid):
            return False, None
        app = normalize_process_name(process_name) or str(pid)
        if app in self._told:
            return True, None
        self._told.add(app)
        return True, tr(
            "“{app}” runs as administrator; start QuickReply as administrator to insert there",
            app=process_name or app,
        )
