"""`quickreply doctor`: one line per thing QuickReply needs, each with a clear verdict."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from quickreply.app.diagnostics import gather_diagnostics
from quickreply.app.health import FAIL, checks, format_checks
from quickreply.commands.output import print_json
from quickreply.core.i18n import tr
from quickreply.platform.clipboard_copy import copy_to_clipboard


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
    p.add_argument(
        "--copy",
        action="store_true",
        help="copy a report for support to the clipboard: version, platform, these checks and "
        "the last log lines (never snippet text or usage)",
    )
    p.set_defaults(func=cmd_doctor)


def cmd_doctor(args: argparse.Namespace) -> int:
    """Print the checks; exit 1 when any failed."""
    if args.active_window:
        from quickreply.commands.active_window import print_active_window

        return print_active_window(args.delay, args.json)
    lines = checks()
    if args.copy:
        report = gather_diagnostics(format_checks(lines))
        tool = copy_to_clipboard(report)
        print(
            tr(
                "Diagnostics copied to the clipboard ({count} lines, with {tool}).",
                count=len(report.splitlines()),
                tool=tool,
            )
        )
        return 0
    if args.json:
        print_json([{"verdict": v, "subject": s, "detail": d} for v, s, d in lines])
    else:
        for line in format_checks(lines):
            print(line)
    sys.stdout.flush()
    return 1 if any(v == FAIL for v, _, _ in lines) else 0
