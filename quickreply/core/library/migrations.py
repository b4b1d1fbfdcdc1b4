"""Upgrades of library.json from one schema version to the next, each a function of the raw tables.

Schema 2 (issue 16) gave snippets images: every row gets an empty image list and the default
order, so a row of the current schema always holds both fields.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Migration = Callable[[dict[str, Any]], dict[str, Any]]


def add_image_fields(data: dict[str, Any]) -> dict[str, Any]:
    """Schema 1 -> 2: give every snippet row ``images: []`` and ``image_order: images_first``."""
    for row in data.get("snippets", {}).values():
        if isinstance(row, dict):
            row.setdefault("images", [])
            row.setdefault("image_order", "images_first")
    return data


# schema version -> function upgrading the raw tables from that version to the next
MIGRATIONS: dict[int, Migration] = {1: add_image_fields}
