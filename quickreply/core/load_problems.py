"""What the safe readers (core/safe_load.py, core/safe_yaml.py) say about a value they refuse."""

from __future__ import annotations

MAX_DEPTH = 32  # a pack is four levels deep; nothing we read needs more than a handful


def value_problem(exc: Exception) -> str:
    """A short reason for a value Python could not convert (huge integer, bad timestamp)."""
    if "integer string conversion" in str(exc):
        return "a number has more than 4,300 digits"
    return f"a value cannot be read ({first_line(exc)})"


def first_line(exc: Exception) -> str:
    """The first line of an error's message, at most 200 characters."""
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__
