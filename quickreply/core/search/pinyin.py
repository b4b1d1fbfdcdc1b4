"""Pinyin readings of Chinese text, for search: full syllables and initials, every reading of a
polyphonic character (重 is both zhong and chong), capped so a long title cannot explode.

Readings come from pypinyin one character at a time, so building the search index costs one
dictionary lookup per distinct character rather than a phrase segmentation per title. The readings
looked up are kept (`known_readings`; the app stores them, core/search/reading_cache.py), so an
index of characters seen before is built without loading pypinyin's tables at all (12 MB).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from itertools import combinations, product

# We look readings up one character at a time and never segment phrases, so pypinyin's phrase
# dictionary (about 45 MB and 0.4 s to load) is not needed; nor is its defensive copy of the
# single-character one. Both switches must be set before pypinyin is first imported.
os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")
os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")

MAX_READINGS = 16  # readings kept per text: all single deviations from the default come first
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
Reading = tuple[str, ...]  # one syllable per Chinese character, Latin and digit runs whole
_TOKEN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[0-9a-z]+")
_known: dict[str, tuple[str, ...]] = {}  # character -> readings: given, or looked up since
_looked_up = 0  # characters pypinyin was asked for (what a stored table lacked)


def has_cjk(text: str) -> bool:
    """True when `text` contains a Chinese character."""
    return _CJK.search(text) is not None


def char_readings(char: str) -> tuple[str, ...]:
    """Return the toneless readings of one Chinese character, the most common first."""
    global _looked_up
    known = _known.get(char)
    if known is None:
        from pypinyin import Style, pinyin  # first use only: its tables are 12 MB

        found = pinyin(char, heteronym=True, style=Style.NORMAL, errors="ignore")
        known = tuple(dict.fromkeys(r for r in (found[0] if found else ()) if r.isalpha()))
        known = _known[char] = known or (char,)
        _looked_up += 1
    return known


def known_readings() -> tuple[dict[str, tuple[str, ...]], int]:
    """Every character's readings known now, and how many of them pypinyin was asked for."""
    return dict(_known), _looked_up


def add_known_readings(readings: Mapping[str, Sequence[str]]) -> None:
    """Take readings stored earlier (a character -> its readings, the most common first)."""
    for char, found in readings.items():
        _known.setdefault(char, tuple(found))


def syllable_options(text: str) -> list[tuple[str, ...]]:
    """Split `text` into syllables: each Chinese character with its readings, each run of Latin
    letters or digits as itself. Punctuation and spaces are dropped."""
    return [
        char_readings(token) if _CJK.match(token) else (token,)
        for token in _TOKEN.findall(text.lower())
    ]


def readings(text: str, cap: int = MAX_READINGS) -> list[Reading]:
    """Return up to `cap` readings of `text`, each a tuple of syllables; the default reading first.

    Readings are ordered by how many characters deviate from their most common reading, so a cap
    keeps every character's alternative readings before it keeps combinations of them.
    """
    options = syllable_options(text)
    if not options:
        return []
    default = tuple(o[0] for o in options)
    found = [default]
    polyphonic = [i for i, o in enumerate(options) if len(o) > 1]
    for count in range(1, len(polyphonic) + 1):
        for positions in combinations(polyphonic, count):
            for choice in product(*(options[i][1:] for i in positions)):
                reading = list(default)
                for position, syllable in zip(positions, choice):
                    reading[position] = syllable
                found.append(tuple(reading))
                if len(found) >= cap:
                    return found
    return found


def spellings(text: str, cap: int = MAX_READINGS) -> tuple[list[Reading], list[Reading]]:
    """Return the syllable tuples an agent may type for `text`: its full readings and their
    initials, each without repeats (``[('tui', 'kuan'), ...]`` and ``[('t', 'k'), ...]`` for 退款).
    Both are empty when `text` has no Chinese."""
    if not has_cjk(text):
        return [], []
    chinese = [_CJK.match(token) is not None for token in _TOKEN.findall(text.lower())]
    full = readings(text, cap)
    # a Chinese syllable's initial is its first letter; a Latin or digit run (VIP, 7) stays whole
    firsts = [tuple(s[0] if c else s for s, c in zip(r, chinese)) for r in full]
    return full, list(dict.fromkeys(firsts))
