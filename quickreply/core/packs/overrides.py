"""An agent's own version of a pack snippet: kept through pack updates, shown as edited, and
revertible to the pack's version (docs/packs.md, "Your edits to pack replies").

The store keeps the pack's text in the pack record's ``overridden`` map before an agent's first
edit, and the ids of pack snippets the agent deleted in ``removed_by_agent``. Installing a pack
version (an update, `quickreply defaults`) keeps both: the agent's text wins over the new pack
text (which replaces the kept pack version, for "revert"), and deleted snippets stay deleted. A
lead's locked snippets are never overridden: the pack wins there.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from quickreply.core.errors import ValidationError
from quickreply.core.library.model import Category, Snippet
from quickreply.core.library.pack_record import PackRecord
from quickreply.core.library.store import LibraryStore, content_dict


def keep_agent_changes(
    record: PackRecord | None,
    current: dict[str, Snippet],
    snippets: list[Snippet],
    categories: list[Category],
) -> tuple[list[Snippet], dict[str, Any]]:
    """Return the pack's `snippets` with the agent's edits kept and deletions left out, and the
    record fields (``overridden``, ``removed_by_agent``, ``hidden``) the new record carries on."""
    if record is None:
        return snippets, {}
    overridden: dict[str, Any] = dict(record.overridden)
    removed = set(record.removed_by_agent)
    pack_categories = {c.id for c in categories}
    kept: list[Snippet] = []
    for snippet in snippets:
        if snippet.locked:
            overridden.pop(snippet.id, None)
            kept.append(snippet)
            continue
        if snippet.id in removed:
            continue
        mine = current.get(snippet.id)
        if snippet.id in overridden and mine is not None:
            overridden[snippet.id] = content_dict(snippet)  # the pack's newest text, for revert
            category = mine.category
            if category.startswith(f"{snippet.pack_id}/") and category not in pack_categories:
                category = snippet.category  # the pack dropped that category
            snippet = replace(
                snippet,
                title=mine.title,
                body=mine.body,
                tags=mine.tags,
                auto_send=mine.auto_send,
                images=mine.images,
                image_order=mine.image_order,
                category=category,
            )
        kept.append(snippet)
    live = {s.id for s in kept}
    fields = {
        "overridden": {sid: v for sid, v in overridden.items() if sid in live},
        "removed_by_agent": sorted(removed & {s.id for s in snippets}),
        "hidden": record.hidden,  # hidden from the tray menu (core/packs/visibility)
    }
    return kept, fields


def is_edited(store: LibraryStore, snippet: Snippet) -> bool:
    """Whether `snippet` is a pack snippet the agent changed (their version is kept on update)."""
    record = store.pack_record(snippet.pack_id or "")
    return record is not None and snippet.id in record.overridden


def revert_to_pack(store: LibraryStore, snippet_id: str) -> Snippet:
    """Put the pack's version of `snippet_id` back; raise ValidationError when it is not edited."""
    with store.batch():
        snippet = store.get(snippet_id)
        record = store.pack_record(snippet.pack_id or "")
        original = record.overridden.get(snippet_id) if record else None
        if record is None or original is None:
            raise ValidationError(f"'{snippet.title}' is not an edited pack reply")
        reverted = store.update(
            snippet.edited(
                title=original["title"],
                body=original["body"],
                category=original["category"],
                tags=tuple(original["tags"]),
                auto_send=bool(original["auto_send"]),
                images=tuple(original.get("images") or ()),
                image_order=original.get("image_order") or "images_first",
            )
        )
        left = {k: v for k, v in record.overridden.items() if k != snippet_id}
        store.set_pack_record(record.id, overridden=left)
    return reverted
