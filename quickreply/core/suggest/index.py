"""Ranking replies for a buyer's message: BM25F over each snippet's fields, lifted by its category
and by how often the agent uses it.

Each snippet is one document whose fields count with their own weight: the example questions
(buyers' own words) most, then title and tags, its category's keywords and name, then the body.
Each category is also one document (its keywords, name and its snippets' questions, titles and
tags), ranked the same way; a snippet's score is its own BM25F score plus a share of its
category's, times a small lift for use. Scores are precomputed per (term, snippet) at build time,
so a query only adds up the posting lists of its terms: a few thousand additions at 10,000
snippets. See docs/suggest.md for the choices and their measured effect.
"""

from __future__ import annotations

import heapq
import math
import re
import time
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from operator import itemgetter

from quickreply.core.library.model import Category, Snippet
from quickreply.core.library.pack_record import PackRecord
from quickreply.core.library.store import LibraryStore
from quickreply.core.search.index import frecency
from quickreply.core.suggest.analyzer import BIGRAM, Analyzer, Segmenter, Term, default_segmenter
from quickreply.core.suggest.synonyms import SynonymTable, default_table
from quickreply.core.suggest.text import normalise

UsageStats = Callable[[], Mapping[str, tuple[int, int]]]

# field weights of a snippet document (BM25F): buyers' words count most
FIELD_WEIGHTS = {"questions": 3.0, "title": 2.0, "tags": 2.0, "keywords": 1.5, "body": 0.6}
CATEGORY_WEIGHTS = {"keywords": 2.0, "name": 1.0, "snippets": 1.0}
K1 = 1.2
B = 0.6
CATEGORY_SHARE = 0.5  # how much of its category's score a snippet gets
USAGE_LIFT = 0.15  # at most this share is added for a snippet used often and recently
_YIELD_EVERY = 8  # snippets analysed (~0.5 ms) between pauses that leave the GIL to others
_YIELD_S = 0.001
MAX_MESSAGE = 2000  # characters of a message looked at: a pasted page is cut, not analysed whole
_PLACEHOLDER = re.compile(r"\{\{[^}]*\}\}")


@dataclass(frozen=True)
class Suggestion:
    """One suggested reply: the snippet, its score (higher is better) and the message's words
    that matched it, in the order they appear in the message."""

    snippet: Snippet
    score: float
    matched: tuple[str, ...]


class _Postings:
    """term -> (document slots ascending, precomputed BM25 impact per slot)."""

    def __init__(self) -> None:
        self.slots: dict[str, array[int]] = {}
        self.impacts: dict[str, array[float]] = {}

    def build(self, docs: Iterable[dict[str, float]]) -> None:
        """Lay out `docs` (term -> weighted frequency, one per slot) with their BM25 impacts.

        Frequencies go straight into compact arrays, which then get the impacts in place: no
        per-posting Python objects are kept, so 10,000 snippets stay a few megabytes.
        """
        slots: dict[str, array[int]] = {}
        weights: dict[str, array[float]] = {}
        lengths: list[float] = []
        for slot, doc in enumerate(docs):
            for key, tf in doc.items():
                if key not in slots:
                    slots[key], weights[key] = array("i"), array("f")
                slots[key].append(slot)
                weights[key].append(tf)
            lengths.append(sum(doc.values()))
        count = len(lengths)
        average = (sum(lengths) / count) if count else 1.0
        norms = [K1 * (1.0 - B + B * length / (average or 1.0)) for length in lengths]
        for key, found in slots.items():
            idf = math.log(1.0 + (count - len(found) + 0.5) / (len(found) + 0.5))
            tfs = weights[key]
            for i, slot in enumerate(found):
                tf = tfs[i]
                tfs[i] = idf * tf * (K1 + 1.0) / (tf + norms[slot])
        self.slots, self.impacts = slots, weights

    def has(self, key: str, slot: int) -> bool:
        """Whether document `slot` holds `key`."""
        slots = self.slots.get(key)
        if slots is None:
            return False
        at = bisect_left(slots, slot)
        return at < len(slots) and slots[at] == slot

    def scores(self, terms: Mapping[str, float], count: int) -> dict[int, float]:
        """Return slot -> the sum of each term's impact times its query weight, for the
        documents (of `count`) holding any of `terms`."""
        totals = [0.0] * count  # a list adds faster than a dict; the set says which were hit
        touched: set[int] = set()
        for key, weight in terms.items():
            slots = self.slots.get(key)
            if slots is None:
                continue
            touched.update(slots)
            for slot, impact in zip(slots, self.impacts[key]):
                totals[slot] += weight * impact
        return {slot: totals[slot] for slot in touched}


