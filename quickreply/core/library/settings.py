"""Settings with their defaults, stored in the library's settings table."""

from __future__ import annotations

import locale
import os
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from quickreply.core.errors import ValidationError
from quickreply.core.hotkey import normalize_hotkey
from quickreply.core.render import SHOP_FACTS, default_values


@dataclass(frozen=True)
class Settings:
    """Every setting QuickReply reads. Unknown stored keys are kept but ignored."""

    language: str = "auto"  # "auto" (from the system locale), "zh-CN" or "en"
    palette_hotkey: str = "ctrl+alt+space"
    # reads the selected buyer message and opens the palette with suggested replies; Ctrl+Shift
    # (no Alt) so it is never AltGr on European keyboard layouts
    suggest_hotkey: str = "ctrl+shift+space"
    hotkey_backend: str = "auto"  # "auto", "x11" or "keyboard"
    insert_mode: str = (
        "paste"  # "paste" (clipboard + paste keys) or "type" (for apps that block paste)
    )
    paste_keys: str = "ctrl+v"
    app_paste_keys: dict[str, str] = field(default_factory=dict)  # process name -> paste keys
    clipboard_restore_ms: int = (
        400  # fallback wait when the platform cannot tell us the paste was read
    )
    shop_facts: dict[str, str] = field(
        default_factory=dict
    )  # {{shop}}, {{return_days}} ... overrides
    typing_speed_cjk_cpm: int = 50
    typing_speed_latin_wpm: int = 40
    usage_retention_months: int = 12
    reply_speed_tracking: bool = False
    record_window_titles: bool = False
    subscription_check_minutes: int = 30

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
        """Return the paste combination for an application (per-app override or the default)."""
        if process_name and process_name.lower() in self.app_paste_keys:
            return self.app_paste_keys[process_name.lower()]
        return self.paste_keys


def validate_settings(settings: Settings) -> None:
    """Raise ValidationError listing every setting with a bad value."""
    problems: list[str] = []
    for name in ("palette_hotkey", "suggest_hotkey", "paste_keys"):
        try:
            normalize_hotkey(getattr(settings, name))
        except ValidationError as exc:
            problems.append(f"{name}: {exc}")
    if settings.suggest_hotkey == settings.palette_hotkey:
        problems.append("suggest_hotkey: already the search palette hotkey")
    if settings.language not in ("auto", "zh-CN", "en"):
        problems.append("language: use auto, zh-CN or en")
    if settings.insert_mode not in ("paste", "type"):
        problems.append("insert_mode: use paste or type")
    if settings.hotkey_backend not in ("auto", "x11", "keyboard"):
        problems.append("hotkey_backend: use auto, x11 or keyboard")
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
            return "zh-CN" if value.lower().startswith("zh") else "en"
    code = locale.getlocale()[0] or ""
    return "zh-CN" if code.lower().startswith(("zh", "chinese")) else "en"


def app_hotkeys(settings: Settings) -> list[str]:
    """Return the hotkeys QuickReply itself holds (palette, suggest): no snippet may take them."""
    return [settings.palette_hotkey, settings.suggest_hotkey]


def load_settings(store: Any) -> Settings:
    """Return the Settings stored in `store` (a LibraryStore), defaults filled in."""
    return Settings.from_stored(store.settings())


def save_settings(store: Any, settings: Settings) -> None:
    """Validate and store `settings`; raise ValidationError naming every bad value."""
    validate_settings(settings)
    store.set_settings(**settings.to_stored())
