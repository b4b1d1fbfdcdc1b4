"""Installing a parsed pack into the library in one write, and taking it out again; personal
snippets and the agent's own hotkeys and abbreviations are never touched.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from quickreply.core.errors import NotFoundError
from quickreply.core.hotkey import RESERVED_HOTKEYS
from quickreply.core.library.model import Snippet, now_iso
from quickreply.core.library.pack_record import PackRecord
from quickreply.core.library.store import Change, LibraryStore
from quickreply.core.packs.assets import install_images
from quickreply.core.packs.format import (
    Pack,
    PackManifest,
)
from quickreply.core.packs.overrides import keep_agent_changes


@dataclass
class InstallResult:
    """What installing a pack changed, and anything the agent should know (dropped hotkeys ...)."""

    change: Change
    warnings: list[str] = field(default_factory=list)


def install_pack(
    store: LibraryStore,
    pack: Pack,
    source: str | None = None,
    *,
    record_extra: dict[str, Any] | None = None,
    assets: dict[str, bytes] | None = None,
) -> InstallResult:
    """Install or update `pack` in one atomic write; personal snippets are never touched.

    On an update, a hotkey or abbreviation the agent set on an unlocked pack snippet is kept; on a
    locked snippet the pack's value wins. A pack hotkey or abbreviation that another snippet of the
    library already uses is dropped from the pack's snippet (the agent's own choice wins) and
    reported in the result's warnings. `record_extra` adds fields (sha256, key_id ...) to the
    pack's record. The snippets' images are copied from the pack's `assets` into the asset store
    first (core/packs/assets.py). Raises StorageError when the library cannot be written, or
    ValidationError for a bad or missing image (nothing changes then).
    """
    record = installed_record(store, pack.id)
    current = {s.id: s for s in store.snippets() if s.pack_id == pack.id}
    personal = _personal_keys(pack, current, _installed_keys(record, current))
    others = [s for s in store.snippets() if s.pack_id != pack.id]
    taken: dict[str, dict[str, str]] = {
        "hotkey": {s.hotkey: s.title for s in others if s.hotkey},
        "abbrev": {s.abbrev: s.title for s in others if s.abbrev},
    }
    taken["hotkey"].update(
        {c.hotkey: c.name for c in store.categories() if c.hotkey and c.pack_id != pack.id}
    )
    taken["hotkey"].update({combo: "QuickReply" for combo in store.reserved_hotkeys()})
    taken["hotkey"].update({combo: "the system (reserved)" for combo in RESERVED_HOTKEYS})
    for sid, values in personal.items():
        for name, value in values.items():
            if value:
                taken[name].setdefault(value, current[sid].title)
    warnings: list[str] = []
    snippets: list[Snippet] = []
    written: dict[str, list[str | None]] = {}
    for snippet in pack.snippets:
        own = personal.get(snippet.id, {})
        changes: dict[str, Any] = dict(own)
        # what the pack put there: a later value differing from it is the agent's own choice
        as_installed = {"hotkey": snippet.hotkey, "abbrev": snippet.abbrev}
        for name, label in (("hotkey", "hotkey"), ("abbrev", "abbreviation")):
            value = as_installed[name]
            if name not in own and value and value in taken[name]:
                warnings.append(
                    f"'{snippet.title}': {label} {value} kept by '{taken[name][value]}'"
                )
                changes[name] = None
                as_installed[name] = None
        if as_installed["hotkey"] or as_installed["abbrev"]:
            written[snippet.id] = [as_installed["hotkey"], as_installed["abbrev"]]
        snippets.append(replace(snippet, **changes) if changes else snippet)
    categories = []
    for category in pack.categories:
        if category.hotkey and category.hotkey in taken["hotkey"]:
            warnings.append(
                f"category '{category.name}': hotkey {category.hotkey} kept by "
                f"'{taken['hotkey'][category.hotkey]}'"
            )
            category = replace(category, hotkey=None)
        categories.append(category)
    snippets, agent_changes = keep_agent_changes(record, current, snippets, categories)
    new_record = {
        **{k: v for k, v in pack.manifest.to_dict().items() if k != "id"},
        "source": source,
        "installed": now_iso(),
        "installed_keys": written,
        "synonyms": pack.synonyms,
        **agent_changes,
        **(record_extra or {}),
    }
    install_images(store.assets, pack, assets)
    new = PackRecord.from_dict({**new_record, "id": pack.id})
    change = store.replace_pack_content(pack.id, categories, snippets, new)
    return InstallResult(change, warnings)


def _installed_keys(
    record: PackRecord | None, current: dict[str, Snippet]
) -> dict[str, tuple[str | None, str | None]]:
    """Return the hotkey and abbreviation each pack snippet got when it was installed."""
    if record is None or record.installed_keys is None:
        # installed before this was recorded: take today's values as the pack's own
        return {sid: (s.hotkey, s.abbrev) for sid, s in current.items()}
    return {sid: (pair[0], pair[1]) for sid, pair in record.installed_keys.items()}


def _personal_keys(
    pack: Pack,
    current: dict[str, Snippet],
    installed: dict[str, tuple[str | None, str | None]],
) -> dict[str, dict[str, str | None]]:
    """Return, per unlocked pack snippet, the hotkey/abbreviation the agent changed since install."""
    personal: dict[str, dict[str, str | None]] = {}
    for snippet in pack.snippets:
        old = current.get(snippet.id)
        if old is None or snippet.locked:
            continue
        was_hotkey, was_abbrev = installed.get(snippet.id, (None, None))
        own: dict[str, str | None] = {}
        if old.hotkey != was_hotkey:
            own["hotkey"] = old.hotkey
        if old.abbrev != was_abbrev:
            own["abbrev"] = old.abbrev
        if own:
            personal[snippet.id] = own
    return personal


def installed_record(store: LibraryStore, pack_id: str) -> PackRecord | None:
    """Return the record of the installed pack `pack_id`, or None when it is not installed."""
    return next((r for r in store.pack_records() if r.id == pack_id), None)


def installed_pack(store: LibraryStore, pack_id: str) -> Pack | None:
    """Return the installed pack as the lead published it (the agent's own keys left out), or None."""
    record = installed_record(store, pack_id)
    if record is None:
        return None
    current = {s.id: s for s in store.snippets() if s.pack_id == pack_id}
    keys = _installed_keys(record, current)
    snippets = [
        replace(s, hotkey=keys.get(sid, (None, None))[0], abbrev=keys.get(sid, (None, None))[1])
        for sid, s in current.items()
    ]
    manifest = PackManifest(
        id=pack_id,
        name=record.title,
        version=record.version or "0.0.0",
        author=record.author,
        description=record.description,
        language=record.language or "zh-CN",
        min_app_version=record.min_app_version or "0.1.0",
        created=record.created,
    )
    categories = [c for c in store.categories() if c.pack_id == pack_id]
    return Pack(manifest, categories, snippets, list(record.synonyms))


def pack_clash(store: LibraryStore, pack: Pack, source: str | None) -> str | None:
    """Return why `pack` may not replace an installed pack of the same id from elsewhere, or None."""
    record = installed_record(store, pack.id)
    if record is None or not record.source or not source or record.source == source:
        return None
    return (
        f"pack id '{pack.id}' is already used by '{record.name}' {record.version} "
        f"installed from {record.source}; remove it first (`quickreply pack remove {pack.id}`) "
        "or install with --replace"
    )


def uninstall_pack(store: LibraryStore, pack_id: str) -> Change:
    """Remove exactly the pack's categories, snippets and record; raise NotFoundError if absent."""
    if installed_record(store, pack_id) is None:
        raise NotFoundError(f"no pack '{pack_id}' is installed (see `quickreply pack list`)")
    return store.replace_pack_content(pack_id, [], [], None)
