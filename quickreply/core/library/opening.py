"""Opening the library the way every entry point does: the store, seeded on first start."""

from __future__ import annotations

import re
from pathlib import Path

from quickreply.core.library.model import Snippet
from quickreply.core.library.store import LibraryStore
from quickreply.core.packs.format import install_default_packs

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def open_library(path: Path | None = None) -> LibraryStore:
    """Open (or create) the library; a new one gets the default zh-CN and English packs."""
    store = LibraryStore(path)
    if store.created:
        install_default_packs(store)
    return store


def snippet_language(store: LibraryStore, snippet: Snippet, fallback: str = "zh-CN") -> str:
    """Return the language a snippet is written in: its pack's, else Chinese if its text has CJK
    characters, else `fallback`."""
    if snippet.pack_id:
        for record in store.pack_records():
            if record["id"] == snippet.pack_id and record.get("language"):
                return str(record["language"])
    if _CJK.search(snippet.title + snippet.body):
        return "zh-CN"
    return fallback
