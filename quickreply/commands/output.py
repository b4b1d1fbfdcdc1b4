"""Printing for the command line: aligned tables that respect wide (Chinese) characters, and JSON."""

from __future__ import annotations

import json
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from quickreply.core.library.atomic import atomic_write_bytes

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
    """Print rows under headers in aligned columns; long cells are cut with an ellipsis."""
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
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


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
