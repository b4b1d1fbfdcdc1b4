"""AutoHotkey hotstrings: `::abbr::text` lines and their continuation sections, nothing else.

Options between the first colons are read: `X` (the replacement is code) skips the hotstring,
`R`/`T` take the text raw; `*`, `?`, `C`, `O`, `B0` ... only change how AutoHotkey fires and are
ignored. Escapes (`` `n ``, `` `t ``, `` `; `` ...) and the keys `{Enter}`, `{Tab}`, `{Space}` and
braced symbols are translated; any other `{Key}` skips the hotstring. Hotkeys, directives and code
lines are reported as skipped. Nothing in the script is ever run.
"""

from __future__ import annotations

import re
from pathlib import Path

from quickreply.core.importers.result import ImportedSnippet, ImportResult, clean_abbrev, title_from
from quickreply.core.importers.text import read_text

_HOTSTRING = re.compile(r"^:(?P<options>[^:]*):(?P<abbr>.+?)::(?P<text>.*)$")
_HOTKEY = re.compile(r"^[^\s:]+(?:\s+&\s+\S+)?::")
_ESCAPES = {"n": "\n", "t": "\t", "r": "", "`": "`", ";": ";", ":": ":", "{": "{", "}": "}"}
_KEYS = {"enter": "\n", "tab": "\t", "space": " ", "!": "!", "#": "#", "+": "+", "^": "^"}
_KEYS |= {"{": "{", "}": "}"}
_KEY = re.compile(r"\{([^{}]+|\{|\})\}")


class _Unsupported(Exception):
    """A replacement we cannot insert as text (a key press other than Enter/Tab/Space)."""


def read_ahk(path: Path) -> ImportResult:
    """Read the hotstrings of an AutoHotkey script; raise ValidationError when it is not text."""
    path = Path(path)
    return parse_ahk(read_text(path), path.name, category=path.stem)


def parse_ahk(text: str, source: str, category: str = "AutoHotkey") -> ImportResult:
    """Convert the hotstrings in `text`; everything else is reported as skipped."""
    result = ImportResult(source=source, format="ahk")
    lines = text.splitlines()
    index = 0
    in_comment = False
    while index < len(lines):
        number = index + 1
        line = lines[index].strip()
        index += 1
        if in_comment:
            in_comment = not line.startswith("*/")
            continue
        if line.startswith("/*"):
            in_comment = "*/" not in line
            continue
        if not line or line.startswith(";"):
            continue
        place = f"{source}: line {number}"
        match = _HOTSTRING.match(line)
        if match is None:
            kind = "hotkey" if _HOTKEY.match(line) else "code line"
            result.skip(place, f"{kind} (not a hotstring; never run)")
            continue
        options = match.group("options").upper()
        abbr = match.group("abbr")
        place = f"{place} (::{abbr}::)"
        raw_text = match.group("text")
        if "X" in options:
            result.skip(place, "runs code (option X); never run")
            continue
        raw = "R" in options.replace("R0", "") or "T" in options.replace("T0", "")
        if not raw_text.strip():
            section, index = _continuation(lines, index)
            if section is None:
                result.skip(place, "runs code (no replacement text); never run")
                continue
            raw_text = section
        else:
            raw_text = _strip_comment(raw_text)
        try:
            body = _translate(raw_text, raw)
        except _Unsupported as exc:
            result.skip(place, str(exc))
            continue
        if not body.strip():
            result.skip(place, "no replacement text")
            continue
        if "C" in options.replace("C0", "").replace("C1", ""):
            result.notes.append(f"{place}: case-sensitive in AutoHotkey; abbreviations ignore case")
        result.add(
            ImportedSnippet(title_from(body, abbr), body, category, clean_abbrev(abbr), place)
        )
    return result


def _continuation(lines: list[str], index: int) -> tuple[str | None, int]:
    """Return the text of a `(` ... `)` section starting at `index` and the index after it."""
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index >= len(lines) or not lines[index].lstrip().startswith("("):
        return None, index
    body: list[str] = []
    index += 1
    while index < len(lines):
        if lines[index].lstrip().startswith(")"):
            return "\n".join(body), index + 1
        body.append(lines[index])
        index += 1
    return "\n".join(body), index


def _strip_comment(text: str) -> str:
    """Drop a trailing ` ; comment` (a `;` after whitespace, not escaped as `` `; ``)."""
    match = re.search(r"(?<!`)\s;", text)
    return (text[: match.start()] if match else text).rstrip(" \t")


def _translate(text: str, raw: bool) -> str:
    out: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "`" and i + 1 < len(text):
            out.append(_ESCAPES.get(text[i + 1], text[i + 1]))
            i += 2
            continue
        if char == "{" and not raw:
            key = _KEY.match(text, i)
            if key is None:
                raise _Unsupported("an unclosed '{' in the replacement")
            name = key.group(1).strip()
            count = 1
            if " " in name and name.rsplit(" ", 1)[1].isdigit():
                name, repeat = name.rsplit(" ", 1)
                count = min(int(repeat), 100)
            value = _KEYS.get(name.lower())
            if value is None:
                raise _Unsupported(f"sends the key {{{name}}}, which is not text")
            out.append(value * count)
            i = key.end()
            continue
        out.append(char)
        i += 1
    return "".join(out)
