"""What every importer returns: categories, snippets, and what could not be converted and why.

An ImportResult is read-only data: reading a file never writes anything. `as_pack` gives the same
content as a Pack, so the pack validation and diff machinery can preview it like any pack.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal, get_args

from quickreply.core.errors import ValidationError
from quickreply.core.library.model import (
    ABBREV_PATTERN,
    FULL_WIDTH_PREFIX,
    MAX_TITLE,
    Category,
    Snippet,
    clean_snippet,
    now_iso,
)
from quickreply.core.packs.format import Pack, PackManifest

TITLE_CHARS = 30  # a title made from the first line of a body is cut at this many characters
ImportFormat = Literal["espanso", "beeftext", "ahk", "csv", "xlsx"]
FORMATS: tuple[ImportFormat, ...] = get_args(ImportFormat)


@dataclass(frozen=True)
class ImportedSnippet:
    """One converted phrase: its text in our placeholder syntax, where it came from."""

    title: str
    body: str
    category: str
    abbrev: str | None = None
    where: str = ""


@dataclass(frozen=True)
class Skipped:
    """Something in the source that was not imported: where it is and why."""

    where: str
    reason: str


@dataclass
class ImportResult:
    """The content read from one source: category names in order, snippets, skipped items, notes."""

    source: str
    format: str
    categories: list[str] = field(default_factory=list)
    snippets: list[ImportedSnippet] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, snippet: ImportedSnippet) -> None:
        """Append a snippet, registering its category in first-seen order."""
        if snippet.category not in self.categories:
            self.categories.append(snippet.category)
        self.snippets.append(snippet)

    def skip(self, where: str, reason: str) -> None:
        """Record something that was not imported."""
        self.skipped.append(Skipped(where, reason))

    def with_category(self, name: str) -> ImportResult:
        """Return the same content with every snippet in the one category `name`."""
        name = name.strip()
        if not name:
            raise ValidationError("--category needs a name")
        moved = ImportResult(self.source, self.format, [], [], list(self.skipped), list(self.notes))
        for snippet in self.snippets:
            moved.add(
                ImportedSnippet(snippet.title, snippet.body, name, snippet.abbrev, snippet.where)
            )
        return moved

    def as_pack(self, pack_id: str = "import") -> Pack:
        """Return the content as a Pack (ids ``<pack_id>/c-N`` and ``<pack_id>/s-N``).

        Snippets that fail the checks every snippet passes are left out here; `plan_import`
        reports them as skipped.
        """
        ids = {name: f"{pack_id}/c-{i + 1}" for i, name in enumerate(self.categories)}
        categories = [
            Category(id=cid, name=name, order=i + 1, pack_id=pack_id)
            for i, (name, cid) in enumerate(ids.items())
        ]
        snippets = []
        for i, item in enumerate(self.snippets):
            try:
                snippets.append(
                    to_snippet(
                        item,
                        f"{pack_id}/s-{i + 1}",
                        ids[item.category],
                        pack_id,
                        abbrev=item.abbrev,
                    )
                )
            except ValidationError:
                continue
        manifest = PackManifest(id=pack_id, name=self.source, version="1.0.0")
        return Pack(manifest, categories, snippets)


def to_snippet(
    item: ImportedSnippet,
    snippet_id: str,
    category_id: str,
    pack_id: str | None,
    *,
    abbrev: str | None = None,
    stamp: str | None = None,
) -> Snippet:
    """Return the library Snippet for `item` (with `abbrev`, not the item's), checked like any
    snippet; `stamp` is its created/updated time (one for a whole import). Raises ValidationError."""
    stamp = stamp or now_iso()
    return clean_snippet(
        Snippet(
            id=snippet_id,
            title=item.title,
            body=item.body,
            category=category_id,
            abbrev=abbrev,
            pack_id=pack_id,
            created=stamp,
            updated=stamp,
        )
    )


def valid_abbrev(value: str) -> str | None:
    """Return `value` as a library abbreviation (trimmed, lowercase), or None when it cannot be one."""
    cleaned = value.strip().translate(FULL_WIDTH_PREFIX).lower()
    return cleaned if ABBREV_PATTERN.match(cleaned) else None


def title_from(body: str, fallback: str = "") -> str:
    """Return a title for a phrase that has none: the first non-empty line of its text, shortened."""
    visible = re.sub(r"\{\{[^}]*\}\}", "", body)
    line = next((ln.strip() for ln in visible.splitlines() if ln.strip()), "") or fallback
    line = re.sub(r"\s+", " ", line)
    line = line[:MAX_TITLE]
    return line if len(line) <= TITLE_CHARS else line[: TITLE_CHARS - 1] + "…"


def clean_abbrev(value: object) -> str | None:
    """Return an abbreviation as typed in other tools, trimmed, lowercase, full-width prefix mapped."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a spreadsheet cell holding 12 reads as 12.0
    text = str(value).strip().translate(FULL_WIDTH_PREFIX).lower()
    return text or None
