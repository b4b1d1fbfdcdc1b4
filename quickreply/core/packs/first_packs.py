"""The default packs a new library gets: the one of the agent's language, not both.

An English agent gets the English replies, a Chinese agent the Chinese ones; the other pack stays
one menu click away (tray menu "Add the … replies"). The default hotkeys (Shift+F1 …,
Alt+Shift+1 …) are written in the zh-CN pack; the pack of another language gets them on its
snippets and categories with the same local id. IT images for bilingual teams install both by
setting QUICKREPLY_DEFAULT_PACKS=zh-CN,en (docs/packs.md).
"""

from __future__ import annotations

import os
from dataclasses import replace

from quickreply.core.language import normalize_language
from quickreply.core.library import paths
from quickreply.core.library.settings import load_settings
from quickreply.core.library.store import LibraryStore
from quickreply.core.packs.file import read_pack_source
from quickreply.core.packs.format import Pack, load_pack
from quickreply.core.packs.install import install_pack

DEFAULT_PACKS_ENV = "QUICKREPLY_DEFAULT_PACKS"
_HOTKEY_PACK = "zh-CN"  # the folder whose pack carries the default hotkeys


def first_pack_languages(store: LibraryStore) -> list[str]:
    """Return the languages whose default packs a new library gets: QUICKREPLY_DEFAULT_PACKS
    (comma separated) when set, else the interface language (the system locale's on a new
    library)."""
    listed = os.environ.get(DEFAULT_PACKS_ENV, "").split(",")
    chosen = [normalize_language(name.strip()) for name in listed if name.strip()]
    return list(dict.fromkeys(chosen)) or [load_settings(store).ui_language()]


def install_first_packs(store: LibraryStore) -> None:
    """Install the default packs of `first_pack_languages` into a new library, with the default
    hotkeys on the agent's language's replies."""
    # not defaults.default_pack_dirs: defaults.open_library calls this (no import circle)
    root = paths.resources_dir() / "packs"
    folders = {f.name: f for f in root.iterdir() if (f / "pack.yaml").exists()}
    languages = [lang for lang in first_pack_languages(store) if lang in folders]
    for language in languages:
        source = read_pack_source(folders[language])  # the pack with its images
        install_pack(store, source.pack, source=f"default:{language}", assets=source.assets)
    if _HOTKEY_PACK not in languages and languages and _HOTKEY_PACK in folders:
        hotkeys = load_pack(folders[_HOTKEY_PACK])
        bind_default_hotkeys(store, load_pack(folders[languages[0]]).id, hotkeys)


def _local(item_id: str) -> str:
    return item_id.partition("/")[2]


def bind_default_hotkeys(store: LibraryStore, pack_id: str, hotkeys: Pack) -> None:
    """Give `pack_id`'s snippets and categories the hotkeys their twins (same local id) have in
    the pack `hotkeys`; a snippet that has a hotkey, or a combination already used, is skipped."""
    taken = {s.hotkey for s in store.snippets() if s.hotkey}
    taken |= {c.hotkey for c in store.categories() if c.hotkey}
    wanted = {_local(s.id): s.hotkey for s in hotkeys.snippets if s.hotkey}
    with store.batch():  # snippets: one write
        for snippet in store.snippets():
            combo = wanted.get(_local(snippet.id))
            if snippet.pack_id == pack_id and combo and not snippet.hotkey and combo not in taken:
                store.update(replace(snippet, hotkey=combo), allow_locked=True)
                taken.add(combo)
    wanted = {_local(c.id): c.hotkey for c in hotkeys.categories if c.hotkey}
    for category in store.categories():  # one write each: checked against the stored categories
        combo = wanted.get(_local(category.id))
        if category.pack_id == pack_id and combo and not category.hotkey and combo not in taken:
            store.save_category(replace(category, hotkey=combo))
            taken.add(combo)
