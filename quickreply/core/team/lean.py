"""Lean parsing of a day file's meta and day lines, for reports over thousands of files.

orjson parses the line (it refuses what `core/safe_load.load_json` refuses: bad UTF-8, NaN,
1e999, integers beyond 64 bits), and the depth check walks containers only, never each scalar.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson

from quickreply.core.errors import ValidationError

BOM = b"\xef\xbb\xbf"


def load_object(line: bytes, where: str, max_depth: int, max_chars: int) -> dict[str, Any]:
    """Return the JSON object of one line; raise ValidationError naming `where` for anything else."""
    if line.startswith(BOM):
        line = line[len(BOM) :]
    if len(line) > max_chars and len(line.decode("utf-8", "replace")) > max_chars:
        raise ValidationError(f"{where}: longer than {max_chars:,} characters")
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        raise ValidationError(f"{where}: not valid JSON ({exc})") from None
    if not isinstance(value, dict):
        raise ValidationError(f"{where}: expected a JSON object")
    if _too_deep(value, max_depth - 1):
        raise ValidationError(f"{where}: nested deeper than {max_depth} levels")
    return value


def _too_deep(container: Any, levels_left: int) -> bool:
    """Whether a list or object inside `container` lies more than `levels_left` levels down."""
    children: Iterable[Any] = container.values() if type(container) is dict else container
    for child in children:
        kind = type(child)
        if (kind is dict or kind is list) and (
            levels_left == 0 or _too_deep(child, levels_left - 1)
        ):
            return True
    return False
