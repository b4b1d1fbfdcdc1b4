"""Where QuickReply keeps its files: the user data dir, or $QUICKREPLY_HOME when set."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

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
    """Return the shipped resources folder (icons, default packs, translations).

    In a PyInstaller bundle it sits in the unpacked bundle; from a checkout or an editable
    install it is the repository's top-level `resources/`.
    """
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[3] / "resources"
