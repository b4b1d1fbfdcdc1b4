"""What an update from one pack version to another changes: added, changed and removed snippets."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from quickreply.core.i18n import tr
from quickreply.core.library.model import Snippet
from quickreply.core.packs.format import Pack, semver_key

COMPARED_FIELDS = (
    "title",
    "body",
    "category",
    "tags",
    "questions",
    "hotkey",
    "abbrev",
    "auto_send",
    "locked",
    "images",
    "image_order",
)


@dataclass(frozen=True)
class SnippetChange:
    """One snippet present in both versions, and the fields that differ."""

    id: str
    title: str
    fields: tuple[str, ...]


@dataclass
class PackDiff:
    """The difference between two versions of one pack (ids are library ids)."""

    pack_id: str
    old_version: str | None
    new_version: str
    added: list[Snippet] = field(default_factory=list)
    changed: list[SnippetChange] = field(default_factory=list)
    removed: list[Snippet] = field(default_factory=list)
    categories_added: list[str] = field(default_factory=list)
    categories_removed: list[str] = field(default_factory=list)
    categories_renamed: list[tuple[str, str]] = field(default_factory=list)
    # (image reference, snippet id): images a snippet gained or lost; a replaced image is both
    images_added: list[tuple[str, str]] = field(default_factory=list)
    images_removed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        """Whether the two versions hold the same snippets and categories."""
        return not (
            self.added
            or self.changed
            or self.removed
            or self.categories_added
            or self.categories_removed
            or self.categories_renamed
        )

    def summary(self) -> str:
        """Return a one-line, translated count such as "3 added, 1 changed, 2 removed"."""
        if not (self.added or self.changed or self.removed):
            return tr("no snippet changes")
        return tr(
            "{added} added, {changed} changed, {removed} removed",
            added=len(self.added),
            changed=len(self.changed),
            removed=len(self.removed),
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form (for `pack diff --json`)."""
        return {
            "pack_id": self.pack_id,
            "old_version": self.old_version,
            "new_version": self.new_version,
            "added": [{"id": s.id, "title": s.title} for s in self.added],
            "changed": [
                {"id": c.id, "title": c.title, "fields": list(c.fields)} for c in self.changed
            ],
            "removed": [{"id": s.id, "title": s.title} for s in self.removed],
            "categories_added": self.categories_added,
            "categories_removed": self.categories_removed,
            "categories_renamed": [list(pair) for pair in self.categories_renamed],
            "images_added": [{"image": r, "snippet": s} for r, s in self.images_added],
            "images_removed": [{"image": r, "snippet": s} for r, s in self.images_removed],
        }


def diff_packs(old: Pack | None, new: Pack) -> PackDiff:
    """Return what replacing `old` (None: nothing installed) with `new` changes."""
    diff = PackDiff(new.id, old.manifest.version if old else None, new.manifest.version)
    before = {s.id: s for s in old.snippets} if old else {}
    after = {s.id: s for s in new.snippets}
    diff.added = [s for sid, s in after.items() if sid not in before]
    diff.removed = [s for sid, s in before.items() if sid not in after]
    for sid, snippet in after.items():
        if sid in before:
            fields = tuple(
                name
                for name in COMPARED_FIELDS
                if getattr(before[sid], name) != getattr(snippet, name)
            )
            if fields:
                diff.changed.append(SnippetChange(sid, snippet.title, fields))
    for sid in dict.fromkeys([*before, *after]):
        had = before[sid].images if sid in before else ()
        has = after[sid].images if sid in after else ()
        diff.images_added.extend((ref, sid) for ref in has if ref not in had)
        diff.images_removed.extend((ref, sid) for ref in had if ref not in has)
    old_categories = {c.id: c.name for c in old.categories} if old else {}
    new_categories = {c.id: c.name for c in new.categories}
    diff.categories_added = [n for cid, n in new_categories.items() if cid not in old_categories]
    diff.categories_removed = [n for cid, n in old_categories.items() if cid not in new_categories]
    diff.categories_renamed = [
        (old_categories[cid], name)
        for cid, name in new_categories.items()
        if cid in old_categories and old_categories[cid] != name
    ]
    return diff


def suggest_version(previous: str | None, diff: PackDiff | None) -> str:
    """Suggest the next semantic version: major when snippets were removed, minor when added,
    patch for wording changes only; 1.0.0 for a first version.
    """
    if previous is None:
        return "1.0.0"
    major, minor, patch = semver_key(previous)[:3]
    if diff is not None and (diff.removed or diff.categories_removed):
        return f"{major + 1}.0.0"
    if diff is None or diff.added or diff.categories_added:
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"
