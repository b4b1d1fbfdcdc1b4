"""The health checks behind `quickreply doctor` and the diagnostics: one verdict per need."""

from __future__ import annotations

import os
import sys

from quickreply.core.errors import QuickReplyError
from quickreply.core.i18n import tr
from quickreply.core.library import paths
from quickreply.core.library.settings import load_settings
from quickreply.core.message_translation import translate_message
from quickreply.core.packs.defaults import open_library
from quickreply.platform.display import display_problem
from quickreply.platform.session_limits import session_limits

OK, WARN, FAIL = "ok", "warn", "FAIL"


def checks() -> list[tuple[str, str, str]]:
    """Return (verdict, subject, detail) for every check, in order."""
    lines: list[tuple[str, str, str]] = []
    home = paths.data_dir()
    writable = os.access(home, os.W_OK)
    lines.append(
        (OK if writable else FAIL, "data dir", f"{home}" + ("" if writable else " is not writable"))
    )
    try:
        store = open_library()
        note = f"; {store.recovered}" if store.recovered else ""
        lines.append(
            (
                WARN if note else OK,
                "library",
                f"{len(store.snippets())} snippets, {len(store.categories())} categories{note}",
            )
        )
        backend_setting = load_settings(store).hotkey_backend
    except QuickReplyError as exc:
        lines.append((FAIL, "library", str(exc)))
        backend_setting = "auto"
    problem = display_problem()
    platform = os.environ.get("QT_QPA_PLATFORM") or (
        "xcb" if os.environ.get("DISPLAY") else "default"
    )
    lines.append((FAIL if problem else OK, "display", problem or f"Qt platform {platform}"))
    if not problem:
        lines.extend(_qt_checks())
    lines.extend(_hotkey_checks(backend_setting))
    limits = session_limits()
    lines.extend((WARN, "session", limit) for limit in limits)
    if not limits:
        lines.append((OK, "session", "no known limits (not a Wayland session)"))
    if sys.platform == "win32":
        from quickreply.platform.windows import doctor as windows_doctor

        lines.extend(windows_doctor.checks())
    return lines


def _qt_checks() -> list[tuple[str, str, str]]:
    from PySide6.QtWidgets import QApplication, QSystemTrayIcon

    from quickreply.platform.qt_check import pyside_refcount_problem

    QApplication.instance() or QApplication([])
    bindings = pyside_refcount_problem()
    tray = QSystemTrayIcon.isSystemTrayAvailable()
    clipboard = QApplication.clipboard() is not None
    return [
        (FAIL if bindings else OK, "Qt bindings", bindings or "PySide6 without known defects"),
        (
            OK if tray else WARN,
            "system tray",
            "available"
            if tray
            else "no tray on this desktop: QuickReply opens its palette and manager windows instead",
        ),
        (OK if clipboard else FAIL, "clipboard", "available" if clipboard else "not available"),
    ]


def _hotkey_checks(preferred: str) -> list[tuple[str, str, str]]:
    from quickreply.platform.hotkeys import availability, choose_backend

    lines = [
        (OK if usable else WARN, f"hotkeys: {name}", reason)
        for name, usable, reason in availability()
    ]
    try:
        chosen = choose_backend(None if preferred == "auto" else preferred)
        lines.append((OK, "hotkeys", f"using the {chosen.name} backend"))
        chosen.close()
    except QuickReplyError as exc:
        lines.append((FAIL, "hotkeys", str(exc)))
    return lines


def format_checks(lines: list[tuple[str, str, str]]) -> list[str]:
    """Return the checks as doctor prints them: `[verdict] subject: detail`, subject and detail
    in the interface language (the verdicts stay as they are, for scripts)."""
    return [
        f"[{verdict:>4}] {tr(subject)}: {translate_message(detail)}"
        for verdict, subject, detail in lines
    ]
