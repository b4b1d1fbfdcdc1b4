"""`quickreply settings list | get KEY | set KEY VALUE`: every setting of the dialog, for IT and
scripts (keys in docs/settings.md)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from quickreply.commands.output import print_json, print_table
from quickreply.core.library.agent import ensure_agent_id
from quickreply.core.library.setting_keys import (
    MAPS,
    allowed_values,
    get_setting,
    set_setting,
    setting_names,
)
from quickreply.core.library.settings import Settings, load_settings, save_settings
from quickreply.core.library.store import LibraryStore
from quickreply.core.packs.defaults import open_library
from quickreply.core.packs.visibility import prefer_default_pack
from quickreply.core.render import SHOP_FACTS, default_values


def register(sub: Any) -> None:
    """Add `settings list|get|set` to the parser."""
    settings = sub.add_parser("settings", help="show or change the settings (for IT and scripts)")
    cmds = settings.add_subparsers(dest="settings_command", metavar="ACTION", required=True)
    p = cmds.add_parser("list", help="every setting with its value, default and allowed values")
    p.add_argument("--json", action="store_true", help="print the values as JSON")
    p.set_defaults(func=cmd_list)
    p = cmds.add_parser("get", help="print one setting's value")
    p.add_argument("key", metavar="KEY", help="e.g. agent_name or shop_facts.return_days")
    p.set_defaults(func=cmd_get)
    p = cmds.add_parser("set", help="change one setting (checked like the settings dialog)")
    p.add_argument("key", metavar="KEY")
    p.add_argument("value", metavar="VALUE", help="'' clears a text or a map entry")
    p.set_defaults(func=cmd_set)


def _open() -> LibraryStore:
    store = open_library()
    ensure_agent_id(store)
    return store


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False) if value else ""
    return str(value)


def cmd_list(args: argparse.Namespace) -> int:
    """Print every setting: key, value, default and allowed values (or JSON of the values)."""
    settings = load_settings(_open())
    if args.json:
        print_json(settings.to_stored())
        return 0
    defaults = Settings()
    fact_defaults = default_values(settings.ui_language())
    rows: list[tuple[str, str, str, str]] = []
    for name in setting_names():
        if name == "shop_facts":
            rows.extend(
                (
                    f"shop_facts.{fact}",
                    settings.shop_facts.get(fact, ""),
                    fact_defaults.get(fact, ""),
                    allowed_values(f"shop_facts.{fact}"),
                )
                for fact in SHOP_FACTS
            )
            continue
        rows.append(
            (
                name,
                _shown(getattr(settings, name)),
                _shown(getattr(defaults, name)),
                allowed_values(name),
            )
        )
    print_table(("KEY", "VALUE", "DEFAULT", "ALLOWED"), rows)
    return 0


def cmd_get(args: argparse.Namespace) -> int:
    """Print one setting's value (a map as JSON)."""
    print(_shown(get_setting(load_settings(_open()), args.key)))
    return 0


def cmd_set(args: argparse.Namespace) -> int:
    """Validate and store one setting; confirm on standard error."""
    store = _open()
    before = load_settings(store)
    changed = set_setting(before, args.key, args.value)
    save_settings(store, changed)
    if args.key == "language" and changed.language not in ("auto", before.language):
        prefer_default_pack(store, changed.language)  # that language's replies on the hotkeys
    name = args.key.partition(".")[0]
    shown = (
        _shown(get_setting(changed, args.key)) if name in MAPS else _shown(getattr(changed, name))
    )
    print(f"{args.key} = {shown}", file=sys.stderr)
    return 0
