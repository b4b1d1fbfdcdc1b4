"""Small packs for the pack tests, built from plain data the way a lead would write them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from quickreply.core.packs.file import write_pack_file
from quickreply.core.packs.format import Pack, parse_pack

CREATED = "2026-01-01T00:00:00+00:00"


def pack_data(
    pack_id: str = "team",
    version: str = "1.0.0",
    count: int = 3,
    *,
    locked: tuple[int, ...] = (),
    skip: tuple[int, ...] = (),
    changed: tuple[int, ...] = (),
) -> dict[str, Any]:
    """Return raw pack data: `count` snippets s0..s{count-1}, s0 with hotkey and abbreviation.

    `skip` leaves snippets out, `changed` gives them a new body, `locked` locks them.
    """
    snippets = []
    for n in range(count):
        if n in skip:
            continue
        item: dict[str, Any] = {
            "id": f"s{n}",
            "category": "c1" if n % 2 == 0 else "c2",
            "title": f"话术 {n}",
            "body": f"{{{{customer}}}}，这是第{n}条回复" + ("（新版）" if n in changed else ""),
            "locked": n in locked,
        }
        if n == 0:
            item.update(hotkey="ctrl+alt+f9", abbrev=f"{pack_id[:4]}0")
        snippets.append(item)
    return {
        "id": pack_id,
        "name": f"Pack {pack_id}",
        "version": version,
        "author": "组长",
        "language": "zh-CN",
        "created": CREATED,
        "categories": [{"id": "c1", "name": "售前"}, {"id": "c2", "name": "售后"}],
        "snippets": snippets,
    }


def make_pack(*args: Any, **kwargs: Any) -> Pack:
    """Return a parsed Pack made by pack_data(*args, **kwargs)."""
    return parse_pack(pack_data(*args, **kwargs))


def write_pack(path: Path, *args: Any, key: Any = None, **kwargs: Any) -> Path:
    """Write a .qrpack made by pack_data(*args, **kwargs) to `path`; return the path."""
    write_pack_file(path, make_pack(*args, **kwargs), key=key)
    return path
