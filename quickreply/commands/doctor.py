"""`quickreply doctor`: one line per thing QuickReply needs, each with a clear verdict."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from quickreply.commands.output import print_json
from quickreply.core.errors import QuickReplyError
from quickreply.core.library import paths
from quickreply.core.library.settings import load_settings
from quickreply.core.packs.defaults import open_library
from quickreply.platform.display import display_problem

OK, WARN, FAIL = "ok", "warn", "FAIL"


def register(sub: Any) -> None:
    """Add the doctor sub-command."""
    p = sub.add_parser("doctor", help="check data dir, display, tray, clipboard and hotkeys")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument(
        "--active-window",
        action="store_true",
        help="show the focused window and the app rule that matches it",
    )
    p.add_argument(
        "--delay",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="with --active-window: wait this long first (time to click the chat window)",
    )
    p.set_defaults(func=cmd_doctor)


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
    if sys.platform == "win32":
        from quickreply.platform.windows import doctor as windows_doctor

        lines.extend(windows_doctor.checks())
    return lines


def _qt_checks() -> list[tuple[str, str, str]]:
    from PySide6.QtWidgets import QApplication, QSystemTrayIcon

    from quickreply.platform.qt_check import pyside_refcount_problem

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    bindings = pyside_refcount_problem()
    tray = QSystemTrayIcon.isSystemTrayAvailable()
    clipboard = app.clipboard() is not None
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


def cmd_doctor(args: argparse.Namespace) -> int:
    """Print the checks; exit 1 when any failed."""
    if args.active_window:
        from quickreply.commands.active_window import print_active_window

        return print_active_window(args.delay, args.json)
    lines = checks()
    if args.json:
        print_json([{"verdict": v, "subject": s, "detail": d} for v, s, d in lines])
    else:
        for verdict, subject, detail in lines:
            print(f"[{verdict:>4}] {subject}: {detail}")
    sys.stdout.flush()
    return 1 if any(v == FAIL for v, _, _ in lines) else 0
