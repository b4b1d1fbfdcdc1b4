"""Putting imported phrases into the library: a preview first, then one atomic write, undoable.

`plan_import` says what would be added, merged and skipped (and why) without writing. Same body
in a category of the same name is merged, not doubled (an abbreviation the library snippet lacks
is given to it). An abbreviation already used is reported with both snippets named, and the
imported snippet keeps none. `apply_import` writes the plan in one step and records it so that
`undo_import` can take back the last import as one step.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from quickreply.core.errors import NotFoundError, StorageError, ValidationError
from quickreply.core.i18n import tr
from quickreply.core.importers.result import (
    ImportedSnippet,
    ImportResult,
    Skipped,
    to_snippet,
    valid_abbrev,
)
from quickreply.core.library import paths
from quickreply.core.library.atomic import atomic_write_bytes, atomic_write_text
from quickreply.core.library.model import Category, Snippet, new_id, now_iso
from quickreply.core.library.store import Change, LibraryStore

UNDO_FILE = "last_import.json"


def default_undo_path() -> Path:
    """Where the record of the last import is kept, in the data dir (for `import --undo`)."""
    return paths.data_dir() / UNDO_FILE


@dataclass(frozen=True)
class Merge:
    """An imported phrase whose text the library already holds in that category."""

    imported: ImportedSnippet
    existing: Snippet
    updated: Snippet | None = None  # the library snippet with the imported abbreviation added


@dataclass
class ImportPlan:
    """What importing one source would change in the library."""

    source: str
    format: str
    new_categories: list[Category] = field(default_factory=list)
    added: list[Snippet] = field(default_factory=list)
    merged: list[Merge] = field(default_factory=list)
    clashes: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        """Whether applying the plan would change nothing."""
        return not (self.added or any(m.updated for m in self.merged))

    def summary(self) -> str:
        """Return a one-line, translated count: added, merged, skipped."""
        return tr(
            "{added} to add, {merged} already there (merged), {skipped} skipped",
            added=len(self.added),
            merged=len(self.merged),
            skipped=len(self.skipped),
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form (for `import --json`)."""
        names = {c.id: c.name for c in self.new_categories}
        return {
            "source": self.source,
            "format": self.format,
            "new_categories": [c.name for c in self.new_categories],
            "added": [
                {
                    "title": s.title,
                    "category": names.get(s.category, s.category),
                    "abbrev": s.abbrev,
                }
                for s in self.added
            ],
            "merged": [
                {
                    "title": m.imported.title,
                    "into": m.existing.id,
                    "into_title": m.existing.title,
                    "abbrev_added": m.updated.abbrev if m.updated else None,
                }
                for m in self.merged
            ],
            "clashes": self.clashes,
            "skipped": [{"where": s.where, "reason": s.reason} for s in self.skipped],
            "notes": self.notes,
        }


def plan_import(store: LibraryStore, result: ImportResult) -> ImportPlan:
    """Compare `result` with the library and return what importing it would do; writes nothing."""
    plan = ImportPlan(result.source, result.format, skipped=list(result.skipped))
    plan.notes = list(result.notes)
    personal = {c.name: c for c in store.categories() if c.pack_id is None}
    order = max((c.order for c in store.categories()), default=0)
    category_ids: dict[str, str] = {name: c.id for name, c in personal.items()}
    bodies: dict[tuple[str, str], Snippet] = {
        (s.category, s.body.strip()): s for s in store.snippets() if s.pack_id is None
    }
    abbrevs: dict[str, str] = {s.abbrev: s.title for s in store.snippets() if s.abbrev}
    taken_ids = {s.id for s in store.snippets()}
    stamp = now_iso()
    for item in result.snippets:
        category_id = category_ids.get(item.category)
        if category_id is None:
            category_id = _fresh_id("c", set(category_ids.values()))
            order += 1
            category = Category(id=category_id, name=item.category.strip(), order=order)
            if not category.name:
                plan.skipped.append(Skipped(item.where, "the category name is empty"))
                continue
            category_ids[item.category] = category_id
            plan.new_categories.append(category)
        snippet_id = _fresh_id("s", taken_ids)
        abbrev = _checked_abbrev(item, plan)
        free = abbrev if abbrev and abbrev not in abbrevs else None
        try:
            snippet = to_snippet(item, snippet_id, category_id, None, abbrev=free, stamp=stamp)
        except ValidationError as exc:
            plan.skipped.append(Skipped(item.where, "; ".join(_without_id(exc.problems))))
            continue
        known = bodies.get((category_id, snippet.body.strip()))
        if known is not None:
            _merge(plan, item, known, abbrev, abbrevs, bodies)
            continue
        if abbrev and not free:
            plan.clashes.append(
                tr(
                    "abbreviation '{abbrev}' of '{title}' is already used by '{other}'; "
                    "imported without an abbreviation",
                    abbrev=abbrev,
                    title=snippet.title,
                    other=abbrevs[abbrev],
                )
            )
        elif free:
            abbrevs[free] = snippet.title
        taken_ids.add(snippet_id)
        bodies[(category_id, snippet.body.strip())] = snippet
        plan.added.append(snippet)
    used = {s.category for s in plan.added}
    plan.new_categories = [c for c in plan.new_categories if c.id in used]
    return plan


