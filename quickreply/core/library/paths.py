"""Where QuickReply keeps its files: the user data dir, or $QUICKREPLY_HOME when set."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

from quickreply.core.errors import QuickReplyError, StorageError

APP_NAME = "QuickReply"
HOME_ENV = "QUICKREPLY_HOME"


PRIVATE_DIR = 0o700  # POSIX; on Windows the user profile's ACL already keeps others out
PRIVATE_FILE = 0o600


def data_dir() -> Path:
    """Return the data directory (created if missing): $QUICKREPLY_HOME or the platform's user data dir.

    On POSIX it is created owner-only (0700), whatever the umask; the platform's default folder is
    made owner-only again if an older version left it open. See docs/data.md.
    """
    override = os.environ.get(HOME_ENV)
    path = (
        Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    )
    if not path.is_dir():
        try:
            path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
        except OSError as exc:
            raise StorageError(
                f"cannot use the data folder {path} ({exc.strerror or exc}); point "
                f"{HOME_ENV} at a folder you can write to"
            ) from exc
        _make_private(path, PRIVATE_DIR)
    elif not override:
        _make_private(path, PRIVATE_DIR)
    return path


def private_file(path: Path) -> Path:
    """Create `path` if missing, owner-only (0600 on POSIX), and return it; used for files that
    another library creates (SQLite, logging) and so would otherwise follow the umask."""
    if os.name != "nt":
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE))
        _make_private(path, PRIVATE_FILE)
    return path


def _make_private(path: Path, mode: int) -> None:
    if os.name != "nt":
        try:
            if path.stat().st_mode & 0o777 != mode:
                os.chmod(path, mode)
        except OSError:
            pass  # not ours to change (a shared QUICKREPLY_HOME): leave it as it is


def library_path() -> Path:
    """Return the path of the snippet library file."""
    return data_dir() / "library.json"


def subscriptions_path() -> Path:
    """The pack subscriptions' state file (absent until the first subscription)."""
    return data_dir() / "subscriptions.json"


def log_dir() -> Path:
    """Return the folder for diagnostic logs (tracebacks never reach the user's screen)."""
    path = data_dir() / "logs"
    try:
        path.mkdir(exist_ok=True, mode=PRIVATE_DIR)
    except OSError as exc:
        raise StorageError(f"cannot create the log folder {path} ({exc.strerror or exc})") from exc
    return path


def log_file(name: str) -> Path:
    """Return the owner-only log file `name` in the logs folder (created if missing)."""
    return private_file(log_dir() / name)


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
