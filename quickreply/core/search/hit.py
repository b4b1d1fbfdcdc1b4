"""One search result, shared by the full index and the plain search used while it is built."""

from __future__ import annotations

from dataclasses import dataclass

from quickreply.core.library.model import Snippet


@dataclass(frozen=True)
class SearchHit:
    """One result: the snippet, a score (higher is better) and the field the query matched in
    ("abbrev", "title", "pinyin", "tags", "body", "fuzzy"; "" for an empty query)."""

    snippet: Snippet
    score: float
    field: str
