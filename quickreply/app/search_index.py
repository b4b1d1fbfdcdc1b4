"""The search index of the running app, built on a worker thread after the hotkeys exist.

Building the pinyin/fuzzy index takes hundreds of milliseconds on a large library; on the Qt main
thread that delayed the first hotkey presses after start-up (and pasted them while the agent was
already pressing the next one). `IndexBuilder` builds it in the background and hands the result
to the main thread in one step; until then `current()` is a `PlainSearch`, which never blocks.
A large change later (a pack installed or updated, the library reloaded after another process
wrote it) is indexed on the worker too: the index answers as it was until the new one takes over.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Union

from PySide6.QtCore import QObject, Signal

from quickreply.core.library import paths
from quickreply.core.library.model import Category, Snippet
from quickreply.core.library.store import Change, LibraryStore
from quickreply.core.search.pinyin import add_known_readings, known_readings
from quickreply.core.search.plain import PlainSearch
from quickreply.core.search.reading_cache import CACHE_NAME, load_reading_cache, save_reading_cache
from quickreply.platform.memory import release_free_memory

if TYPE_CHECKING:
    from quickreply.core.search.index import SearchIndex, UsageStats

log = logging.getLogger(__name__)
Searcher = Union["SearchIndex", PlainSearch]  # what the palette and manager query
# A change to more snippets than this (a pack installed or updated, the library changed by another
# process) is indexed on the worker thread: about 75 µs a snippet on the main thread otherwise.
_APPLY_LIMIT = 20


class IndexBuilder(QObject):
    """Owns the app's search index: plain search until the full index is ready, then the index."""

    ready = Signal(object)  # the SearchIndex, on the main thread
    _built = Signal(object)  # worker thread -> main thread

    def __init__(self, store: LibraryStore, usage: UsageStats | None = None) -> None:
        super().__init__()
        self.store = store
        self.usage = usage
        self.index: SearchIndex | None = None
        self._building = False
        self._meanwhile: list[Change] = []  # changes made while a build was running
        self._readings_path = paths.data_dir() / CACHE_NAME
        self._readings_stored = -1  # pypinyin look-ups stored so far (-1: nothing read yet)
        self._built.connect(self._on_built)
        store.add_listener(self._on_change)

    def start(self) -> None:
        """Start building in the background (a snapshot of the library is taken now); while a
        build runs, another one follows it."""
        if self._building:
            self._meanwhile.append(Change(reloaded=True))
            return
        self._building = True
        self._meanwhile = []
        snippets, categories = self.store.snippets(), self.store.categories()
        threading.Thread(
            target=self._build, args=(snippets, categories), name="search-index", daemon=True
        ).start()

    def current(self) -> SearchIndex | PlainSearch:
        """The full index when ready, else a plain search over the library as it is now."""
        if self.index is not None:
            return self.index
        return PlainSearch(self.store)

    def when_ready(self, callback: Callable[[SearchIndex], None]) -> None:
        """Call `callback` with the index now if it is ready, else once it is."""
        if self.index is not None:
            callback(self.index)
        else:
            self.ready.connect(callback)

    def _build(self, snippets: list[Snippet], categories: list[Category]) -> None:
        try:
            # imported here: rapidfuzz (and pypinyin, for characters not stored) load on this
            # thread, not the main one
            from quickreply.core.search.index import SearchIndex

            self._take_stored_readings()
            index = SearchIndex(snippets, categories, self.usage)
            index.prepare()
            self._store_new_readings()
        except Exception:  # noqa: BLE001 - the palette keeps working with plain search
            log.exception("building the search index failed")
            index = None
        self._built.emit(index)

    def _take_stored_readings(self) -> None:
        """Before the first build: the pinyin readings stored by earlier starts."""
        if self._readings_stored < 0:
            add_known_readings(load_reading_cache(self._readings_path))
            self._readings_stored = 0

    def _store_new_readings(self) -> None:
        """After a build that had to look characters up: store every reading known now."""
        readings, looked_up = known_readings()
        if looked_up > self._readings_stored:
            save_reading_cache(self._readings_path, readings)
            self._readings_stored = looked_up

    def _on_built(self, index: SearchIndex | None) -> None:
        self._building = False
        meanwhile, self._meanwhile = self._meanwhile, []
        if index is not None:
            if self.index is None:
                self.index = index
                self.ready.emit(index)
            else:
                self.index.take_over(index)
        if self.index is None:
            return  # the first build failed (logged): plain search goes on
        if _is_large(meanwhile):
            self.start()  # catch up in the background; the index answers as it is meanwhile
        else:
            for change in meanwhile:
                self.index.apply(change, self.store)
        release_free_memory()  # the build's temporary objects are gone: give their pages back

    def _on_change(self, change: Change) -> None:
        if self._building or self.index is None:
            self._meanwhile.append(change)
        elif _is_large([change]):
            self.start()  # e.g. a pack update: analysed on the worker, not the main thread
        else:
            self.index.apply(change, self.store)


def _is_large(changes: list[Change]) -> bool:
    """Whether following `changes` would hold the main thread up (more than _APPLY_LIMIT
    snippets analysed, or the whole library reloaded)."""
    touched = sum(len(c.snippets) + len(c.removed) for c in changes)
    return touched > _APPLY_LIMIT or any(c.reloaded for c in changes)
