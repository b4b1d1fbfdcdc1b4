"""Settings with their defaults, stored in the library's settings table."""

from __future__ import annotations

import locale
import os
import re
from dataclasses import asdict, dataclass, field, fields
from typing import TYPE_CHECKING, Any, Literal, get_args

from quickreply.core.abbrev_match import EndKey
from quickreply.core.app_rules import (
    IMAGE_PASTE_MODES,
    NEWLINE_KEYS,
    PASTE_KEYS,
    SEND_KEYS,
    AppBehaviour,
    Defaults,
    ImagePasteMode,
    InsertMode,
    NewlineKeys,
    SendKeys,
    default_rule_dicts,
    parse_rules,
    resolve,
    rule_problems,
)
from quickreply.core.errors import ValidationError
from quickreply.core.hotkey import normalize_hotkey, parse_keys, reserved_hotkey_reason
from quickreply.core.language import Language, normalize_language
from quickreply.core.render import DEFAULT_MAX_RENDERED_CHARS, SHOP_FACTS, default_values

if TYPE_CHECKING:
    from quickreply.core.library.store import LibraryStore

LanguageChoice = Literal["auto", "zh-CN", "en"]  # "auto": the system locale's
HotkeyBackendChoice = Literal["auto", "x11", "win32", "keyboard"]
Switch = Literal["on", "off"]


@dataclass(frozen=True)
class Settings:
    """Every setting QuickReply reads. Unknown stored keys are kept but ignored."""

    language: LanguageChoice = "auto"
    palette_hotkey: str = "ctrl+alt+space"
    # reads the selected buyer message and opens the palette with suggested replies; Ctrl+Shift
    # (no Alt) so it is never AltGr on European keyboard layouts
    suggest_hotkey: str = "ctrl+shift+space"
    hotkey_backend: HotkeyBackendChoice = "auto"
    insert_mode: InsertMode = "paste"  # clipboard + paste keys, or "type" for apps that block paste
    paste_keys: str = "ctrl+v"
    app_paste_keys: dict[str, str] = field(default_factory=dict)  # process name -> paste keys
    # a snippet's images: "separate" pastes, one "combined" HTML paste, or "text_only" (none);
    # an app rule's image_paste_mode overrides it
    image_paste_mode: ImagePasteMode = "separate"
    send_keys: SendKeys = "enter"  # auto-send presses this, unless the app's rule says otherwise
    newline_keys: NewlineKeys = "shift+enter"  # a new line when typing (type mode), same
    app_rules: list[dict[str, Any]] = field(default_factory=default_rule_dicts)  # core.app_rules
    only_chat_apps: bool = False  # hotkeys and abbreviations only in the rules marked chat
    abbreviations: Switch = (
        "off"  # "on": typing a snippet's abbreviation and the end key expands it
    )
    abbreviation_end_key: EndKey = "space"  # "none": expand at once
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
    agent_id: str = ""  # random, created on first run (core/library/agent.py); groups team reports
    pack_author: str = ""  # a lead's name, remembered for the next pack export
    pack_signing_key: str = ""  # a lead's signing key file, remembered for the next export
    welcome_shown: bool = False  # the first-run welcome window was shown (tray: Welcome / help)
    limits_notice_shown: bool = False  # the session's limits (Wayland) were told in a tray message
    max_rendered_chars: int = DEFAULT_MAX_RENDERED_CHARS  # {{clipboard}} cannot paste a novel
    download_deadline_s: float = 60.0  # a whole pack or index download, however slow the server
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

    def ui_language(self) -> Language:
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

    def app_behaviour(
        self, process_name: str | None, window_class: str = "", title: str = ""
    ) -> AppBehaviour:
        """Return how to insert into a window of this application (its rule, else the defaults)."""
        defaults = Defaults(
            paste_keys=self.paste_keys,
            send_keys=self.send_keys,
            newline_keys=self.newline_keys,
            insert_mode=self.insert_mode,
            only_chat_apps=self.only_chat_apps,
            app_paste_keys=self.app_paste_keys,
            image_paste_mode=self.image_paste_mode,
        )
        return resolve(parse_rules(self.app_rules), defaults, process_name, window_class, title)


CHOICES: dict[str, tuple[str, ...]] = {
    "language": get_args(LanguageChoice),
    "hotkey_backend": get_args(HotkeyBackendChoice),
    "insert_mode": get_args(InsertMode),
    "image_paste_mode": IMAGE_PASTE_MODES,
    "send_keys": SEND_KEYS,
    "newline_keys": NEWLINE_KEYS,
    "abbreviations": get_args(Switch),
    "abbreviation_end_key": get_args(EndKey),
}
NUMBER_RANGES: dict[str, tuple[int, int]] = {
    "clipboard_restore_ms": (50, 5000),
    "typing_speed_cjk_cpm": (1, 600),  # the bounds `quickreply calibrate` can measure
    "typing_speed_latin_wpm": (1, 300),
    "usage_retention_months": (1, 120),
    "subscription_check_minutes": (5, 24 * 60),
    "trigger_fresh_ms": (100, 10_000),
    "max_rendered_chars": (1, 10_000_000),
    "team_publish_minutes": (1, 24 * 60),
}
FLAGS = (
    "reply_speed_tracking",
    "record_window_titles",
    "only_chat_apps",
    "welcome_shown",
    "limits_notice_shown",
)
# shop facts that are counts: whole numbers in this range (an empty value means the default)
FACT_RANGES: dict[str, tuple[int, int]] = {
    "return_days": (0, 365),
    "refund_days": (0, 90),
    "price_protect_days": (0, 365),
    "close_hours": (1, 24 * 30),
}
_SERVICE_HOURS = re.compile(r"^([01]?\d|2[0-4]):[0-5]\d\s*[-–~至]\s*([01]?\d|2[0-4]):[0-5]\d$")


