"""Diagnostics to hand to support: version, platform, the doctor checks and the last log lines.

Never snippet text or usage content: the report is built from versions, verdicts and log lines,
and any line that still contains a snippet's title or body is replaced before it leaves.
"""

from __future__ import annotations

import platform
import re
import sys
from collections.abc import Iterable

from quickreply import __version__
from quickreply.app.health import checks, format_checks
from quickreply.app.log_file import last_log_lines
from quickreply.core.errors import QuickReplyError
from quickreply.core.packs.defaults import open_library

REDACTED = "[line removed: it contained snippet text]"
_MIN_SECRET = 4  # shorter titles ("好的") are too common to tell a snippet apart
_PLACEHOLDER = re.compile(r"\{\{.*?\}\}")


def gather_diagnostics(doctor: list[str] | None = None) -> str:
    """Return the diagnostics report as text; runs the doctor checks unless `doctor` is given."""
    doctor = format_checks(checks()) if doctor is None else doctor
    return diagnostics_report(doctor, last_log_lines(), _snippet_texts())


def diagnostics_report(doctor: list[str], log_lines: list[str], secrets: Iterable[str]) -> str:
    """Return the report from doctor lines and log lines, dropping lines with snippet text."""
    needles = _needles(secrets)
    header = [
        f"QuickReply {__version__} ({_install_kind()})",
        f"python {platform.python_version()} ({platform.python_implementation()})",
        f"platform {platform.platform()}",
        f"qt {_qt_version()}",
    ]
    logs = [REDACTED if any(n in line for n in needles) else line for line in log_lines]
    return "\n".join(
        ["# QuickReply diagnostics", *header, "", "## doctor", *doctor, "", "## log", *logs, ""]
    )


def _needles(secrets: Iterable[str]) -> list[str]:
    """Every snippet text worth hiding, each of its lines and the fixed text between placeholders
    (a log may hold one line of it, or the filled-in text)."""
    needles = set()
    for text in secrets:
        for line in [text, *text.splitlines()]:
            for part in [line, *_PLACEHOLDER.split(line)]:
                part = part.strip()
                if len(part) >= _MIN_SECRET:
                    needles.add(part)
    return sorted(needles, key=len, reverse=True)


def _snippet_texts() -> list[str]:
    try:
        store = open_library()
    except QuickReplyError:
        return []
    return [text for s in store.snippets() for text in (s.title, s.body)]


def _install_kind() -> str:
    if getattr(sys, "frozen", False):
        return "built app"
    from quickreply.core.library import paths

    return "wheel" if paths.resource_candidates()[0] == paths.resources_dir() else "source"


def _qt_version() -> str:
    try:
        import PySide6
    except ImportError:
        return "not installed"
    return str(PySide6.__version__)
