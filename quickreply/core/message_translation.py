"""Core's English messages in the interface language, translated where they are shown.

Core words its errors in English f-strings (`no snippet with id '{snippet_id}' (see ...)`). The
zh-CN catalogue holds each shape as a key with ``{name}`` slots; `translate_message` finds the
shape a message was made from (one compiled pattern per catalogue key, the most specific first)
and fills the translation with the slot values, themselves translated (a reason inside a
reason). ValidationError's problems joined by "; " are translated one by one, and a
"where: problem" line made of two messages part by part. The CLI's error printer and the UI's
error displays call it, so core's modules keep their English f-strings.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import lru_cache

from quickreply.core import i18n

_MIN_LETTERS = 3  # a key with less fixed text ("{a}: {b}") would match any message
_DEPTH = 3  # slot values are translated this many levels deep
_FORMATTER = string.Formatter()


@dataclass(frozen=True)
class _Template:
    pattern: re.Pattern[str]
    translated: str


def _compile(english: str, strict: bool = True) -> tuple[int, re.Pattern[str]] | None:
    """Return (letters of fixed text, pattern) for a catalogue key with slots or escaped braces
    (`{{{{cursor}}}} may appear only once`), else None: plain keys are looked up as they are."""
    try:
        parts = list(_FORMATTER.parse(english))
    except ValueError:
        return None
    regex, names, letters = [], set(), 0
    for literal, field, _spec, _conversion in parts:
        regex.append(re.escape(literal))
        letters += sum(ch.isalpha() for ch in literal)
        if field is None:
            continue
        if not field.isidentifier():
            return None
        # strict: a value never spans "; ", which joins ValidationError's problems
        value = "(?:(?!; ).)*?" if strict else ".*?"
        regex.append(f"(?P={field})" if field in names else f"(?P<{field}>{value})")
        names.add(field)
    plain = not names and "{{" not in english and "}}" not in english
    if plain or letters < _MIN_LETTERS:
        return None
    return letters, re.compile("".join(regex), re.DOTALL)


@lru_cache(maxsize=8)
def _templates(language: str, strict: bool = True) -> tuple[_Template, ...]:
    found = []
    for english, translated in i18n.catalogue(language).items():
        compiled = _compile(english, strict)
        if compiled is not None:
            found.append((compiled[0], _Template(compiled[1], translated)))
    found.sort(key=lambda item: -item[0])
    return tuple(template for _letters, template in found)


def translate_message(message: str) -> str:
    """Return `message` (an English error or problem line from core) in the interface language;
    a message the catalogue does not know is returned unchanged."""
    if i18n.language() == "en":
        return message
    return _translate(message, _DEPTH)


def _translate(message: str, depth: int) -> str:
    catalogue = i18n.catalogue(i18n.language())
    if message in catalogue:
        return catalogue[message]
    if depth <= 0:
        return message
    found = _fill(message, depth, strict=True)
    if found is not None:
        return found
    if "; " in message:
        pieces = message.split("; ")
        parts = [_translate(piece, depth) for piece in pieces]
        if all(part != piece for part, piece in zip(parts, pieces, strict=True)):
            return "；".join(parts)
        # one message with "; " inside a value ("unavailable: no X display; set DISPLAY ...")
        return _fill(message, depth, strict=False) or "；".join(parts)
    if ": " in message:  # "{where}: {problem}" put together from two messages
        head, _sep, tail = message.partition(": ")
        halves = _translate(head, depth - 1), _translate(tail, depth - 1)
        if halves != (head, tail):
            return "：".join(halves)
    return message


def _fill(message: str, depth: int, strict: bool) -> str | None:
    """The translation of the first template `message` matches, its slots filled, else None."""
    for template in _templates(i18n.language(), strict):
        match = template.pattern.fullmatch(message)
        if match is None:
            continue
        values = {k: _translate(v, depth - 1) for k, v in match.groupdict().items()}
        try:
            return template.translated.format(**values)
        except (KeyError, IndexError, ValueError):
            return None
    return None
