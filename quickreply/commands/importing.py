"""`quickreply import` and `quickreply export`: phrases from other tools and shop sheets, and back."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from quickreply.commands.output import print_json
from quickreply.core.errors import QuickReplyError
from quickreply.core.i18n import tr
from quickreply.core.importers import FORMATS, read_import
from quickreply.core.importers.export import sheet_rows, write_sheet
from quickreply.core.importers.plan import (
    ImportPlan,
    apply_import,
    default_undo_path,
    plan_import,
    undo_import,
)
from quickreply.core.library.store import LibraryStore
from quickreply.core.message_translation import translate_message
from quickreply.core.packs.defaults import open_library


def register(sub: Any) -> None:
    """Add `import` and `export` to the parser."""
    p = sub.add_parser(
        "import", help="import phrases from Espanso, Beeftext, AutoHotkey or a CSV/XLSX sheet"
    )
    p.add_argument("path", nargs="?", metavar="PATH", help="a file or an Espanso folder")
    p.add_argument("--format", choices=FORMATS, help="default: told from the path")
    p.add_argument("--category", help="put every imported phrase in this category")
    p.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    p.add_argument(
        "--keep-unsupported",
        action="store_true",
        help="import phrases with unsupported variables, the variable left as plain text",
    )
    p.add_argument("--undo", action="store_true", help="take back the last import")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export", help="write a 千牛-style phrase sheet (.csv or .xlsx)")
    p.add_argument("file", metavar="FILE.csv|FILE.xlsx")
    p.add_argument(
        "--category", action="append", default=[], help="only this category (repeatable)"
    )
    p.set_defaults(func=cmd_export)


def _open() -> LibraryStore:
    store = open_library()
    if store.recovered:
        print(tr("quickreply: warning: {problem}", problem=store.recovered), file=sys.stderr)
    return store


def cmd_import(args: argparse.Namespace) -> int:
    """Preview an import, then apply it unless --dry-run; or undo the last one."""
    if args.undo:
        if args.path:
            raise QuickReplyError(tr("give either PATH or --undo, not both"))
        done = undo_import(_open(), default_undo_path())
        if args.json:
            print_json({"undone": done.source, "removed": done.removed, "restored": done.restored})
        else:
            print(
                tr(
                    "Undid the import of {source}: {removed} removed, {restored} restored",
                    source=done.source,
                    removed=done.removed,
                    restored=done.restored,
                )
            )
        return 0
    if not args.path:
        raise QuickReplyError(tr("give the PATH to import (or --undo)"))
    result = read_import(Path(args.path), args.format, keep_unsupported=args.keep_unsupported)
    if args.category is not None:
        result = result.with_category(args.category)
    store = _open()
    plan = plan_import(store, result)
    applied = not args.dry_run and not plan.is_empty
    if applied:
        apply_import(store, plan, default_undo_path())
    if args.json:
        print_json({**plan.to_dict(), "dry_run": args.dry_run, "applied": applied})
        return 0
    print_plan(plan, store)
    if args.dry_run:
        print(tr("Nothing was written (--dry-run)."))
    elif applied:
        print(tr("Imported. `quickreply import --undo` takes it back."))
    else:
        print(tr("Nothing to import."))
    return 0


def print_plan(plan: ImportPlan, store: LibraryStore) -> None:
    """Print what the import adds, merges and skips, and why."""
    names = {c.id: c.name for c in [*store.categories(), *plan.new_categories]}
    print(f"{plan.source} ({plan.format}): {plan.summary()}")
    for category in plan.new_categories:
        print(f"  {tr('new category')}: {category.name}")
    for snippet in plan.added:
        abbrev = f"  ({snippet.abbrev})" if snippet.abbrev else ""
        print(f"  + [{names.get(snippet.category, '')}] {snippet.title}{abbrev}")
    for merge in plan.merged:
        extra = f", {tr('abbreviation')} {merge.updated.abbrev}" if merge.updated else ""
        print(f"  = {merge.imported.title} -> '{merge.existing.title}'{extra}")
    for clash in plan.clashes:
        print(f"  ! {clash}")
    for skipped in plan.skipped:
        where, reason = translate_message(skipped.where), translate_message(skipped.reason)
        print(f"  - {where}: {reason}")
    for note in plan.notes:
        print(f"  {tr('note')}: {translate_message(note)}")


def cmd_export(args: argparse.Namespace) -> int:
    """Write the library (or some categories) as a phrase sheet."""
    store = _open()
    snippets = store.snippets()
    if args.category:
        wanted: set[str] = set()
        for key in args.category:
            # every category of that name: a personal 售后 and a pack's 售后 both go
            found = {c.id for c in store.categories() if key in (c.id, c.name)}
            wanted |= found or {store.category(key).id}
        snippets = [s for s in snippets if s.category in wanted]
    write_sheet(Path(args.file), sheet_rows(snippets, store.categories()))
    print(tr("{count} phrases written to {file}", count=len(snippets), file=args.file))
    return 0