def shop_fact_problem(name: str, value: str) -> str | None:
    """Return what is wrong with `value` for the shop fact `name`, or None (empty is fine)."""
    value = value.strip()
    if not value:
        return None
    if name in FACT_RANGES:
        low, high = FACT_RANGES[name]
        if not value.isdigit() or not low <= int(value) <= high:
            return f"use a whole number from {low} to {high} (got '{value}')"
    if name == "service_hours" and not _SERVICE_HOURS.match(value):
        return f"use a time range like 09:00-23:00 (got '{value}')"
    return None


def team_drop_problems(drop: str, user: str) -> list[str]:
    """Return what is wrong with a team drop (a folder or an http(s) WebDAV URL) and its user."""
    problems: list[str] = []
    if not isinstance(drop, str) or not isinstance(user, str):
        return ["team_drop: use a folder or an http(s) WebDAV URL (text)"]
    location = drop.strip()
    if any(ord(c) < 32 for c in drop):
        problems.append("team_drop: no line breaks or control characters")
    elif "://" in location and not location.lower().startswith(("http://", "https://")):
        problems.append("team_drop: use a folder or an http(s) WebDAV URL")
    elif location.lower().startswith(("http://", "https://")):
        host = location.split("://", 1)[1].split("/", 1)[0]
        if not host or "@" in host:
            problems.append("team_drop: give the URL's server (a user name goes in team_drop_user)")
    if any(ord(c) < 32 for c in user) or ":" in user:
        problems.append("team_drop_user: no colons, line breaks or control characters")
    return problems


def validate_settings(settings: Settings) -> None:
    """Raise ValidationError listing every setting with a bad value."""
    problems: list[str] = []
    for name in ("palette_hotkey", "suggest_hotkey"):
        combo = getattr(settings, name)
        try:
            normalize_hotkey(combo)
        except ValidationError as exc:
            problems.append(f"{name}: {exc}")
            continue
        reserved = reserved_hotkey_reason(_canonical(combo))
        if reserved:
            problems.append(f"{name}: {combo} is reserved for {reserved}")
    if _canonical(settings.suggest_hotkey) == _canonical(settings.palette_hotkey):
        problems.append("suggest_hotkey: already the search palette hotkey")
    try:
        if (
            str(parse_keys(settings.paste_keys)) not in PASTE_KEYS
        ):  # Shift+Insert: sent, not grabbed
            normalize_hotkey(settings.paste_keys)
    except ValidationError as exc:
        problems.append(f"paste_keys: {exc}")
    problems.extend(rule_problems(settings.app_rules))
    for app, keys in settings.app_paste_keys.items():
        try:
            if str(parse_keys(keys)) not in PASTE_KEYS:
                normalize_hotkey(keys)
        except ValidationError as exc:
            problems.append(f"app_paste_keys[{app}]: {exc}")
    for name, allowed in CHOICES.items():
        if getattr(settings, name) not in allowed:
            problems.append(f"{name}: use {', '.join(allowed[:-1])} or {allowed[-1]}")
    for name, (low, high) in NUMBER_RANGES.items():
        value = getattr(settings, name)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            problems.append(f"{name}: use a whole number from {low} to {high}")
    for name in FLAGS:
        if not isinstance(getattr(settings, name), bool):
            problems.append(f"{name}: use true or false")
    if not isinstance(settings.download_deadline_s, (int, float)) or not (
        0 < settings.download_deadline_s <= 3600
    ):
        problems.append("download_deadline_s: use a number of seconds from 1 to 3600")
    problems.extend(team_drop_problems(settings.team_drop, settings.team_drop_user))
    unknown = sorted(set(settings.shop_facts) - set(SHOP_FACTS))
    if unknown:
        problems.append(f"shop_facts: unknown fact {unknown[0]} (known: {', '.join(SHOP_FACTS)})")
    problems.extend(
        f"shop_facts.{name}: {problem}"
        for name, value in settings.shop_facts.items()
        if (problem := shop_fact_problem(name, str(value)))
    )
    if problems:
        raise ValidationError(problems)


def _canonical(combo: str) -> str:
    try:
        return normalize_hotkey(combo)
    except ValidationError:
        return combo  # reported by the hotkey check above


def system_language() -> Language:
    """Return 'zh-CN' when the system locale is Chinese, else 'en'."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var)
        if value:
            return normalize_language(value)
    return normalize_language(locale.getlocale()[0] or "")


def app_hotkeys(settings: Settings) -> list[str]:
    """Return the hotkeys QuickReply itself holds (palette, suggest): no snippet may take them."""
    return [settings.palette_hotkey, settings.suggest_hotkey]


def load_settings(store: LibraryStore) -> Settings:
    """Return the Settings stored in `store` (a LibraryStore), defaults filled in."""
    return Settings.from_stored(store.settings())


def save_settings(store: LibraryStore, settings: Settings) -> None:
    """Validate and store `settings`; raise ValidationError naming every bad value."""
    validate_settings(settings)
    store.set_settings(**settings.to_stored())
