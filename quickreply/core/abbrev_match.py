"""Typed abbreviations: which abbreviation the last typed characters end with, if any.

Pure and small: the watcher feeds it one key at a time (a character, BackSpace, an end key, or a
reset for focus changes, clicks and navigation keys) and it keeps only a rolling buffer of the
last few characters, in memory, for matching. An abbreviation fires only after a boundary (the
start of typing, a space, punctuation or a Chinese character: never inside a longer Latin word).
Full-width punctuation typed in Chinese mode (`；` `／` `：`) counts as its ASCII prefix.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from quickreply.core.library.model import FULL_WIDTH_PREFIX

EndKey = Literal["space", "tab", "none"]
END_KEYS: tuple[EndKey, ...] = ("space", "tab", "none")
_END_CHARS = {"space": " ", "tab": "\t"}


@dataclass(frozen=True)
class AbbrevMatch:
    """An abbreviation was typed: which snippet, and how many characters to delete first."""

    abbrev: str
    snippet_id: str
    erase: int  # BackSpace presses that remove exactly what was typed (the end key's too)
    keys_typed: int  # keys the agent pressed for it: the abbreviation plus the end key


def is_boundary(char: str) -> bool:
    """Whether an abbreviation may start after `char`: anything but an ASCII letter or digit."""
    return not (char.isascii() and char.isalnum())


class AbbrevMatcher:
    """Matches typed characters against abbreviations (abbreviation -> snippet id)."""

    def __init__(self, abbrevs: Mapping[str, str], end_key: EndKey = "space") -> None:
        self.abbrevs = {a.translate(FULL_WIDTH_PREFIX).lower(): sid for a, sid in abbrevs.items()}
        self.end_key = end_key
        self._longest = max((len(a) for a in self.abbrevs), default=0)
        self._buffer = ""
        self._start = True  # the buffer begins at a boundary (nothing typed before it is known)

    def reset(self) -> None:
        """Forget what was typed (focus change, mouse click, navigation key, Enter)."""
        self._buffer = ""
        self._start = True

    def backspace(self) -> None:
        """The agent deleted the last character."""
        self._buffer = self._buffer[:-1]

    def char(self, char: str) -> AbbrevMatch | None:
        """Feed one typed character; return a match when the end key is "none" and one fired."""
        if len(char) != 1:
            return None
        self._push(char.translate(FULL_WIDTH_PREFIX).lower())
        if self.end_key == "none":
            found = self._match(self._buffer)
            if found:
                self.reset()
            return found
        return None

    def end(self, key: EndKey) -> AbbrevMatch | None:
        """Feed an end key (space or tab); return the match it completes, if any."""
        if key == self.end_key and key != "none":
            found = self._match(self._buffer, end_char=True)
            if found:
                self.reset()
                return found
        self._push(_END_CHARS.get(key, " "))
        return None

    def _push(self, char: str) -> None:
        self._buffer += char
        keep = self._longest + 1  # the abbreviation and the character before it
        if len(self._buffer) > keep:
            self._buffer = self._buffer[-keep:]
            self._start = False

    def _match(self, text: str, end_char: bool = False) -> AbbrevMatch | None:
        for length in range(min(len(text), self._longest), 0, -1):
            abbrev = text[-length:]
            snippet_id = self.abbrevs.get(abbrev)
            if snippet_id is None:
                continue
            before = text[:-length]
            if (before and is_boundary(before[-1])) or (not before and self._start):
                extra = 1 if end_char else 0
                return AbbrevMatch(abbrev, snippet_id, length + extra, length + extra)
        return None
