"""Which installed packs the tray menu shows, and the default packs that can be added again.

A hidden pack stays installed and searchable, but its categories leave the tray menu and its
hotkeys are not registered (a Chinese agent hides the English replies: 13 submenus fewer, and
Shift+F1 stays Chinese). `hidden` lives in the pack's record and survives updates.
"""

from __future__ import annotations

from dataclasses import dataclass

from quickreply.core.errors import NotFoundError
from quickreply.core.library.store import Change, LibraryStore
from quickreply.core.packs.defaults import default_pack_dirs
from quickreply.core.packs.format import load_pack
from quickreply.core.packs.install import install_pack


@dataclass(frozen=True)
class DefaultPack:
    """A default pack shipped with QuickReply (resources/packs/<language>)."""

    language: str
    pack_id: str
    name: str


def hidden_packs(store: LibraryStore) -> set[str]:
    """Return the ids of installed packs hidden from the tray menu."""
    return {str(r["id"]) for r in store.pack_records() if r.get("hidden")}


def set_pack_hidden(store: LibraryStore, pack_id: str, hidden: bool) -> None:
    """Hide `pack_id` from the tray menu (and its hotkeys), or show it again."""
    store.set_pack_record(pack_id, hidden=hidden)


def default_packs() -> list[DefaultPack]:
    """Return the default packs QuickReply ships (zh-CN first)."""
    packs = []
    for folder in default_pack_dirs():
        pack = load_pack(folder)
        packs.append(DefaultPack(folder.name, pack.id, pack.manifest.name))
    return packs


def missing_default_packs(store: LibraryStore) -> list[DefaultPack]:
    """Return the default packs that are not installed (removed, or never added)."""
    installed = {r["id"] for r in store.pack_records()}
    return [p for p in default_packs() if p.pack_id not in installed]


def add_default_pack(store: LibraryStore, language: str) -> Change:
    """Install the default pack of `language` ('zh-CN' or 'en'); return the change."""
    for folder in default_pack_dirs():
        if folder.name == language:
            return install_pack(store, load_pack(folder), source=f"default:{folder.name}").change
    raise NotFoundError(f"no default pack for {language}")
