"""Settings by name, for `quickreply settings` and IT scripts: read one, set one from text.

Each key is a Settings field; maps (shop facts, per-program paste keys) are set one entry at a
time as ``shop_facts.return_days`` or ``app_paste_keys.wechat.exe``. Every change goes through
validate_settings, so the rules stay in one place.
"""

from __future__ import annotations

import json
from dataclasses import fields, replace
from typing import Any

from quickreply.core.errors import ValidationError
from quickreply.core.library.settings import (
    CHOICES,
    FACT_RANGES,
    FLAGS,
    NUMBER_RANGES,
    Settings,
    validate_settings,
)
from quickreply.core.render import SHOP_FACTS

READ_ONLY = ("agent_id",)  # made on first run; changing it would split the agent in reports
_LIST_EXAMPLE = '[{"name": "微信", "process": ["WeChat.exe"], "send_key": "ctrl+enter"}]'
MAPS = {"shop_facts": SHOP_FACTS, "app_paste_keys": ()}  # () : any program name
HOTKEYS = ("palette_hotkey", "paste_keys")
_TRUE = ("true", "yes", "on", "1")
_FALSE = ("false", "no", "off", "0")


def setting_names() -> list[str]:
    """Return every setting's key, in the order of the Settings fields."""
    return [f.name for f in fields(Settings)]


def allowed_values(name: str) -> str:
    """Return a short description of what `name` (or ``shop_facts.NAME``) accepts."""
    if name.startswith("shop_facts."):
        fact = name.partition(".")[2]
        if fact in FACT_RANGES:
            low, high = FACT_RANGES[fact]
            return f"{low}-{high}, or '' for the default"
        if fact == "service_hours":
            return "a time range like 09:00-23:00, or ''"
        return "any text, or '' for the default"
    if name in CHOICES:
        return " | ".join(CHOICES[name])
    if name in NUMBER_RANGES:
        low, high = NUMBER_RANGES[name]
        return f"{low}-{high}"
    if name in FLAGS:
        return "true | false"
    if name in HOTKEYS:
        return "a key combination, e.g. ctrl+alt+space"
    if name == "shop_facts":
        return "shop_facts.NAME VALUE; NAME: " + ", ".join(SHOP_FACTS)
    if name == "app_paste_keys":
        return "app_paste_keys.PROGRAM KEYS, e.g. app_paste_keys.wechat.exe ctrl+shift+v"
    if name in READ_ONLY:
        return "read-only"
    if name == "team_drop":
        return "a folder or an http(s) WebDAV URL, or '' (not shared)"
    if name == "team_drop_user":
        return "a WebDAV user name (no colons), or ''"
    return "any text"


def get_setting(settings: Settings, key: str) -> Any:
    """Return the value of `key` (a field, or ``map.entry``); raise ValidationError if unknown."""
    name, entry = _split(key)
    value = getattr(settings, name)
    if entry is None:
        return value
    return value.get(entry, "")


def set_setting(settings: Settings, key: str, text: str) -> Settings:
    """Return `settings` with `key` set from `text`, validated; raise ValidationError naming the
    key and the allowed values. An empty text clears a map entry (back to the default)."""
    name, entry = _split(key)
    if name in READ_ONLY:
        raise ValidationError(f"{name} is read-only (made on first run)")
    if name in MAPS and entry is None:
        raise ValidationError(f"set one entry at a time: {allowed_values(name)}")
    value: Any
    if entry is not None:
        value = dict(getattr(settings, name))
        if text.strip():
            value[entry.lower() if name == "app_paste_keys" else entry] = text.strip()
        else:
            value.pop(entry, None)
    else:
        value = _parse(name, text)
    changed = replace(settings, **{name: value})
    try:
        validate_settings(changed)
    except ValidationError as exc:
        mine = [p for p in exc.problems if p.startswith(name)] or exc.problems
        raise ValidationError(mine) from None
    return changed


def _split(key: str) -> tuple[str, str | None]:
    name, dot, entry = key.partition(".")
    if name not in setting_names():
        raise ValidationError(f"unknown setting '{key}' (known: {', '.join(setting_names())})")
    if dot and name not in MAPS:
        raise ValidationError(f"'{name}' has no entries; use `{name} VALUE`")
    if dot and MAPS[name] and entry not in MAPS[name]:
        raise ValidationError(f"unknown entry '{entry}' of {name} (known: {', '.join(MAPS[name])})")
    if dot and not entry:
        raise ValidationError(f"'{key}': name an entry after the dot")
    return name, (entry if dot else None)


def _parse(name: str, text: str) -> Any:
    default = getattr(Settings(), name)
    if isinstance(default, list):  # app_rules: a JSON list, as docs/settings.md shows
        try:
            value = json.loads(text)
        except ValueError:
            raise ValidationError(f"{name}: give JSON, e.g. {_LIST_EXAMPLE}") from None
        if not isinstance(value, list):
            raise ValidationError(f"{name}: give a JSON list, e.g. {_LIST_EXAMPLE}")
        return value
    if isinstance(default, float):
        try:
            return float(text)
        except ValueError:
            raise ValidationError(f"{name}: give a number") from None
    if name in NUMBER_RANGES:
        low, high = NUMBER_RANGES[name]
        if not text.strip().isdigit():
            raise ValidationError(f"{name}: use a whole number from {low} to {high}")
        return int(text)
    if name in FLAGS:
        word = text.strip().lower()
        if word not in _TRUE + _FALSE:
            raise ValidationError(f"{name}: use true or false")
        return word in _TRUE
    if name in HOTKEYS:
        from quickreply.core.hotkey import normalize_hotkey

        return normalize_hotkey(text)
    return text.strip()
