"""The search used while the full index is still being built: plain substring matching.

Start-up builds the pinyin/fuzzy index on a worker thread; a palette opened before it is ready
searches titles, abbreviations, tags and bodies with this instead of waiting for it.
"""

from __future__ import annotations

from quickreply.core.library.model import Category
from quickreply.core.library.store import LibraryStore
from quickreply.core.search.hit import SearchHit


class PlainSearch:
    """Case-insensitive substring search over the library as it is (no pinyin, no typos)."""

    def __init__(self, store: LibraryStore) -> None:
        self._store = store

    @property
    def categories(self) -> list[Category]:
        """The categories, in library order."""
        return self._store.categories()

    def prepare(self) -> None:
        """Nothing to lay out."""

    def refresh_usage(self) -> None:
        """Plain search does not rank by use."""

    def parse_category(self, text: str) -> tuple[str | None, str]:
        """Split a leading ``#name`` (the start of a category's name) off `text`."""
        if not text.startswith("#"):
            return None, text
        name, _, rest = text[1:].partition(" ")
        key = name.casefold()
        for category in self._store.categories():
            if key and category.name.casefold().startswith(key):
                return category.id, rest
        return None, rest

    def query(self, text: str, limit: int = 20, category: str | None = None) -> list[SearchHit]:
        """Return the snippets containing every word of `text`, in library order."""
        words = text.casefold().split()
        hits = []
        for snippet in self._store.snippets():
            if category is not None and snippet.category != category:
                continue
            haystack = " ".join(
                (snippet.title, snippet.abbrev or "", " ".join(snippet.tags), snippet.body)
            ).casefold()
            if all(word in haystack for word in words):
                hits.append(SearchHit(snippet, 0.0, "plain" if words else ""))
                if len(hits) >= limit:
                    break
        return hits

    def search_text(self, text: str, limit: int = 20) -> list[SearchHit]:
        """Query with an optional leading ``#category`` filter."""
        category, rest = self.parse_category(text)
        return self.query(rest, limit, category)