def _fresh_id(prefix: str, taken: set[str]) -> str:
    while True:
        candidate = new_id(prefix)
        if candidate not in taken:
            return candidate


def _without_id(problems: list[str]) -> list[str]:
    """Drop the generated "snippet 's-…': " prefix: the user knows the phrase by where it was."""
    return [p.split(": ", 1)[1] if p.startswith("snippet '") and ": " in p else p for p in problems]


def _checked_abbrev(item: ImportedSnippet, plan: ImportPlan) -> str | None:
    if not item.abbrev:
        return None
    cleaned = valid_abbrev(item.abbrev)
    if cleaned is None:
        plan.notes.append(
            tr(
                "{where}: '{abbrev}' cannot be an abbreviation (letters, digits and . - _ ; "
                "after an optional prefix such as ; or /); imported without one",
                where=item.where,
                abbrev=item.abbrev,
            )
        )
        return None
    return cleaned


def _merge(
    plan: ImportPlan,
    item: ImportedSnippet,
    known: Snippet,
    abbrev: str | None,
    abbrevs: dict[str, str],
    bodies: dict[tuple[str, str], Snippet],
) -> None:
    updated = None
    if abbrev and not known.abbrev and abbrev not in abbrevs and not known.locked:
        updated = known.edited(abbrev=abbrev)
        abbrevs[abbrev] = known.title
        bodies[(known.category, known.body.strip())] = updated
    elif abbrev and abbrev != known.abbrev and abbrev in abbrevs:
        plan.clashes.append(
            tr(
                "abbreviation '{abbrev}' of '{title}' is already used by '{other}'; "
                "imported without an abbreviation",
                abbrev=abbrev,
                title=item.title,
                other=abbrevs[abbrev],
            )
        )
    added = next((i for i, s in enumerate(plan.added) if s.id == known.id), None)
    if added is not None:
        # a repeat inside the source itself: fold it into the snippet being added
        plan.added[added] = replace(updated, updated=known.updated) if updated else known
        updated = None
    plan.merged.append(Merge(item, known, updated))


def apply_import(store: LibraryStore, plan: ImportPlan, undo_path: Path) -> Change:
    """Write `plan` to the library in one atomic step and remember it for `undo_import`.

    Raises StorageError when the library cannot be written; the library is then unchanged and
    the previous undo record is kept.
    """
    previous = undo_path.read_bytes() if undo_path.exists() else None
    updates = [m.updated for m in plan.merged if m.updated]
    record = {
        "source": plan.source,
        "format": plan.format,
        "time": now_iso(),
        "added": [s.id for s in plan.added],
        "categories": [c.id for c in plan.new_categories],
        "before": [m.existing.to_dict() for m in plan.merged if m.updated],
    }
    atomic_write_text(undo_path, json.dumps(record, ensure_ascii=False))
    try:
        return store.apply_bulk(
            add_categories=plan.new_categories,
            add_snippets=plan.added,
            update_snippets=updates,
        )
    except BaseException:
        if previous is None:
            undo_path.unlink(missing_ok=True)
        else:
            atomic_write_bytes(undo_path, previous)
        raise


@dataclass(frozen=True)
class UndoneImport:
    """What `undo_import` took back."""

    source: str
    removed: int
    restored: int


def undo_import(store: LibraryStore, undo_path: Path) -> UndoneImport:
    """Take back the last import as one step: its snippets and new categories go, merged ones
    get their earlier state back. Raises NotFoundError when there is nothing to undo."""
    try:
        record = json.loads(undo_path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise NotFoundError("there is no import to undo") from exc
    except (OSError, ValueError) as exc:
        raise StorageError(f"{undo_path.name} cannot be read ({exc}); nothing was undone") from exc
    added = [str(i) for i in record.get("added", [])]
    present = {s.id for s in store.snippets()}
    before = [Snippet.from_dict(d) for d in record.get("before", [])]
    added_set = set(added)
    keep = {s.category for s in store.snippets() if s.id not in added_set}
    categories = [c for c in record.get("categories", []) if c not in keep]
    store.apply_bulk(update_snippets=before, remove_snippets=added, remove_categories=categories)
    os.remove(undo_path)
    return UndoneImport(
        str(record.get("source", "")),
        len([i for i in added if i in present]),
        len([s for s in before if s.id in present]),
    )
