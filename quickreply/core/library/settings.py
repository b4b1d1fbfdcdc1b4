"""Settings with their defaults, stored in the library's settings table."""

from __future__ import annotations

import locale
import os
from dataclasses import asdict, dataclass, field, fields
from typing import TYPE_CHECKING, Any

from quickreply.core.errors import ValidationError
from quickreply.core.hotkey import normalize_hotkey
from quickreply.core.language import normalize_language
from quickreply.core.process_names import normalize_process_name
from quickreply.core.render import SHOP_FACTS, default_values

if TYPE_CHECKING:
    from quickreply.core.library.store import LibraryStore


@dataclass(frozen=True)
class Settings:
    """Every setting QuickReply reads. Unknown stored keys are kept but ignored."""

    language: str = "auto"  # "auto" (from the system locale), "zh-CN" or "en"
    palette_hotkey: str = "ctrl+alt+space"
    hotkey_backend: str = "auto"  # "auto", "x11", "win32" or "keyboard"
    insert_mode: str = (
        "paste"  # "paste" (clipboard + paste keys) or "type" (for apps that block paste)
    )
    paste_keys: str = "ctrl+v"
    app_paste_keys: dict[str, str] = field(default_factory=dict)  # process name -> paste keys
    clipboard_restore_ms: int = (
        400  # fallback wait when the platform cannot tell us the paste was read
    )
    # a press whose insertion cannot start within this many ms is dropped, never pasted late
    trigger_fresh_ms: int = 1000
    shop_facts: dict[str, str] = field(
        default_factory=dict
    )  # {{shop}}, {{return_days}} ... overrides
    typing_speed_cjk_cpm: int = 50
    typing_speed_latin_wpm: int = 40
    usage_retention_months: int = 12
    reply_speed_tracking: bool = False
    record_window_titles: bool = False
    subscription_check_minutes: int = 30
    agent_name: str = ""  # shown in team reports; empty: the operating-system user name
    pack_author: str = ""  # a lead's name, remembered for the next pack export
    pack_signing_key: str = ""  # a lead's signing key file, remembered for the next export
    team_drop: str = ""  # folder or http(s) WebDAV URL the day files go to (docs/team.md)
    team_drop_user: str = ""  # WebDAV user name; the password is in the OS keyring
    team_publish_minutes: int = 15

    @classmethod
    def from_stored(cls, stored: dict[str, Any]) -> Settings:
        """Build Settings from the stored dict, using defaults for missing keys."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in stored.items() if k in known})

    def to_stored(self) -> dict[str, Any]:
        """Return the JSON-ready dict to store."""
        return asdict(self)

    def ui_language(self) -> str:
        """Return 'zh-CN' or 'en': the chosen language, or the system locale's when 'auto'."""
        if self.language != "auto":
            return self.language
        return system_language()

    def values_for(self, language: str) -> dict[str, str]:
        """Return placeholder values for shop facts and defaults (customer) in `language`."""
        values = default_values(language)
        values.update(
            {k: str(v) for k, v in self.shop_facts.items() if k in SHOP_FACTS and v != ""}
        )
        return values

    def paste_keys_for(self, process_name: str | None) -> str:
        """Return the paste combination for an application (per-app override or the default).

        Names match case-insensitively with ``.exe`` optional: ``WeChat.exe`` matches ``wechat``.
        """
        if process_name:
            wanted = normalize_process_name(process_name)
            for name, keys in self.app_paste_keys.items():
                if normalize_process_name(name) == wanted:
                    return keys
        return self.paste_keys


def validate_settings(settings: Settings) -> None:
    """Raise ValidationError listing every setting with a bad value."""
    problems: list[str] = []
    for name in ("palette_hotkey", "paste_keys"):
        try:
            normalize_hotkey(getattr(settings, name))
        except ValidationError as exc:
            problems.append(f"{name}: {exc}")
    for app, keys in settings.app_paste_keys.items():
        try:
            normalize_hotkey(keys)
        except ValidationError as exc:
            problems.append(f"app_paste_keys[{app}]: {exc}")
    if not 100 <= settings.trigger_fresh_ms <= 10_000:
        problems.append("trigger_fresh_ms: use 100 to 10000 (milliseconds)")
    if not 1 <= settings.team_publish_minutes <= 1440:
        problems.append("team_publish_minutes: use 1 to 1440 (minutes)")
    if settings.language not in ("auto", "zh-CN", "en"):
        problems.append("language: use auto, zh-CN or en")
    if settings.insert_mode not in ("paste", "type"):
        problems.append("insert_mode: use paste or type")
    if settings.hotkey_backend not in ("auto", "x11", "win32", "keyboard"):
        problems.append("hotkey_backend: use auto, x11, win32 or keyboard")
    unknown = sorted(set(settings.shop_facts) - set(SHOP_FACTS))
    if unknown:
        problems.append(f"shop_facts: unknown fact {unknown[0]} (known: {', '.join(SHOP_FACTS)})")
    if problems:
        raise ValidationError(problems)


def system_language() -> str:
    """Return 'zh-CN' when the system locale is Chinese, else 'en'."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var)
        if value:
            return normalize_language(value)
    return normalize_language(locale.getlocale()[0] or "")


def load_settings(store: LibraryStore) -> Settings:
    """Return the Settings stored in `store` (a LibraryStore), defaults filled in."""
    return Settings.from_stored(store.settings())


def save_settings(store: LibraryStore, settings: Settings) -> None:
    """Validate and store `settings`; raise ValidationError naming every bad value."""
    validate_settings(settings)
    store.set_settings(**settings.to_stored())
