"""The app's icons, loaded once from resources/icons."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtGui import QIcon

from quickreply.core.library import paths


@lru_cache(maxsize=4)
def app_icon(paused: bool = False) -> QIcon:
    """Return the tray/window icon; grey while hotkeys are paused."""
    name = "quickreply-paused.png" if paused else "quickreply.png"
    return QIcon(str(paths.resources_dir() / "icons" / name))
