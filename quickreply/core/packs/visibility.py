"""Which installed packs the tray menu shows, and the default packs that can be added again.

A hidden pack stays installed and searchable, but its categories leave the tray menu and its
hotkeys are not registered (a Chinese agent hides the English replies: 13 submenus fewer, and
Shift+F1 stays Chinese). `hidden` lives in the pack's record and survives updates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from quickreply.core.errors import NotFoundError
from quickreply.core.library.store import Change, LibraryStore
from quickreply.core.packs.defaults import default_pack_dirs, install_default_pack
from quickreply.core.packs.format import load_pack
from quickreply.core.safe_load import load_yaml

# the first top-level key after the manifest fields in a shipped pack.yaml
_MANIFEST_END = re.compile(r"^(?:categories|snippets):", re.MULTILINE)
# `id: …` / `name: …` written as plain one-line values (no quotes, flow, tags, comments or
# ": " inside): read without the YAML parser; anything else goes through it
_PLAIN_FIELD = re.compile(
    r"^(id|name):[ \t]+([^\s'\"&*!|>%@`{\[#,?:-](?:(?!: | #).)*?)[ \t]*$", re.MULTILINE
)


@dataclass(frozen=True)
class DefaultPack:
    """A default pack shipped with QuickReply (resources/packs/<language>)."""

    language: str
    pack_id: str
    name: str


def hidden_packs(store: LibraryStore) -> set[str]:
    """Return the ids of installed packs hidden from the tray menu."""
    return {r.id for r in store.pack_records() if r.hidden}


def set_pack_hidden(store: LibraryStore, pack_id: str, hidden: bool) -> None:
    """Hide `pack_id` from the tray menu (and its hotkeys), or show it again."""
    store.set_pack_record(pack_id, hidden=hidden)


def default_packs() -> list[DefaultPack]:
    """Return the default packs QuickReply ships (zh-CN first)."""
    return [_default_pack(folder) for folder in default_pack_dirs()]


@cache
def _default_pack(folder: Path) -> DefaultPack:
    """Read a shipped pack's id and name from its manifest lines, once per process.

    The tray asks on every menu rebuild; parsing the whole pack costs about 250 ms a pack (the
    hostile-input-safe YAML reader is pure Python), the lines above its categories under 1 ms,
    and plain `id:` and `name:` lines need no YAML parser at all (none is loaded at start-up).
    """
    text = (folder / "pack.yaml").read_text(encoding="utf-8")
    head = _MANIFEST_END.split(text, maxsplit=1)[0]
    plain = dict(_PLAIN_FIELD.findall(head))
    if "id" in plain:
        return DefaultPack(folder.name, plain["id"], plain.get("name", ""))
    manifest = load_yaml(head, f"{folder.name}/pack.yaml")
    if isinstance(manifest, dict) and isinstance(manifest.get("id"), str):
        return DefaultPack(folder.name, manifest["id"], str(manifest.get("name") or ""))
    pack = load_pack(folder)  # laid out differently: read it whole
    return DefaultPack(folder.name, pack.id, pack.manifest.name)


def missing_default_packs(store: LibraryStore) -> list[DefaultPack]:
    """Return the default packs that are not installed (removed, or never added)."""
    installed = {r.id for r in store.pack_records()}
    return [p for p in default_packs() if p.pack_id not in installed]


def add_default_pack(store: LibraryStore, language: str) -> Change:
    """Install the default pack of `language` ('zh-CN' or 'en'); return the change."""
    for folder in default_pack_dirs():
        if folder.name == language:
            return install_default_pack(store, folder).change
    raise NotFoundError(f"no default pack for {language}")


def prefer_default_pack(store: LibraryStore, language: str) -> None:
    """Make the default pack of `language` the one in the menu and on the default hotkeys.

    The other default packs are hidden (still installed: "Show in this menu" brings them back),
    and the default hotkeys they hold (Shift+F1 …, Alt+Shift+1 …) move to the same replies and
    categories of this pack (the default packs share their local ids). Called when the agent
    chooses a language (settings dialog, `quickreply settings set language`, the first-run
    welcome). Personal snippets and hotkeys on other packs are not touched.
    """
    packs = {p.language: p for p in default_packs()}
    if language not in packs:
        raise NotFoundError(f"no default pack for {language}")
    if store.pack_record(packs[language].pack_id) is None:
        add_default_pack(store, language)
    chosen = packs[language].pack_id
    others = [p.pack_id for p in packs.values() if p.pack_id != chosen]
    for pack_id in others:
        if store.pack_record(pack_id) is not None:
            set_pack_hidden(store, pack_id, True)
            _move_hotkeys(store, pack_id, chosen)
    set_pack_hidden(store, chosen, False)


def _local(item_id: str) -> str:
    return item_id.partition("/")[2]


def _move_hotkeys(store: LibraryStore, source: str, target: str) -> None:
    """Move hotkeys from `source`'s snippets and categories to `target`'s with the same local id."""
    targets = {_local(s.id): s for s in store.snippets() if s.pack_id == target}
    with store.batch():  # snippets: one write
        for snippet in [s for s in store.snippets() if s.pack_id == source and s.hotkey]:
            twin = targets.get(_local(snippet.id))
            if twin is not None and not twin.hotkey:
                store.update(replace(snippet, hotkey=None), allow_locked=True)
                store.update(replace(twin, hotkey=snippet.hotkey), allow_locked=True)
    # categories one write each: the store checks a category against the categories stored
    categories = {_local(c.id): c for c in store.categories() if c.pack_id == target}
    for category in [c for c in store.categories() if c.pack_id == source and c.hotkey]:
        twin_category = categories.get(_local(category.id))
        if twin_category is not None and not twin_category.hotkey:
            store.save_category(replace(category, hotkey=None))
            store.save_category(replace(twin_category, hotkey=category.hotkey))
