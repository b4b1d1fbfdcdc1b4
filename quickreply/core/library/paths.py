"""Where QuickReply keeps its files: the user data dir, or $QUICKREPLY_HOME when set."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

from quickreply.core.errors import QuickReplyError

APP_NAME = "QuickReply"
HOME_ENV = "QUICKREPLY_HOME"


def data_dir() -> Path:
    """Return the data directory (created if missing): $QUICKREPLY_HOME or the platform's user data dir."""
    override = os.environ.get(HOME_ENV)
    path = (
        Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    )
    path.mkdir(parents=True, exist_ok=True)
    return path


def library_path() -> Path:
    """Return the path of the snippet library file."""
    return data_dir() / "library.json"


def log_dir() -> Path:
    """Return the folder for diagnostic logs (tracebacks never reach the user's screen)."""
    path = data_dir() / "logs"
    path.mkdir(exist_ok=True)
    return path


def resources_dir() -> Path:
    """Return the shipped resources folder (icons, default packs, translations, schemas).

    Looked up in this order: a PyInstaller bundle (`sys._MEIPASS/resources`), an installed wheel
    (`quickreply/resources`, put there by setup.py's build step), then a source checkout or an
    editable install (the repository's top-level `resources/`). Raises QuickReplyError when none
    of them holds the default packs (a broken install), naming where it looked.
    """
    candidates = resource_candidates()
    for candidate in candidates:
        if (candidate / "packs").is_dir():
            return candidate
    looked = ", ".join(str(c) for c in candidates)
    raise QuickReplyError(
        f"the installation is incomplete: no resources folder (looked in {looked})"
    )


def resource_candidates() -> list[Path]:
    """Return the places a resources folder may be, most specific first."""
    package = Path(__file__).resolve().parents[2]
    candidates = [package / "resources", package.parent / "resources"]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.insert(0, Path(bundle) / "resources")
    return candidates
