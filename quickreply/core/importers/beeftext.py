"""Beeftext: its JSON exports (file format versions 1-10) and its 3-column CSV (keyword, snippet, name).

A combo's keyword becomes the abbreviation, its snippet the body, its name the title and its
group the category. `#{clipboard}`, `#{date}`, `#{time}`, `#{dateTime:format}` (Qt date format),
`#{cursor}` and `#{input:label}` are translated; `#{powershell:..}`, `#{envVar:..}`, `#{key:..}`,
`#{shortcut:..}`, `#{delay:..}`, `#{combo:..}` and the other variables skip the combo, reported.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

from quickreply.core.errors import ValidationError
from quickreply.core.importers.result import ImportedSnippet, ImportResult, clean_abbrev, title_from
from quickreply.core.importers.text import decode, read_bytes

MAX_FORMAT_VERSION = 10
DEFAULT_GROUP = "Beeftext"
_VARIABLE = re.compile(r"#\{([^{}:]*)(?::([^{}]*))?\}")
# Qt date/time format tokens, longest first, and their strftime equivalents
_QT_TOKENS = (
    ("yyyy", "%Y"),
    ("yy", "%y"),
    ("MMMM", "%B"),
    ("MMM", "%b"),
    ("MM", "%m"),
    ("M", "%m"),
    ("dddd", "%A"),
    ("ddd", "%a"),
    ("dd", "%d"),
    ("d", "%d"),
    ("HH", "%H"),
    ("H", "%H"),
    ("hh", "%I"),
    ("h", "%I"),
    ("mm", "%M"),
    ("m", "%M"),
    ("ss", "%S"),
    ("s", "%S"),
    ("AP", "%p"),
    ("ap", "%p"),
    ("A", "%p"),
    ("a", "%p"),
)


class _Unsupported(Exception):
    """A Beeftext variable we do not translate."""


def read_beeftext(path: Path) -> ImportResult:
    """Read a Beeftext JSON export or CSV file; raise ValidationError when it is neither."""
    path = Path(path)
    text, _ = decode(read_bytes(path), path.name)
    if path.suffix.lower() == ".csv":
        return read_beeftext_csv(text, path.name)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            f"{path.name}: not a Beeftext JSON file (line {exc.lineno}: {exc.msg})"
        ) from exc
    return parse_beeftext(data, path.name)


def parse_beeftext(data: Any, source: str) -> ImportResult:
    """Convert parsed Beeftext JSON; raise ValidationError when it holds no combo list."""
    if not isinstance(data, dict) or not isinstance(data.get("combos"), list):
        raise ValidationError(f"{source}: not a Beeftext export (no 'combos' list)")
    version = data.get("fileFormatVersion", 1)
    if not isinstance(version, int) or not 1 <= version <= MAX_FORMAT_VERSION:
        raise ValidationError(
            f"{source}: Beeftext file format version {version!r} is not supported "
            f"(1-{MAX_FORMAT_VERSION})"
        )
    result = ImportResult(source=source, format="beeftext")
    groups = {
        str(g.get("uuid")): str(g.get("name") or "").strip() or DEFAULT_GROUP
        for g in data.get("groups") or []
        if isinstance(g, dict)
    }
    for index, combo in enumerate(data["combos"]):
        place = f"{source}: combo {index + 1}"
        if not isinstance(combo, dict):
            result.skip(place, "not a combo")
            continue
        keyword = _string(combo.get("keyword", combo.get("comboText")))
        snippet = _string(combo.get("snippet", combo.get("substitutionText")))
        name = _string(combo.get("name"))
        group = groups.get(str(combo.get("group")), DEFAULT_GROUP)
        _add(result, place, keyword, snippet, name, group)
    return result


def read_beeftext_csv(text: str, source: str) -> ImportResult:
    """Convert Beeftext's CSV: keyword, snippet[, name] per row, no header."""
    result = ImportResult(source=source, format="beeftext")
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise ValidationError(f"{source}: not readable CSV ({exc})") from exc
    for number, row in enumerate(rows, start=1):
        if not any(cell.strip() for cell in row):
            continue
        place = f"{source}: row {number}"
        if len(row) < 2:
            result.skip(place, "needs a keyword and a snippet")
            continue
        _add(result, place, row[0], row[1], row[2] if len(row) > 2 else "", DEFAULT_GROUP)
    return result


def _string(value: Any) -> str:
    return (
        str(value) if isinstance(value, (str, int, float)) and not isinstance(value, bool) else ""
    )


def _add(
    result: ImportResult, place: str, keyword: str, snippet: str, name: str, group: str
) -> None:
    keyword = keyword.strip()
    if keyword:
        place = f"{place} ({keyword})"
    try:
        body = translate(snippet)
    except _Unsupported as exc:
        result.skip(place, str(exc))
        return
    if not body.strip():
        result.skip(place, "no snippet text")
        return
    title = name.strip() or title_from(body, keyword or group)
    result.add(ImportedSnippet(title, body, group, clean_abbrev(keyword), place))


def translate(snippet: str) -> str:
    """Return Beeftext snippet text with its variables as our placeholders; raise _Unsupported."""

    def one(match: re.Match[str]) -> str:
        name, argument = match.group(1).strip(), match.group(2)
        if name == "clipboard":
            return "{{clipboard}}"
        if name == "cursor":
            return "{{cursor}}"
        if name == "date":
            return "{{date:" + _qt_format(argument) + "}}" if argument else "{{date}}"
        if name == "time":
            return "{{time:" + _qt_format(argument) + "}}" if argument else "{{time}}"
        if name == "dateTime":
            fmt = _qt_format(argument) if argument else "%Y-%m-%d %H:%M"
            return "{{date:" + fmt + "}}"
        if name == "input" and argument and argument.strip():
            return "{{input:" + re.sub(r"[|\n]+", " ", argument.strip()) + "}}"
        raise _Unsupported(f"variable #{{{name}}} is not supported (never run)")

    return _VARIABLE.sub(one, snippet)


def _qt_format(qt: str) -> str:
    """Translate a Qt date format (yyyy-MM-dd hh:mm) into strftime; quoted 'text' stays text."""
    twelve_hour = "AP" in qt or "ap" in qt
    out: list[str] = []
    i = 0
    while i < len(qt):
        if qt[i] == "'":
            end = qt.find("'", i + 1)
            end = len(qt) if end == -1 else end
            out.append(qt[i + 1 : end].replace("%", "%%") or "'")
            i = end + 1
            continue
        for token, directive in _QT_TOKENS:
            if qt.startswith(token, i):
                out.append("%H" if directive == "%I" and not twelve_hour else directive)
                i += len(token)
                break
        else:
            out.append("%%" if qt[i] == "%" else qt[i])
            i += 1
    return "".join(out).replace("}", "")
