"""Printing for the command line: aligned tables that respect wide (Chinese) characters, JSON, and
escaping of control characters in everything the CLI prints (a pack name holding ESC [2J must
not clear the agent's screen)."""

from __future__ import annotations

import contextlib
import json
import sys
import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from quickreply.core.i18n import tr
from quickreply.core.library.atomic import atomic_write_bytes

# C0 controls but tab and newline, DEL, C1 controls (CSI, OSC ...), and bidi overrides that
# reorder what a terminal shows: each printed as a visible \xNN / \uNNNN escape
_UNSAFE = [*(c for c in range(0x20) if c not in (0x09, 0x0A)), *range(0x7F, 0xA0)]
_BIDI = [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_ESCAPES = {c: f"\\x{c:02x}" for c in _UNSAFE} | {c: f"\\u{c:04x}" for c in _BIDI}
_JSON_ESCAPES = {c: f"\\u{c:04x}" for c in (*_UNSAFE, *_BIDI)}


def escape_controls(text: str) -> str:
    """Return `text` with terminal control characters shown as escapes (newline and tab kept)."""
    return text.translate(_ESCAPES)


class _EscapingStream:
    """A text stream that escapes control characters in everything written through it."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(escape_controls(text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextlib.contextmanager
def escaped_output() -> Iterator[None]:
    """Escape control characters in all output to stdout and stderr while the block runs."""
    saved = sys.stdout, sys.stderr
    sys.stdout = _EscapingStream(sys.stdout)
    sys.stderr = _EscapingStream(sys.stderr)
    try:
        yield
    finally:
        if isinstance(sys.stdout, _EscapingStream):
            sys.stdout = saved[0]
        if isinstance(sys.stderr, _EscapingStream):
            sys.stderr = saved[1]


EXIT_ERROR = 2  # the exit status of every error a user can cause


def display_width(text: str) -> int:
    """Return how many terminal columns `text` takes (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fit(text: str, width: int) -> str:
    out: list[str] = []
    used = 0
    for ch in text:
        w = display_width(ch)
        if used + w > width:
            return "".join(out)[:-1] + "…" + " " * (width - used)
        out.append(ch)
        used += w
    return "".join(out) + " " * (width - used)


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]], max_width: int = 40) -> None:
    """Print rows under headers (shown in the interface language) in aligned columns; long
    cells are cut with an ellipsis."""
    headers = [tr(header) for header in headers]
    widths = [
        min(max_width, max([display_width(h)] + [display_width(r[i]) for r in rows]))
        for i, h in enumerate(headers)
    ]
    for row in [list(headers), *rows]:
        line = "  ".join(
            _fit(cell.replace("\n", " ⏎ "), w) for cell, w in zip(row, widths, strict=True)
        )
        print(line.rstrip())


def print_json(data: Any) -> None:
    """Print `data` as UTF-8 JSON (Chinese kept readable, not \\u-escaped)."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    # control characters only occur inside JSON strings: \uNNNN keeps the JSON valid and the
    # terminal safe (the escaping stream would write \xNN, which JSON does not allow)
    sys.stdout.write(text.translate(_JSON_ESCAPES) + "\n")


def write_output(output: str, data: bytes) -> str:
    """Write `data` to the file `output` atomically, or to standard output for "-".

    Returns where it went, for the confirmation line ("standard output" or the path).
    """
    if output == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return "standard output"
    atomic_write_bytes(Path(output), data)
    return output
