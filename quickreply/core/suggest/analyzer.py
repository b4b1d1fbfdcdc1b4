"""Turning a text (a buyer's message, a snippet's fields) into weighted terms for ranking.

Chinese runs are cut into words by a segmenter (rjieba: see docs/suggest.md for why), phrases of the
synonym table are found inside them as written, and every pair of neighbouring characters is kept
as a weak character-bigram term, so words the segmenter or the table does not know still match.
English words are stemmed and table phrases found among them. Synonyms become their group's key.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import NamedTuple, Protocol

from quickreply.core.suggest.synonyms import SynonymTable, default_table
from quickreply.core.suggest.text import cjk_runs, normalise

_LATIN = re.compile(r"[a-z]")
_FILLERS = re.compile(r"(?<=.)(?:个|了|一下|一点)(?=.)")  # inside verb phrases: 打个折, 退了货
BIGRAM = "~"  # prefix of character-bigram terms, kept apart from words
BIGRAM_WEIGHT = 0.35  # a bigram is weak evidence next to a word
TABLE_WEIGHT = 1.6  # a word of the synonym table names a topic buyers ask about
CHAR_WEIGHT = 0.5  # a lone Chinese character the table does not know says little (发, 洗)


class Term(NamedTuple):
    """One term of a text: its key, the words of the text it came from, and its weight."""

    key: str
    surface: str
    weight: float = 1.0


class Segmenter(Protocol):
    """Cuts a run of Chinese characters into words (search mode: long words and their parts)."""

    def cut_for_search(self, text: str) -> list[str]:
        """Return the words of `text`, longer words followed by the shorter words inside them."""


_segmenter: Segmenter | None = None
_segmenter_lock = threading.Lock()


def default_segmenter() -> Segmenter:
    """Return the shared rjieba segmenter, loading its dictionary on first use (~130 ms, ~33 MB)."""
    global _segmenter
    with _segmenter_lock:
        if _segmenter is None:
            import rjieba

            _segmenter = rjieba.Jieba()
        return _segmenter


class Analyzer:
    """Terms of texts under one synonym table and one segmenter."""

    def __init__(
        self,
        synonyms: SynonymTable | None = None,
        segmenter: Callable[[], Segmenter] = default_segmenter,
    ) -> None:
        self.synonyms = synonyms if synonyms is not None else default_table()
        self._load_segmenter = segmenter
        self._segmenter: Segmenter | None = None

    def terms(self, text: str) -> list[Term]:
        """Return the terms of `text`: English first, then Chinese (a key may come twice)."""
        text = normalise(text)
        table = self.synonyms
        terms = (
            [
                Term(key, surface, TABLE_WEIGHT if key in table.keys else 1.0)
                for key, surface in table.english_terms(text)
            ]
            if _LATIN.search(text)
            else []
        )
        for run in cjk_runs(text):
            terms.extend(self._chinese(run))
        return terms

    def _cut(self, run: str) -> list[str]:
        if self._segmenter is None:
            self._segmenter = self._load_segmenter()
        return self._segmenter.cut_for_search(run)

    def _chinese(self, run: str) -> list[Term]:
        table = self.synonyms
        phrases = table.chinese_phrases(run)
        compact = _FILLERS.sub("", run)  # 打个折 -> 打折, 退了货 -> 退货: the table's phrases
        if compact != run:
            found = {m.surface for m in phrases}
            phrases += [m for m in table.chinese_phrases(compact) if m.surface not in found]
        terms = [Term(key, m.surface, TABLE_WEIGHT) for m in phrases for key in m.keys]
        covered = [m.surface for m in phrases]
        for word in self._cut(run) if len(run) > 1 else [run]:
            if word in table.stopwords or all(ch in table.stopwords for ch in word):
                continue
            keys = table.word_keys(word)
            if keys is not None:
                if len(word) == 1:  # longer table words were found above already
                    terms.extend(Term(key, word, TABLE_WEIGHT) for key in keys)
            elif not any(word in phrase for phrase in covered):
                terms.append(Term(word, word, CHAR_WEIGHT if len(word) == 1 else 1.0))
        stop = table.stopwords
        terms.extend(
            Term(BIGRAM + run[i : i + 2], run[i : i + 2], BIGRAM_WEIGHT)
            for i in range(len(run) - 1)
            if run[i] not in stop and run[i + 1] not in stop and run[i : i + 2] not in stop
        )
        return terms
