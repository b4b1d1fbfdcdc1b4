"""The shape library.json must have before QuickReply uses it: tables, rows and field types.

A file can be valid JSON, carry our marker and still be wrong (a hand edit, another program, a
newer or older tool): meta without a schema, a row that is a string, tags that are not a list, a
category order "abc". `library_problem` names the first such fault so the storage can keep the
file aside and report it, instead of failing with a TypeError on every start.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import fields
from typing import Any

APP_MARKER = "quickreply"

_TEXT, _OPTIONAL_TEXT, _FLAG, _WHOLE = "text", "optional text", "flag", "whole number"
_SNIPPET = {
    "id": _TEXT,
    "title": _TEXT,
    "body": _TEXT,
    "category": _OPTIONAL_TEXT,
    "hotkey": _OPTIONAL_TEXT,
    "abbrev": _OPTIONAL_TEXT,
    "auto_send": _FLAG,
    "pack_id": _OPTIONAL_TEXT,
    "pack_version": _OPTIONAL_TEXT,
    "locked": _FLAG,
    "created": _OPTIONAL_TEXT,
    "updated": _OPTIONAL_TEXT,
    "image_order": _OPTIONAL_TEXT,
}
_CATEGORY = {
    "id": _TEXT,
    "name": _TEXT,
    "order": _WHOLE,
    "hotkey": _OPTIONAL_TEXT,
    "pack_id": _OPTIONAL_TEXT,
}
_PACK = {"id": _TEXT, "name": _OPTIONAL_TEXT, "version": _TEXT, "language": _OPTIONAL_TEXT}


def library_problem(data: Any, current: int = 1, upgradable: Collection[int] = ()) -> str | None:
    """Return why `data` (parsed library.json) is not a usable QuickReply library, or None.

    `current` is the schema this version writes; `upgradable` the older schemas it can migrate.
    Rows are checked in a current or upgradable file (a migration must not meet a row that is a
    string); a newer one is left to the store to refuse.
    """
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        return "it is not a QuickReply library"
    if not data:
        return None
    meta = data.get("meta", {}).get("1")
    if not isinstance(meta, dict) or meta.get("app") != APP_MARKER:
        return "it is not a QuickReply library"
    schema = meta.get("schema")
    if isinstance(schema, bool) or not isinstance(schema, int) or schema < 0:
        return f"its schema version {str(schema)[:20]!r} is not a whole number"
    if schema < current and not all(v in upgradable for v in range(schema, current)):
        return f"its schema version {schema} is older than any this QuickReply can upgrade"
    if schema > current:
        return None
    for table, rules, required in (
        ("snippets", _SNIPPET, ("id",)),
        ("categories", _CATEGORY, ("id",)),
        ("packs", _PACK, ("id", "version")),
    ):
        for doc_id, row in data.get(table, {}).items():
            problem = _row_problem(row, rules, required)
            if problem:
                return f"{table} row {str(doc_id)[:20]}: {problem}"
    for doc_id, row in data.get("snippets", {}).items():
        for name in ("tags", "images"):
            items = row.get(name, [])
            if not isinstance(items, list) or not all(isinstance(t, str) for t in items):
                return f"snippets row {str(doc_id)[:20]}: {name} must be a list of text"
    return _settings_problem(data.get("settings", {}).get("1"))


def _row_problem(row: Any, rules: dict[str, str], required: tuple[str, ...]) -> str | None:
    if not isinstance(row, dict):
        return "is not an object"
    for key in required:
        if not isinstance(row.get(key), str) or not row[key]:
            return f"has no {key}"
    for name, kind in rules.items():
        if name in row and not _fits(row[name], kind):
            return f"{name} must be {kind}"
    return None


def _fits(value: Any, kind: str) -> bool:
    if kind == _TEXT:
        return isinstance(value, str)
    if kind == _OPTIONAL_TEXT:
        return value is None or isinstance(value, str)
    if kind == _FLAG:
        return isinstance(value, bool)
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2**53


def _settings_problem(stored: Any) -> str | None:
    from quickreply.core.library.settings import Settings  # settings imports render, not us

    if stored is None:
        return None
    if not isinstance(stored, dict):
        return "settings are not an object"
    defaults = Settings()
    for item in fields(Settings):
        if item.name not in stored:
            continue
        value, default = stored[item.name], getattr(defaults, item.name)
        if isinstance(default, bool):
            ok = isinstance(value, bool)
        elif isinstance(default, (int, float)):
            ok = (
                isinstance(value, (int, float))
                and not isinstance(value, bool)
                and math.isfinite(value)
                and (isinstance(default, float) or isinstance(value, int))
            )
        elif isinstance(default, dict):
            ok = isinstance(value, dict) and all(
                isinstance(k, str) and isinstance(v, str) for k, v in value.items()
            )
        else:
            ok = isinstance(value, type(default))
        if not ok:
            return f"setting {item.name} has a value of the wrong type"
    return None
