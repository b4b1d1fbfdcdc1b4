"""The suggestion index of the running app: built on a worker thread when the agent first asks
for suggestions, rebuilt after library changes, used by the palette's suggest mode once it is ready
(the old one serves meanwhile).

The first build waits for the first request because the segmenter's dictionary alone holds about
56 MB: an agent who never uses suggestions never pays for them."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from quickreply.core.library.model import Category, Snippet
from quickreply.core.library.pack_record import PackRecord
from quickreply.core.library.store import Change, LibraryStore

if TYPE_CHECKING:
    from quickreply.core.suggest.index import SuggestIndex, Suggestion, UsageStats

log = logging.getLogger(__name__)
_REBUILD_DELAY_MS = 300  # a burst of edits (an import, a pack update) causes one rebuild


class Suggestions(QObject):
    """Owns the current SuggestIndex; `ready` is emitted (on the Qt thread) after each build."""

    ready = Signal()
    _built = Signal(int, object)  # generation, SuggestIndex: worker thread -> Qt thread

    def __init__(self, store: LibraryStore, usage: UsageStats | None = None) -> None:
        super().__init__()
        self.store = store
        self.usage = usage
        self._index: SuggestIndex | None = None
        self._generation = 0
        self._built.connect(self._take)
        self._timer = QTimer(self, singleShot=True, interval=_REBUILD_DELAY_MS)
        self._timer.timeout.connect(self.rebuild)
        store.add_listener(self._on_change)

    @property
    def index(self) -> SuggestIndex | None:
        """The index to query, or None before the first build has finished."""
        return self._index

    def suggest(self, message: str, limit: int) -> list[Suggestion] | None:
        """Return the replies for `message`, or None while the first index is still building
        (the first call starts that build; `ready` follows)."""
        index = self._index
        if index is None:
            if not self._generation:
                self.rebuild()
            return None
        return index.suggest(message, limit)

    def refresh_usage(self) -> None:
        """Read the usage statistics again before the next suggestion."""
        if self._index is not None:
            self._index.refresh_usage()

    def rebuild(self) -> None:
        """Build a new index of the library on a worker thread (the Qt thread only snapshots)."""
        self._generation += 1
        content = (self.store.snippets(), self.store.categories(), self.store.pack_records())
        threading.Thread(
            target=self._build, args=(self._generation, *content), daemon=True, name="suggest"
        ).start()

    def _build(
        self,
        generation: int,
        snippets: list[Snippet],
        categories: list[Category],
        records: list[PackRecord],
    ) -> None:
        try:
            # the segmenter, synonyms and stemmer load here, on the first suggestion asked for
            from quickreply.core.suggest.index import SuggestIndex, pack_synonyms

            index = SuggestIndex(snippets, categories, self.usage, pack_synonyms(records))
        except Exception:  # noqa: BLE001 - a failed build leaves the previous index in use
            log.exception("building the suggestion index failed")
            return
        self._built.emit(generation, index)

    def _take(self, generation: int, index: SuggestIndex) -> None:
        if generation == self._generation:
            self._index = index
            log.info("suggestion index ready: %d snippets", len(index))
            self.ready.emit()

    def _on_change(self, change: Change) -> None:
        if not self._generation:
            return  # nothing built yet: the first request builds from the library as it is then
        if change.reloaded or change.snippets or change.removed or change.categories:
            self._timer.start()
