"""Finding snippets by what the agent types."""

from __future__ import annotations

from collections.abc import Iterable

from quickreply.core.model import Snippet


def search(snippets: Iterable[Snippet], query: str, limit: int = 20) -> list[Snippet]:
    """Return snippets whose title, body, tags or abbreviation contain every word of `query`."""
    words = query.lower().split()
    found = []
    for snippet in snippets:
        haystack = " ".join(
            (snippet.title, snippet.body, " ".join(snippet.tags), snippet.abbrev or "")
        ).lower()
        if all(word in haystack for word in words):
            found.append(snippet)
    found.sort(key=lambda s: (s.abbrev != query.lower(), s.title))
    return found[:limit]
