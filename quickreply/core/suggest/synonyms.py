"""The synonym table: groups of words buyers use for the same thing (快递/包裹/物流, 退钱/退款,
"never got"/"not received"), read from resources/suggest/synonyms.yaml and extended by packs.

Every word of a group stands for the group's first word, in snippets and in messages alike, so a
message and a reply that say the same thing in different words share a term.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from quickreply.core.errors import ValidationError
from quickreply.core.library import paths
from quickreply.core.search.pinyin import has_cjk
from quickreply.core.suggest.text import latin_words, normalise, stem

FILE_NAME = "synonyms.yaml"


@dataclass(frozen=True)
class Match:
    """A word or phrase of the table found in a message: where, as written, and its group keys."""

    start: int
    end: int
    surface: str
    keys: tuple[str, ...]


class SynonymTable:
    """Chinese phrases (matched inside text) and English stem sequences, each to its group keys."""

    def __init__(self, groups: Iterable[Sequence[str]] = (), stopwords: Iterable[str] = ()) -> None:
        self.stopwords = frozenset(normalise(w) for w in stopwords)
        self.chinese: dict[str, tuple[str, ...]] = {}
        self.english: dict[tuple[str, ...], tuple[str, ...]] = {}
        self.groups: list[tuple[str, ...]] = []
        self.keys: set[str] = set()  # the group keys: what a word of the table becomes
        self.add(groups)

    def add(self, groups: Iterable[Sequence[str]]) -> None:
        """Add word groups; a word already in another group then stands for both groups."""
        for group in groups:
            words = tuple(dict.fromkeys(normalise(w).strip() for w in group if w.strip()))
            if len(words) < 2:
                continue
            self.groups.append(words)
            key = _english_key(words[0]) if not has_cjk(words[0]) else (words[0],)
            canonical = " ".join(key)
            self.keys.add(canonical)
            for word in words:
                if has_cjk(word):
                    _append(self.chinese, word, canonical)
                else:
                    _append(self.english, _english_key(word), canonical)
        self._lengths: dict[str, tuple[int, ...]] = {}  # first character -> phrase lengths
        for word in self.chinese:
            if len(word) > 1:
                self._lengths[word[0]] = (*self._lengths.get(word[0], ()), len(word))
        self._lengths = {c: tuple(sorted(set(n), reverse=True)) for c, n in self._lengths.items()}
        self._english_lengths: dict[str, tuple[int, ...]] = {}  # first stem -> phrase lengths
        for phrase in self.english:
            first = phrase[0]
            self._english_lengths[first] = (*self._english_lengths.get(first, ()), len(phrase))
        self._english_lengths = {
            w: tuple(sorted(set(n), reverse=True)) for w, n in self._english_lengths.items()
        }

    def extended(self, groups: Iterable[Sequence[str]]) -> SynonymTable:
        """Return a copy of this table with `groups` added (a pack's own synonyms)."""
        table = SynonymTable(self.groups, self.stopwords)
        table.add(groups)
        return table

    def chinese_phrases(self, run: str) -> list[Match]:
        """Return the table's phrases (two or more characters) in a run of Chinese characters.

        Of phrases inside longer ones only the longer is kept: 还没收到 is one match, not three.
        """
        found: list[Match] = []
        lengths, chinese, size = self._lengths, self.chinese, len(run)
        for start in range(size - 1):
            for length in lengths.get(run[start], ()):
                if start + length <= size:
                    keys = chinese.get(run[start : start + length])
                    if keys is not None:
                        found.append(
                            Match(start, start + length, run[start : start + length], keys)
                        )
                        break
        return [
            m
            for m in found
            if not any(o is not m and o.start <= m.start and m.end <= o.end for o in found)
        ]

    def word_keys(self, word: str) -> tuple[str, ...] | None:
        """Return the group keys of one Chinese word as the segmenter cut it, or None."""
        return self.chinese.get(word)

    def english_terms(self, text: str) -> list[tuple[str, str]]:
        """Return (term, words as written) for the English of `text`: phrases of the table first
        (longest, left to right), then each other word's stem; stop words are left out."""
        words = [w for w in latin_words(normalise(text)) if not w[0].isdigit()]
        stems = [stem(w) for w in words]
        terms: list[tuple[str, str]] = []
        at = 0
        while at < len(words):
            for length in self._english_lengths.get(stems[at], ()):
                keys = self.english.get(tuple(stems[at : at + length]))
                if keys is not None and (length > 1 or words[at] not in self.stopwords):
                    surface = " ".join(words[at : at + length])
                    terms.extend((key, surface) for key in keys)
                    at += length
                    break
            else:
                if words[at] not in self.stopwords:
                    terms.append((stems[at], words[at]))
                at += 1
        return terms


def _english_key(phrase: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in latin_words(phrase))


def _append(table: dict[Any, tuple[str, ...]], key: Any, canonical: str) -> None:
    if key and canonical not in table.get(key, ()):
        table[key] = (*table.get(key, ()), canonical)


@lru_cache(maxsize=1)
def default_table() -> SynonymTable:
    """Return QuickReply's own synonym table (resources/suggest/synonyms.yaml), read once.

    Raises ValidationError when the shipped file is damaged.
    """
    path = paths.resources_dir() / "suggest" / FILE_NAME
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        groups = [[str(w) for w in group] for group in data["groups"]]
        stopwords = [str(w) for w in data.get("stopwords") or ()]
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise ValidationError(f"{path}: not a readable synonym table ({exc})") from exc
    return SynonymTable(groups, stopwords)
