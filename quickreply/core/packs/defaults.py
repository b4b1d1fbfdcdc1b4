"""The default packs (zh-CN and English) shipped in resources/, and opening the library the way
every entry point does: the store, seeded with them on first start.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from quickreply.core.library import paths
from quickreply.core.library.agent import ensure_agent_id
from quickreply.core.library.store import LibraryStore

if TYPE_CHECKING:
    from quickreply.core.packs.install import InstallResult


def default_pack_dirs() -> list[Path]:
    """Return the folders of the default packs shipped in resources/packs (zh-CN first)."""
    root = paths.resources_dir() / "packs"
    return sorted(
        (p for p in root.iterdir() if (p / "pack.yaml").exists()),
        key=lambda p: (p.name != "zh-CN", p.name),
    )


def install_default_packs(
    store: LibraryStore, *, restore_deleted: bool = False, add: Sequence[str] = ()
) -> list[InstallResult]:
    """(Re)install the default packs installed now, and those of the languages in `add` ('zh-CN',
    'en'); a library with none gets the agent's language's (core/packs/first_packs.py). The
    agent's personal snippets and edits are kept, and default snippets the agent deleted stay
    deleted unless `restore_deleted`."""
    # imported here: an existing library opens without the pack format code (YAML, schemas)
    from quickreply.core.packs.file import read_pack_source
    from quickreply.core.packs.first_packs import first_pack_languages

    folders = {folder.name: folder for folder in default_pack_dirs()}
    sources = {name: read_pack_source(folder) for name, folder in folders.items()}
    installed = {r.id for r in store.pack_records()}
    chosen = [
        lang for lang, source in sources.items() if source.pack.id in installed or lang in add
    ]
    if not chosen:
        chosen = [lang for lang in first_pack_languages(store) if lang in sources]
    if restore_deleted:
        for language in chosen:
            if store.pack_record(sources[language].pack.id) is not None:
                store.set_pack_record(sources[language].pack.id, removed_by_agent=[])
    return [install_default_pack(store, folders[language]) for language in chosen]


def install_default_pack(store: LibraryStore, folder: Path) -> InstallResult:
    """Install the default pack in `folder` with its images (assets/ beside pack.yaml)."""
    from quickreply.core.packs.file import read_pack_source
    from quickreply.core.packs.install import install_pack

    source = read_pack_source(folder)
    return install_pack(store, source.pack, source=f"default:{folder.name}", assets=source.assets)


def open_library(path: Path | None = None) -> LibraryStore:
    """Open (or create) the library; a new one gets the default pack of the agent's language
    (core/packs/first_packs.py) and a random agent id."""
    store = LibraryStore(path)
    if store.created:
        from quickreply.core.packs.first_packs import install_first_packs

        install_first_packs(store)
        ensure_agent_id(store)
    return store
