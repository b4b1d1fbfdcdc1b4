"""Plain text handling for suggestions: normalising, splitting into Chinese runs and English words,
stemming, and the words that carry no meaning (stop words)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import cache, lru_cache
from typing import Any

CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?|[0-9]+[a-z]*")
_NOT = re.compile(r"n't\b|n’t\b")


def normalise(text: str) -> str:
    """Return `text` in one form for matching: full-width to half-width (NFKC), lower case."""
    return _NOT.sub(" not", unicodedata.normalize("NFKC", text).lower().replace("’", "'"))


def cjk_runs(text: str) -> Iterator[str]:
    """Yield the runs of Chinese characters of (normalised) `text`."""
    for match in CJK_RUN.finditer(text):
        yield match.group()


def latin_words(text: str) -> list[str]:
    """Return the English words and numbers of (normalised) `text`, in order."""
    return [w.replace("'", "") for w in _LATIN_WORD.findall(text)]


@lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """Return the Snowball (Porter 2) stem of an English word: 'arrived' -> 'arriv'."""
    return str(_english_stemmer().stemWord(word))


def stems(text: str, stopwords: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """Return (stem, word as written) for the English words of `text`, stop words left out.

    Pure numbers are left out too: an order's 170 or 3 says nothing about the topic.
    """
    return [
        (stem(word), word)
        for word in latin_words(normalise(text))
        if word not in stopwords and not word[0].isdigit()
    ]


def looks_like_message(text: str) -> bool:
    """Whether pasted `text` reads as a buyer's sentence (not an order number or a search word):
    four or more Chinese characters, or three or more English words."""
    text = normalise(text)
    chinese = sum(len(run) for run in cjk_runs(text))
    return chinese >= 4 or len([w for w in latin_words(text) if w.isalpha()]) >= 3


@cache
def _english_stemmer() -> Any:
    """Snowball's English stemmer, loaded on first use (not by the palette's message check)."""
    import snowballstemmer

    return snowballstemmer.stemmer("english")
