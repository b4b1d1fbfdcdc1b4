"""The snippet library: snippets, categories and settings in one TinyDB file of ours.

One writer at a time: every change runs under a file lock, re-reading the file first when another
process (the CLI while the app runs, or the other way round) changed it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from tinydb import TinyDB
from tinydb.table import Document

from quickreply.core.errors import (
    BusyError,
    CorruptFileError,
    LockedError,
    NotFoundError,
    StorageError,
    ValidationError,
)
from quickreply.core.hotkey import reserved_hotkey_reason
from quickreply.core.library import paths
from quickreply.core.library.assets import AssetStore
from quickreply.core.library.atomic import remove_stale_temp_files
from quickreply.core.library.migrations import MIGRATIONS
from quickreply.core.library.model import (
    Category,
    Snippet,
    clean_category,
    clean_snippet,
    conflicts,
    new_id,
)
from quickreply.core.library.pack_record import PackRecord
from quickreply.core.library.settings import app_hotkeys, load_settings
from quickreply.core.library.storage import APP_MARKER, SafeJSONStorage, file_signature
from quickreply.core.library.structure import library_problem

SCHEMA_VERSION = 2  # 2: snippet images (core/library/migrations.py)
LOCK_TIMEOUT_S = 10.0


@dataclass
class Change:
    """What one write changed, for listeners such as the search index and the tray menu."""

    snippets: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)
    categories: bool = False
    settings: bool = False
    reloaded: bool = False


class LibraryStore:
    """Snippets, categories and settings, persisted atomically; safe against a second process."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path else paths.library_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.assets = AssetStore(self.path.parent)
        self._lock = FileLock(str(self.path) + ".lock", timeout=LOCK_TIMEOUT_S)
        self._listeners: list[Callable[[Change], None]] = []
        self._snippets: dict[str, Snippet] | None = None
        self._rows: dict[str, int] = {}  # snippet id -> TinyDB doc id, built with _snippets
        self._categories: dict[str, Category] | None = None
        self.recovered: CorruptFileError | None = None
        self.created = False
        self._batch: Change | None = None
        with self._locked():
            remove_stale_temp_files(self.path)
            self._open()

    # -- opening, reloading, locking ---------------------------------------------------------

    def _open(self) -> None:
        storage_holder: list[SafeJSONStorage] = []

        def make_storage() -> SafeJSONStorage:
            storage = SafeJSONStorage(
                self.path, lambda data: library_problem(data, SCHEMA_VERSION, MIGRATIONS)
            )
            storage_holder.append(storage)
            return storage

        self._db = TinyDB(storage=make_storage)
        self._storage = storage_holder[0]
        self.recovered = self.recovered or self._storage.recovered
        self._snippets = None
        self._categories = None
        meta = self._db.table("meta").get(doc_id=1)
        if meta is None:
            self.created = True
            self._db.table("meta").insert(
                Document({"app": APP_MARKER, "schema": SCHEMA_VERSION}, doc_id=1)
            )
            return
        schema = int(meta.get("schema", 0))
        if schema > SCHEMA_VERSION:
            raise StorageError(
                f"{self.path.name} was written by a newer QuickReply (schema {schema}; this version "
                f"reads up to {SCHEMA_VERSION}). Update QuickReply; the file was left untouched."
            )
        if schema < SCHEMA_VERSION:
            self._migrate(schema)

    def _migrate(self, schema: int) -> None:
        data = self._storage.read() or {}
        while schema < SCHEMA_VERSION:
            data = MIGRATIONS[schema](data)
            schema += 1
        data.setdefault("meta", {})["1"] = {"app": APP_MARKER, "schema": SCHEMA_VERSION}
        self._storage.write(data)
        self._db = TinyDB(storage=lambda: self._storage)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        try:
            with self._lock:
                yield
        except Timeout as exc:
            raise BusyError(
                f"another QuickReply process has held {self.path.name} for {LOCK_TIMEOUT_S:.0f} s; "
                "try again, or close the other process"
            ) from exc

    def refresh(self) -> bool:
        """Re-read the file if another process changed it; return whether it did."""
        if file_signature(self.path) == self._storage.signature:
            return False
        self._open()
        self._notify(Change(reloaded=True, categories=True, settings=True))
        return True

    @contextlib.contextmanager
    def _writing(self) -> Iterator[Change]:
        """Run one change under the file lock on fresh data; notify listeners afterwards."""
        if self._batch is not None:
            yield self._batch
            return
        change = Change()
        with self._locked():
            self.refresh()
            yield change
            if (change.snippets or change.removed) and self.assets.folder.is_dir():
                self.assets.collect_garbage(self.referenced_assets())
        # snippet changes were applied to the in-memory map as they were written
        self._categories = None if change.categories else self._categories
        self._notify(change)

    @contextlib.contextmanager
    def batch(self) -> Iterator[Change]:
        """Group many changes into one locked, atomic file write (all or nothing)."""
        with self._writing() as change:
            self._batch = change
            self._storage.begin_batch()
            try:
                yield change
            except BaseException:
                self._batch = None
                self._storage.end_batch(commit=False)
                self._open()
                raise
            self._batch = None
            self._storage.end_batch(commit=True)

    def add_listener(self, listener: Callable[[Change], None]) -> None:
        """Call `listener(change)` after every write, and after a reload caused by another process."""
        self._listeners.append(listener)

    def _notify(self, change: Change) -> None:
        if change.reloaded:
            self._snippets = None
            self._categories = None
        for listener in list(self._listeners):
            listener(change)

    # -- snippets ----------------------------------------------------------------------------

    def _snippet_map(self) -> dict[str, Snippet]:
        if self._snippets is None:
            rows = self._db.table("snippets").all()
            self._snippets = {row["id"]: Snippet.from_dict(row) for row in rows}
            self._rows = {row["id"]: row.doc_id for row in rows}
        return self._snippets

    def snippets(self) -> list[Snippet]:
        """Return every snippet in category order; within a category, in the order they were added."""
        position = {c.id: i for i, c in enumerate(self.categories())}
        return sorted(
            self._snippet_map().values(),
            key=lambda s: position.get(s.category, len(position)),
        )

    def get(self, snippet_id: str) -> Snippet:
        """Return the snippet with this id; raise NotFoundError when there is none."""
        snippet = self._snippet_map().get(snippet_id)
        if snippet is None:
            raise NotFoundError(f"no snippet with id '{snippet_id}' (see `quickreply list`)")
        return snippet

    def find(self, snippet_id: str) -> Snippet | None:
        """Return the snippet with this id, or None."""
        return self._snippet_map().get(snippet_id)

    def reserved_hotkeys(self) -> set[str]:
        """Return the hotkeys QuickReply itself uses (palette, suggest, paste keys), which no
        snippet may take."""
        settings = load_settings(self)
        return {*app_hotkeys(settings), settings.paste_keys, *settings.app_paste_keys.values()}

    def hotkey_problem(self, combo: str) -> str | None:
        """Return why no snippet or category may take `combo` (canonical), or None if it may."""
        reason = reserved_hotkey_reason(combo)
        if reason:
            return f"hotkey {combo} is reserved: the system and chat apps use it ({reason})"
        if combo in self.reserved_hotkeys():
            return f"hotkey {combo} is used by QuickReply itself (see settings)"
        return None

    def check(self, snippet: Snippet) -> Snippet:
        """Return the cleaned snippet, or raise ValidationError listing every problem and clash."""
        cleaned = clean_snippet(snippet)
        problems = conflicts(cleaned, self._snippet_map().values(), self.categories())
        reserved = self.hotkey_problem(cleaned.hotkey) if cleaned.hotkey else None
        if reserved:
            problems.append(reserved)
        if cleaned.category and cleaned.category not in self._category_map():
            problems.append(f"snippet '{cleaned.id}': unknown category '{cleaned.category}'")
        saved = self._snippet_map().get(cleaned.id)
        problems.extend(  # an image saved before and lost since does not block other edits
            f"snippet '{cleaned.id}': image {ref} is not stored (add the image file again)"
            for ref in cleaned.images
            if not self.assets.exists(ref) and (saved is None or ref not in saved.images)
        )
        if problems:
            raise ValidationError(problems)
        return cleaned

    def add(self, snippet: Snippet) -> Snippet:
        """Validate and store a new snippet; return it as stored."""
        with self._writing() as change:
            if snippet.id in self._snippet_map():
                raise ValidationError(f"a snippet with id '{snippet.id}' already exists")
            cleaned = self.check(snippet)
            self._rows[cleaned.id] = self._db.table("snippets").insert(cleaned.to_dict())
            self._snippet_map()[cleaned.id] = cleaned
            change.snippets.add(cleaned.id)
            record = self.pack_record(cleaned.pack_id or "")
            if record is not None and cleaned.id in record.removed_by_agent:
                # an undone delete: the pack may update it again
                removed = [sid for sid in record.removed_by_agent if sid != cleaned.id]
                self._update_pack_record(record.id, removed_by_agent=removed)
        return cleaned

    def update(self, snippet: Snippet, *, allow_locked: bool = False) -> Snippet:
        """Validate and store a changed snippet. Raise LockedError for a lead's locked snippet."""
        with self._writing() as change:
            current = self.get(snippet.id)
            if current.locked and not allow_locked and _content(current) != _content(snippet):
                raise LockedError(
                    f"'{current.title}' belongs to the locked pack '{current.pack_id}' and cannot be edited"
                )
            cleaned = self.check(snippet)
            if cleaned.pack_id and not current.locked and _content(current) != _content(cleaned):
                self._keep_pack_version(current)
            self._replace_rows({cleaned.id: cleaned})
            change.snippets.add(cleaned.id)
        return cleaned

    def _keep_pack_version(self, current: Snippet) -> None:
        """Before an agent's first edit of a pack snippet, keep the pack's text in its record
        (an update keeps the edit; "revert" brings this back: core/packs/overrides.py)."""
        record = self.pack_record(current.pack_id or "")
        if record is not None and current.id not in record.overridden:
            overridden = {**record.overridden, current.id: content_dict(current)}
            self._update_pack_record(record.id, overridden=overridden)

    def _replace_rows(self, changed: dict[str, Snippet]) -> None:
        table = self._db.table("snippets")
        snippets = self._snippet_map()  # also builds self._rows
        for sid, snippet in changed.items():
            table.update(snippet.to_dict(), doc_ids=[self._rows[sid]])
            snippets[sid] = snippet

    def remove(self, snippet_id: str, *, allow_locked: bool = False) -> Snippet:
        """Delete a snippet and return it (for undo). Raise LockedError for a locked snippet."""
        with self._writing() as change:
            snippet = self.get(snippet_id)
            if snippet.locked and not allow_locked:
                raise LockedError(
                    f"'{snippet.title}' belongs to the locked pack '{snippet.pack_id}'; "
                    "remove the pack instead"
                )
            self._db.table("snippets").remove(doc_ids=[self._rows.pop(snippet_id)])
            self._snippet_map().pop(snippet_id, None)
            change.removed.add(snippet_id)
            record = self.pack_record(snippet.pack_id or "")
            if record is not None:  # an update must not bring it back
                removed = sorted({*record.removed_by_agent, snippet_id})
                self._update_pack_record(record.id, removed_by_agent=removed)
        return snippet

    def referenced_assets(self) -> set[str]:
        """Return every image a snippet uses, and those kept for reverting edited pack replies."""
        referenced = {ref for s in self._snippet_map().values() for ref in s.images}
        for record in self.pack_records():
            for kept in record.overridden.values():
                referenced.update(kept.get("images") or ())
        return referenced

    def new_snippet_id(self) -> str:
        """Return an id no snippet in the library uses yet."""
        while True:
            candidate = new_id("s")
            if candidate not in self._snippet_map():
                return candidate

    # -- categories --------------------------------------------------------------------------

    def _category_map(self) -> dict[str, Category]:
        if self._categories is None:
            rows = self._db.table("categories").all()
            self._categories = {row["id"]: Category.from_dict(row) for row in rows}
        return self._categories

    def categories(self) -> list[Category]:
        """Return every category in display order: personal ones, then each pack in install order."""
        rank = {r.id: i for i, r in enumerate(self.pack_records())}
        return sorted(
            self._category_map().values(),
            key=lambda c: (rank.get(c.pack_id, -1) if c.pack_id else -1, c.order, c.name),
        )

    def category(self, key: str) -> Category:
        """Return the category whose id or name is `key`; raise NotFoundError otherwise."""
        found = self._category_map().get(key)
        if found:
            return found
        for category in self._category_map().values():
            if category.name == key:
                return category
        raise NotFoundError(
            f"no category '{key}' (categories: {', '.join(c.name for c in self.categories())})"
        )

    def save_category(self, category: Category) -> Category:
        """Add or replace a category after validation; return it as stored."""
        cleaned = clean_category(category)
        reserved = self.hotkey_problem(cleaned.hotkey) if cleaned.hotkey else None
        if reserved:
            raise ValidationError(reserved)
        with self._writing() as change:
            if cleaned.hotkey:
                users = [
                    s.title for s in self._snippet_map().values() if s.hotkey == cleaned.hotkey
                ]
                users += [
                    c.name
                    for c in self._category_map().values()
                    if c.hotkey == cleaned.hotkey and c.id != cleaned.id
                ]
                if users:
                    raise ValidationError(
                        f"hotkey {cleaned.hotkey} is already used by '{users[0]}'"
                    )
            table = self._db.table("categories")
            table.remove(doc_ids=[d.doc_id for d in table.all() if d["id"] == cleaned.id])
            table.insert(cleaned.to_dict())
            change.categories = True
        return cleaned

    def ensure_category(self, name: str) -> tuple[Category, bool]:
        """Return the category whose id or name is `name`, creating a personal one if there is
        none, and whether it was created. Looked up and created under the lock, so two processes
        adding the same new category make one."""
        with self._writing():
            try:
                return self.category(name), False
            except NotFoundError:
                return self.new_category(name), True

    def new_category(self, name: str) -> Category:
        """Create a personal category called `name`, placed after the existing ones."""
        last = max((c.order for c in self.categories()), default=0)
        return self.save_category(Category(id=new_id("c"), name=name, order=last + 1))

    def remove_category(self, category_id: str) -> list[Snippet]:
        """Delete a category and its personal snippets; return the removed snippets (for undo).

        Raises LockedError when the category holds locked pack snippets.
        """
        with self.batch() as change:
            category = self.category(category_id)
            members = [s for s in self._snippet_map().values() if s.category == category.id]
            locked = [s for s in members if s.locked]
            if locked:
                raise LockedError(
                    f"category '{category.name}' holds snippets of the locked pack '{locked[0].pack_id}'"
                )
            for snippet in members:
                self.remove(snippet.id)
            table = self._db.table("categories")
            table.remove(doc_ids=[d.doc_id for d in table.all() if d["id"] == category.id])
            change.categories = True
        return members

    # -- bulk replacement (packs) ------------------------------------------------------------

    def replace_pack_content(
        self,
        pack_id: str,
        categories: list[Category],
        snippets: list[Snippet],
        record: PackRecord | None,
    ) -> Change:
        """Make the library's content of `pack_id` exactly `categories` and `snippets`, in one write.

        `record` describes the installed pack (name, version, source ...); None uninstalls it.
        Snippets and categories of other packs and personal ones are not touched. Returns the change.
        """
        with self.batch() as change:
            table = self._db.table("snippets")
            old = {d["id"]: d.doc_id for d in table.all() if d.get("pack_id") == pack_id}
            new_ids = {s.id for s in snippets}
            # one remove and one insert_multiple: TinyDB rebuilds the whole table on every call,
            # so row-by-row updates made a 10,000-snippet pack take seconds (quadratic)
            table.remove(doc_ids=list(old.values()))
            table.insert_multiple(s.to_dict() for s in snippets)
            change.removed |= set(old) - new_ids
            change.snippets |= new_ids
            cats = self._db.table("categories")
            cats.remove(doc_ids=[d.doc_id for d in cats.all() if d.get("pack_id") == pack_id])
            cats.insert_multiple(c.to_dict() for c in categories)
            records = self._db.table("packs")
            records.remove(doc_ids=[d.doc_id for d in records.all() if d["id"] == pack_id])
            if record is not None:
                records.insert(dict(record.to_dict(), id=pack_id))
            change.categories = True
            self._snippets = None
            self._categories = None
        return change

    def apply_bulk(
        self,
        *,
        add_categories: Iterable[Category] = (),
        add_snippets: Iterable[Snippet] = (),
        update_snippets: Iterable[Snippet] = (),
        remove_snippets: Iterable[str] = (),
        remove_categories: Iterable[str] = (),
    ) -> Change:
        """Add, update and remove many snippets and categories in one atomic write (all or nothing).

        For imports and their undo: the caller has already checked every snippet and clash, so
        10,000 rows cost one table insert instead of 10,000 checks. Unknown ids are ignored.
        """
        with self.batch() as change:
            table = self._db.table("snippets")
            snippets = self._snippet_map()  # also builds self._rows
            gone = [sid for sid in dict.fromkeys(remove_snippets) if sid in snippets]
            table.remove(doc_ids=[self._rows.pop(sid) for sid in gone])
            for sid in gone:
                snippets.pop(sid)
            updates = {s.id: s for s in update_snippets if s.id in snippets}
            self._replace_rows(updates)
            new = list(add_snippets)
            for snippet, row in zip(new, table.insert_multiple(s.to_dict() for s in new)):
                snippets[snippet.id] = snippet
                self._rows[snippet.id] = row
            cats = self._db.table("categories")
            dropped = set(remove_categories)
            cats.remove(doc_ids=[d.doc_id for d in cats.all() if d["id"] in dropped])
            cats.insert_multiple(c.to_dict() for c in add_categories)
            change.removed |= set(gone)
            change.snippets |= {s.id for s in new} | set(updates)
            change.categories = True
        return change

    def pack_records(self) -> list[PackRecord]:
        """Return the records of installed packs (id, name, version, source ...)."""
        return [PackRecord.from_dict(d) for d in self._db.table("packs").all()]

    def pack_record(self, pack_id: str) -> PackRecord | None:
        """Return the record of the installed pack `pack_id`, or None."""
        rows = self._db.table("packs").search(lambda d: d.get("id") == pack_id) if pack_id else []
        return PackRecord.from_dict(rows[0]) if rows else None

    def set_pack_record(self, pack_id: str, **fields: Any) -> None:
        """Change fields of an installed pack's record (JSON-ready values) in one write."""
        with self._writing():
            self._update_pack_record(pack_id, **fields)

    def _update_pack_record(self, pack_id: str, **fields: Any) -> None:
        table = self._db.table("packs")
        table.update(fields, doc_ids=[d.doc_id for d in table.all() if d["id"] == pack_id])

    def pack_language(self, pack_id: str) -> str | None:
        """Return the language of the installed pack `pack_id`, or None when unknown."""
        for record in self.pack_records():
            if record.id == pack_id and record.language:
                return record.language
        return None

    def settings(self) -> dict[str, Any]:
        """Return the stored settings (only the keys ever set; see core.settings for defaults)."""
        doc = self._db.table("settings").get(doc_id=1)
        return dict(doc) if doc else {}

    def set_settings(self, **values: Any) -> None:
        """Store setting values (JSON-ready) in one write."""
        with self._writing() as change:
            table = self._db.table("settings")
            if table.get(doc_id=1) is None:
                table.insert(Document(values, doc_id=1))
            else:
                table.update(values, doc_ids=[1])
            change.settings = True


def content_dict(snippet: Snippet) -> dict[str, Any]:
    """The content fields of `snippet` (see _content) as JSON-ready values."""
    return {
        "title": snippet.title,
        "body": snippet.body,
        "category": snippet.category,
        "tags": list(snippet.tags),
        "auto_send": snippet.auto_send,
        "images": list(snippet.images),
        "image_order": snippet.image_order,
    }


def _content(snippet: Snippet) -> tuple[Any, ...]:
    """The fields a lead's lock protects (an agent may still set a personal hotkey or abbreviation)."""
    return (
        snippet.title,
        snippet.body,
        snippet.category,
        snippet.tags,
        snippet.questions,
        snippet.auto_send,
        snippet.images,
        snippet.image_order,
    )
