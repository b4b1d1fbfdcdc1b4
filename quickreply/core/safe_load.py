"""Reading JSON and YAML that a stranger may have written: bounded depth, no YAML aliases.

Every file QuickReply parses (library, packs, pack sources, indexes, usage exports, its own state
files) goes through here, so a hostile file ends in one ValidationError naming the file and the
rule, never in RecursionError, a billion-laughs expansion or a 5,000-digit integer.
"""

from __future__ import annotations

import json
import math
from typing import Any

from quickreply.core.errors import ValidationError
from quickreply.core.load_problems import MAX_DEPTH, value_problem


def load_json(text: str | bytes, where: str, *, max_depth: int = MAX_DEPTH) -> Any:
    """Return the JSON value in `text`; raise ValidationError naming `where` for anything else.

    Refused: undecodable bytes, syntax errors, nesting deeper than `max_depth`, numbers that are
    not finite (``1e999``, ``NaN``) and integers too long to convert.
    """
    try:
        if isinstance(text, bytes):
            text = text.decode("utf-8-sig")
        value = json.loads(text, parse_float=_finite_float, parse_constant=_no_constant)
    except UnicodeDecodeError as exc:
        raise ValidationError(f"{where}: not UTF-8 text (byte {exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise ValidationError(
            f"{where}: not valid JSON at line {exc.lineno}, column {exc.colno} ({exc.msg})"
        ) from exc
    except RecursionError as exc:
        raise ValidationError(f"{where}: nested deeper than {max_depth} levels") from exc
    except ValueError as exc:  # int digit limit, 1e999
        raise ValidationError(f"{where}: {value_problem(exc)}") from exc
    check_depth(value, where, max_depth)
    return value


def load_yaml(text: str, where: str, *, max_depth: int = MAX_DEPTH) -> Any:
    """Return the YAML value in `text` (safe types only); raise ValidationError naming `where`.

    Aliases and anchors are refused outright (a 611-byte "billion laughs" file expands to
    gigabytes), and so is nesting deeper than `max_depth`. PyYAML is loaded on the first call:
    the tray's start reads JSON only.
    """
    from quickreply.core.safe_yaml import load_bounded_yaml

    return load_bounded_yaml(text, where, max_depth)


def check_depth(value: Any, where: str, max_depth: int = MAX_DEPTH) -> None:
    """Raise ValidationError when lists/objects in `value` nest deeper than `max_depth`."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > max_depth:
            raise ValidationError(f"{where}: nested deeper than {max_depth} levels")
        stack.extend((child, depth + 1) for child in children)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"number {text[:20]} is out of range")
    return value


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number QuickReply accepts")
