"""CSV cells a spreadsheet shows as text: never evaluated as a formula (CSV injection)."""

from __future__ import annotations

from typing import Any

# Excel, LibreOffice and Sheets evaluate a cell starting with these; tab and CR start DDE tricks
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """Return `value` with a leading apostrophe when it is text a spreadsheet would evaluate.

    Numbers are left alone (a negative number is a number, not a formula).
    """
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value
