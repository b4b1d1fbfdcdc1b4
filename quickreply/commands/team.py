"""Team drop commands: `team publish` (send the outbox now), `team status`, `team drop` (set it)."""

from __future__ import annotations

import argparse
import getpass
import sys
from dataclasses import replace
from typing import Any

from quickreply.commands.output import print_json
from quickreply.core.errors import QuickReplyError
from quickreply.core.i18n import tr, tr_n
from quickreply.core.library.settings import load_settings, save_settings
from quickreply.core.packs.defaults import open_library
from quickreply.core.team.location import is_url
from quickreply.core.team.outbox import Outbox
from quickreply.core.team.publish import publish
from quickreply.core.usage.identity import installation_id
from quickreply.core.usage.log import open_usage_log
from quickreply.platform.credentials import configured_drop, store_drop_password


def register(sub: Any) -> None:
    """Add `team publish|status|drop` to the parser."""
    team = sub.add_parser("team", help="publish usage to the team drop (folder or WebDAV)")
    cmds = team.add_subparsers(dest="team_command", metavar="ACTION", required=True)
    p = cmds.add_parser("publish", help="send the days waiting in the outbox now")
    p.set_defaults(func=cmd_publish)
    p = cmds.add_parser("status", help="last success, the outbox and the last error")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_status)
    p = cmds.add_parser("drop", help="set the team drop: a folder or an http(s) WebDAV URL")
    p.add_argument("location", metavar="FOLDER|URL", help="empty string: stop publishing")
    p.add_argument("--user", default="", help="WebDAV user name (password asked, kept in keyring)")
    p.add_argument(
        "--password-stdin", action="store_true", help="read the WebDAV password from stdin"
    )
    p.set_defaults(func=cmd_drop)


def cmd_publish(args: argparse.Namespace) -> int:
    """Send the outbox to the team drop and print what went out."""
    store = open_library()
    settings = load_settings(store)
    if not settings.team_drop.strip():
        raise QuickReplyError(tr("no team drop set: run `quickreply team drop FOLDER|URL` first"))
    log = open_usage_log()
    try:
        result = publish(store, log, configured_drop(settings))
    finally:
        log.close()
    for name in result.sent:
        print(tr("sent {name}", name=name))
    print(
        tr_n(
            "{count} day file sent, {unchanged} unchanged, {waiting} waiting in the outbox",
            "{count} day files sent, {unchanged} unchanged, {waiting} waiting in the outbox",
            len(result.sent),
            unchanged=result.unchanged,
            waiting=len(result.waiting),
        )
    )
    if result.error:
        raise QuickReplyError(
            tr("team drop unreachable, days kept in the outbox: {error}", error=result.error)
        )
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    """Print the team drop, the last success, the outbox and the last error."""
    store = open_library()
    settings = load_settings(store)
    outbox = Outbox.load()
    data = {
        "team_drop": settings.team_drop or None,
        "agent_id": installation_id(store),
        "last_success": outbox.last_success,
        "outbox": outbox.days(),
        "last_error": outbox.last_error,
        "last_error_at": outbox.last_error_at,
        "failures": outbox.failures,
    }
    if args.json:
        print_json(data)
        return 0
    print(tr("team drop:    {drop}", drop=settings.team_drop or tr("(none)")))
    print(tr("agent id:     {agent_id}", agent_id=data["agent_id"]))
    print(tr("last success: {when}", when=outbox.last_success or tr("never")))
    days = " ".join(outbox.days())
    print(tr("outbox:       {count} days {days}", count=len(outbox.pending), days=days).rstrip())
    error = (
        tr("{error} (at {when})", error=outbox.last_error, when=outbox.last_error_at)
        if outbox.last_error
        else tr("none")
    )
    print(tr("last error:   {error}", error=error))
    return 0


def cmd_drop(args: argparse.Namespace) -> int:
    """Store the team drop in the settings (and a WebDAV password in the keyring)."""
    store = open_library()
    location = args.location.strip()
    if args.user and is_url(location):
        if args.password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        elif sys.stdin.isatty():
            password = getpass.getpass(
                tr("password for {user} at {location}: ", user=args.user, location=location)
            )
        else:
            raise QuickReplyError(tr("give the password with --password-stdin (no terminal)"))
        store_drop_password(location, args.user, password)
    settings = load_settings(store)
    save_settings(store, replace(settings, team_drop=location, team_drop_user=args.user))
    print(tr("team drop: {drop}", drop=location or tr("(none)")))
    return 0
