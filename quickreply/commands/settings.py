"""`quickreply settings list|get|set`: read and change settings, checked by validate_settings."""

from __future__ import annotations

import argparse
import json
from dataclasses import fields, replace
from typing import Any

from quickreply.commands.output import print_json
from quickreply.core.errors import QuickReplyError
from quickreply.core.library.settings import Settings, load_settings, save_settings
from quickreply.core.packs.defaults import open_library

_TRUE = {"on", "true", "yes", "1"}
_FALSE = {"off", "false", "no", "0"}


def register(sub: Any) -> None:
    """Add `settings list|get|set` to the parser."""
    settings = sub.add_parser("settings", help="show or change settings")
    cmds = settings.add_subparsers(dest="settings_command", metavar="COMMAND", required=True)
    p = cmds.add_parser("list", help="every setting and its value")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_list)
    p = cmds.add_parser("get", help="one setting's value")
    p.add_argument("key", metavar="KEY")
    p.set_defaults(func=cmd_get)
    p = cmds.add_parser("set", help="change one setting (lists and tables as JSON)")
    p.add_argument("key", metavar="KEY")
    p.add_argument("value", metavar="VALUE")
    p.set_defaults(func=cmd_set)


def _field_type(key: str) -> type:
    known = {f.name: f for f in fields(Settings)}
    if key not in known:
        raise QuickReplyError(f"no setting '{key}' (see `quickreply settings list`)")
    return type(getattr(Settings(), key))


def parse_value(key: str, text: str) -> Any:
    """Turn the command-line text into the setting's type; raise QuickReplyError when it cannot."""
    kind = _field_type(key)
    if kind is bool:
        if text.lower() in _TRUE | _FALSE:
            return text.lower() in _TRUE
        raise QuickReplyError(f"{key}: use on or off")
    if kind is int:
        try:
            return int(text)
        except ValueError as exc:
            raise QuickReplyError(f"{key}: give a whole number") from exc
    if kind in (list, dict):
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise QuickReplyError(f"{key}: give JSON ({exc.msg})") from exc
        if not isinstance(value, kind):
            raise QuickReplyError(f"{key}: give a JSON {'list' if kind is list else 'object'}")
        return value
    return text


def cmd_list(args: argparse.Namespace) -> int:
    """Print every setting."""
    stored = load_settings(open_library()).to_stored()
    if args.json:
        print_json(stored)
        return 0
    for key, value in stored.items():
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        print(f"{key} = {shown}")
    return 0


def cmd_get(args: argparse.Namespace) -> int:
    """Print one setting's value."""
    _field_type(args.key)
    value = getattr(load_settings(open_library()), args.key)
    print(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
    return 0


def cmd_set(args: argparse.Namespace) -> int:
    """Validate and store one setting (the running app follows at once)."""
    store = open_library()
    value = parse_value(args.key, args.value)
    save_settings(store, replace(load_settings(store), **{args.key: value}))
    return 0