def pack_synonyms(records: Iterable[PackRecord]) -> SynonymTable:
    """Return the default synonym table extended by the installed packs' own groups."""
    extra = [list(g) for r in records for g in r.synonyms if isinstance(g, list)]
    return default_table().extended(extra) if extra else default_table()


def _weighted(fields: Iterable[tuple[list[Term], float]]) -> dict[str, float]:
    """Return term -> weighted frequency of a document's analysed fields (their sum: its length)."""
    counts: dict[str, float] = {}
    for terms, weight in fields:
        for key, _surface, term_weight in terms:
            counts[key] = counts.get(key, 0.0) + weight * term_weight
    return counts


def _add(counts: dict[str, float], terms: list[Term]) -> None:
    """Add `terms` to a document's weighted frequencies (at weight 1)."""
    for key, _surface, weight in terms:
        counts[key] = counts.get(key, 0.0) + weight


def _query_terms(terms: list[Term]) -> dict[str, float]:
    """Return each distinct key of a message once, with its largest weight."""
    weights: dict[str, float] = {}
    for term in terms:
        weights[term.key] = max(weights.get(term.key, 0.0), term.weight)
    return weights


class SuggestIndex:
    """The suggestions of the palette and the CLI: built once (off the UI thread), then queried.

    The index is immutable after building; follow library changes by building a new one.
    """

    def __init__(
        self,
        snippets: Iterable[Snippet],
        categories: Iterable[Category] = (),
        usage: UsageStats | None = None,
        synonyms: SynonymTable | None = None,
        segmenter: Callable[[], Segmenter] = default_segmenter,
    ) -> None:
        self.analyzer = Analyzer(synonyms, segmenter)
        self._usage = usage
        self._usage_stale = True
        self._frecency: dict[int, float] = {}
        self._slots = list(snippets)
        self._position = {s.id: i for i, s in enumerate(self._slots)}
        self._categories = {c.id: c for c in categories}
        self._category_ids = sorted({s.category for s in self._slots})
        category_slot = {c: i for i, c in enumerate(self._category_ids)}
        self._category_of = array("i", (category_slot[s.category] for s in self._slots))
        self._snippet_postings = _Postings()
        self._category_postings = _Postings()
        self._build()

    @classmethod
    def from_store(cls, store: LibraryStore, usage: UsageStats | None = None) -> SuggestIndex:
        """Build the index of `store`'s library, with the synonyms its packs add."""
        synonyms = pack_synonyms(store.pack_records())
        return cls(store.snippets(), store.categories(), usage, synonyms)

    def _build(self) -> None:
        terms = self.analyzer.terms
        category_terms = {
            cid: (terms(" ".join(c.keywords)), terms(c.name)) for cid, c in self._categories.items()
        }
        # a category's own document starts with its keywords and name; its snippets' questions,
        # titles and tags are added as they are analysed below
        category_docs = {
            cid: _weighted(
                [
                    (category_terms.get(cid, ([], []))[0], CATEGORY_WEIGHTS["keywords"]),
                    (category_terms.get(cid, ([], []))[1], CATEGORY_WEIGHTS["name"]),
                ]
            )
            for cid in self._category_ids
        }

        def snippet_docs() -> Iterator[dict[str, float]]:
            for slot, snippet in enumerate(self._slots):
                if slot % _YIELD_EVERY == _YIELD_EVERY - 1:
                    # built on a worker: a real pause, so the Qt thread gets the GIL (sleep(0)
                    # hands it back before the other thread wakes)
                    time.sleep(_YIELD_S)
                keywords, name = category_terms.get(snippet.category, ([], []))
                questions = terms("\n".join(snippet.questions))
                title = terms(snippet.title)
                tags = terms(" ".join(snippet.tags))
                _add(category_docs[snippet.category], questions + title + tags)
                yield _weighted(
                    [
                        (questions, FIELD_WEIGHTS["questions"]),
                        (title, FIELD_WEIGHTS["title"]),
                        (tags, FIELD_WEIGHTS["tags"]),
                        (keywords + name, FIELD_WEIGHTS["keywords"]),
                        (terms(_PLACEHOLDER.sub(" ", snippet.body)), FIELD_WEIGHTS["body"]),
                    ]
                )

        self._snippet_postings.build(snippet_docs())
        self._category_postings.build(category_docs[cid] for cid in self._category_ids)

    def __len__(self) -> int:
        return len(self._slots)

    def refresh_usage(self) -> None:
        """Read the usage statistics again before the next suggestion (after an insertion)."""
        self._usage_stale = True

    def _load_usage(self) -> None:
        stats = self._usage() if self._usage is not None else {}
        now = int(time.time() * 1000)
        self._frecency = {
            self._position[sid]: score
            for sid, (uses, last_ms) in stats.items()
            if sid in self._position and (score := frecency(uses, last_ms, now)) > 0
        }
        self._usage_stale = False

    def suggest(self, message: str, limit: int = 20) -> list[Suggestion]:
        """Return up to `limit` replies for a buyer's `message`, best first (none for no match).

        The message is analysed in memory and forgotten: nothing of it is kept or written.
        """
        if self._usage_stale:
            self._load_usage()
        found = self.analyzer.terms(message[:MAX_MESSAGE])
        weights = _query_terms(found)
        if limit <= 0 or not weights:
            return []
        scores = self._snippet_postings.scores(weights, len(self._slots))
        if not scores:
            return []
        by_category = self._category_postings.scores(weights, len(self._category_ids))
        lift = [CATEGORY_SHARE * by_category.get(c, 0.0) for c in range(len(self._category_ids))]
        category_of = self._category_of
        scores = {slot: score + lift[category_of[slot]] for slot, score in scores.items()}
        for slot, use in self._frecency.items():
            if slot in scores:
                scores[slot] *= 1.0 + USAGE_LIFT * use / (use + 3.0)
        slots = self._slots
        best = heapq.nlargest(limit, scores.items(), key=itemgetter(1))
        text = normalise(message[:MAX_MESSAGE])
        return [
            Suggestion(slots[s], round(score, 4), self._matched(found, s, text))
            for s, score in best
        ]

    def _matched(self, terms: list[Term], slot: int, text: str) -> tuple[str, ...]:
        """Return the words of the message that matched snippet `slot`, as written, in order."""
        has = self._snippet_postings.has
        words = [t.surface for t in terms if not t.key.startswith(BIGRAM) and has(t.key, slot)]
        pairs = [
            t.surface
            for t in terms
            if t.key.startswith(BIGRAM)
            and has(t.key, slot)
            and not any(t.surface in w for w in words)
        ]
        found = list(dict.fromkeys(_merge_pairs(pairs) + words))
        kept = [w for w in found if not any(w != o and w in o for o in found)]
        return tuple(sorted(kept, key=lambda surface: text.find(surface)))


def _merge_pairs(pairs: list[str]) -> list[str]:
    """Join character pairs that follow each other in the message (腰围, 围太 -> 腰围太)."""
    merged: list[str] = []
    for pair in pairs:
        if merged and merged[-1][-1] == pair[0] and len(pair) == 2:
            merged[-1] += pair[1]
        else:
            merged.append(pair)
    return merged
