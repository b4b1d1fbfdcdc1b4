"""Library commands: list, show, add, edit, remove, render, search, defaults."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from quickreply.commands.images import image_details, image_edits, image_lines
from quickreply.commands.output import print_json, print_table
from quickreply.core.errors import NotFoundError, QuickReplyError
from quickreply.core.i18n import tr
from quickreply.core.library import paths
from quickreply.core.library.model import IMAGE_ORDERS, Snippet
from quickreply.core.library.settings import load_settings
from quickreply.core.library.store import LibraryStore
from quickreply.core.message_translation import translate_message
from quickreply.core.packs.defaults import install_default_packs, open_library
from quickreply.core.prepare import prepare
from quickreply.core.render import MissingValuesError
from quickreply.core.search.index import SearchIndex
from quickreply.core.text_decode import decode_text
from quickreply.core.usage.log import FILE_NAME as USAGE_FILE
from quickreply.core.usage.log import UsageLog


def register(sub: Any) -> None:
    """Add the library sub-commands to the parser."""
    p = sub.add_parser("list", help="list snippets")
    p.add_argument("--category", "-c", help="only this category (name or id)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("show", help="show one snippet")
    p.add_argument("id", help="the snippet's id, or its title or abbreviation when unique")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("add", help="add a snippet; prints its id")
    p.add_argument("--title", "-t", required=True)
    p.add_argument(
        "--body",
        "-b",
        default="",
        help="the text ('-' reads standard input); may be left out with --image",
    )
    _snippet_flags(p)
    p.set_defaults(func=cmd_add)

    p = sub.add_parser("edit", help="change a snippet")
    p.add_argument("id")
    p.add_argument("--title", "-t")
    p.add_argument("--body", "-b", help="the text; '-' reads it from standard input")
    _snippet_flags(p)
    p.add_argument(
        "--no-auto-send", action="store_true", help="stop pressing Enter after inserting"
    )
    p.add_argument("--clear-images", action="store_true", help="remove every image")
    p.set_defaults(func=cmd_edit)

    p = sub.add_parser("remove", help="delete a snippet")
    p.add_argument("id")
    p.set_defaults(func=cmd_remove)

    p = sub.add_parser("render", help="print a snippet with its placeholders filled")
    p.add_argument("id")
    p.add_argument(
        "--var",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a placeholder value (repeatable)",
    )
    p.set_defaults(func=cmd_render)

    p = sub.add_parser("search", help="find snippets")
    p.add_argument("query")
    p.add_argument("--limit", type=int, default=20, help="at most this many (1 or more)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser(
        "defaults",
        help="re-install the default packs (personal snippets and your edits are kept)",
    )
    p.add_argument(
        "--restore-deleted", action="store_true", help="bring back default replies you deleted"
    )
    p.add_argument(
        "--add",
        action="append",
        default=[],
        choices=("zh-CN", "en"),
        metavar="LANGUAGE",
        help="also install the default pack of this language (zh-CN or en)",
    )
    p.set_defaults(func=cmd_defaults)


def _snippet_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--category", "-c", help="category name or id (created if new)")
    p.add_argument("--hotkey", help="e.g. ctrl+shift+1 ('' clears)")
    p.add_argument("--abbrev", "-a", help="short word for the palette ('' clears)")
    p.add_argument("--tag", action="append", help="a tag (repeatable; replaces all the tags)")
    p.add_argument(
        "--add-tag", action="append", help="a tag to add, keeping the others (repeatable)"
    )
    p.add_argument("--auto-send", action="store_true", help="press Enter after inserting")
    p.add_argument(
        "--encoding", default="utf-8", help="encoding of --body - on standard input (default utf-8)"
    )
    p.add_argument(
        "--image",
        action="append",
        metavar="FILE",
        help="a PNG, JPEG, GIF or WebP image to paste (repeatable; replaces all the images)",
    )
    p.add_argument(
        "--image-order", choices=IMAGE_ORDERS, help="paste the images before the text or after it"
    )


def _open() -> LibraryStore:
    store = open_library()
    if store.recovered:
        print(tr("quickreply: warning: {recovered}", recovered=store.recovered), file=sys.stderr)
    return store


def snippet_row(store: LibraryStore, s: Snippet) -> dict[str, Any]:
    """Return a snippet's JSON form for the CLI, with its category's name (`search`, `suggest`)."""
    data = s.to_dict()
    try:
        data["category_name"] = store.category(s.category).name if s.category else ""
    except NotFoundError:
        data["category_name"] = ""
    return data


def _print_snippets(store: LibraryStore, snippets: list[Snippet], as_json: bool) -> None:
    if as_json:
        print_json([snippet_row(store, s) for s in snippets])
        return
    names = {c.id: c.name for c in store.categories()}
    print_table(
        ("ID", "CATEGORY", "TITLE", "HOTKEY", "ABBREV"),
        [
            (s.id, names.get(s.category, ""), s.title, s.hotkey or "", s.abbrev or "")
            for s in snippets
        ],
    )


def cmd_list(args: argparse.Namespace) -> int:
    """Print the snippets (of one category with --category)."""
    store = _open()
    snippets = store.snippets()
    if args.category:
        category = store.category(args.category)
        snippets = [s for s in snippets if s.category == category.id]
    _print_snippets(store, snippets, args.json)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    """Print every field of one snippet."""
    store = _open()
    data = snippet_row(store, _lookup(store, args.id))
    if args.json:
        print_json({**data, "image_files": image_details(store.assets, data["images"])})
        return 0
    body = data.pop("body")
    refs = data.pop("images")
    for key, value in data.items():
        shown = ", ".join(value) if isinstance(value, list) else ("" if value is None else value)
        print(f"{key}: {shown}")
    for line in image_lines(store.assets, refs):
        print(line)
    print(tr("body:"))
    print(body)
    return 0


def _lookup(store: LibraryStore, key: str) -> Snippet:
    """Return the snippet whose id is `key`, or whose title or abbreviation is, when unique."""
    found = store.find(key)
    if found is not None:
        return found
    folded = key.strip().casefold()
    matches = [
        s for s in store.snippets() if s.title.casefold() == folded or (s.abbrev or "") == folded
    ]
    if len(matches) == 1:
        return matches[0]
    if matches:
        ids = ", ".join(s.id for s in matches[:5])
        raise QuickReplyError(
            tr(
                "'{key}' names {count} snippets ({ids}); give the id",
                key=key,
                count=len(matches),
                ids=ids,
            )
        )
    raise NotFoundError(tr("no snippet with id, title or abbreviation '{key}'", key=key))


def _body(value: str | None, encoding: str) -> str | None:
    if value != "-":
        return value
    return decode_text(sys.stdin.buffer.read(), "standard input", encoding)


def _category_id(store: LibraryStore, key: str | None) -> str:
    if not key:
        return ""
    category, created = store.ensure_category(key)
    if created:
        print(tr("quickreply: created category '{key}'", key=key), file=sys.stderr)
    return category.id


def _edits(store: LibraryStore, args: argparse.Namespace) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if args.title is not None:
        changes["title"] = args.title
    body = _body(args.body, args.encoding)
    if body is not None:
        changes["body"] = body
    if args.category is not None:
        changes["category"] = _category_id(store, args.category)
    if args.hotkey is not None:
        changes["hotkey"] = args.hotkey or None
    if args.abbrev is not None:
        changes["abbrev"] = args.abbrev or None
    if args.tag is not None:
        changes["tags"] = tuple(args.tag)
    if args.add_tag:
        current = changes.get("tags", _current_tags(store, args))
        changes["tags"] = (*current, *(t for t in args.add_tag if t not in current))
    changes.update(image_edits(store.assets, args))
    if args.auto_send:
        changes["auto_send"] = True
    if getattr(args, "no_auto_send", False):
        changes["auto_send"] = False
    return changes


def _current_tags(store: LibraryStore, args: argparse.Namespace) -> tuple[str, ...]:
    snippet_id = getattr(args, "id", None)
    return store.get(snippet_id).tags if snippet_id else ()


def cmd_add(args: argparse.Namespace) -> int:
    """Add a snippet and print its id."""
    store = _open()
    fields = _edits(store, args)
    snippet = Snippet(id=store.new_snippet_id(), title=fields.pop("title"), body=fields.pop("body"))
    snippet = store.add(snippet.edited(**fields))
    print(snippet.id)
    return 0


def cmd_edit(args: argparse.Namespace) -> int:
    """Change the given fields of a snippet."""
    store = _open()
    changes = _edits(store, args)
    if not changes:
        raise QuickReplyError(
            tr(
                "nothing to change: give at least one of --title, --body, --category, --hotkey, --abbrev, --tag, --add-tag, --auto-send, --image, --clear-images, --image-order"
            )
        )
    store.update(store.get(args.id).edited(**changes))
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    """Delete a snippet."""
    _open().remove(args.id)
    return 0


def parse_vars(pairs: list[str]) -> dict[str, str]:
    """Turn ['name=value', ...] into a dict; raise QuickReplyError for a pair without '='."""
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise QuickReplyError(tr("--var '{pair}' must look like NAME=VALUE", pair=pair))
        values[name.strip()] = value
    return values


def cmd_render(args: argparse.Namespace) -> int:
    """Print the snippet's text with its placeholders filled."""
    store = _open()
    snippet = store.get(args.id)
    prepared = prepare(snippet, load_settings(store), store, parse_vars(args.var), _clipboard_text)
    try:
        rendered = prepared.render()
    except MissingValuesError as exc:
        hints = " ".join(
            f"--var '{f.key}={'|'.join(f.options) if f.options else '...'}'" for f in exc.fields
        )
        raise QuickReplyError(
            tr("'{title}' needs values: {hints}", title=snippet.title, hints=hints)
        ) from exc
    print(rendered.text)
    for ref in snippet.images:
        print(tr("image: {path}", path=store.assets.path_for(ref).resolve()))
    return 0


def _clipboard_text() -> str:
    """The clipboard's text for {{clipboard}}: read through Qt only when a snippet uses it."""
    from quickreply.platform.clipboard import read_text_once

    return read_text_once()


def cmd_search(args: argparse.Namespace) -> int:
    """Print the snippets matching the query, best first (ranked as the palette ranks them)."""
    if args.limit < 1:
        raise QuickReplyError(tr("--limit {limit}: give 1 or more", limit=args.limit))
    store = _open()
    hits = SearchIndex.from_store(store, usage_stats).search_text(args.query, args.limit)
    if not hits and not args.json:
        print(tr("no matches for '{query}'", query=args.query))
        return 0
    _print_snippets(store, [hit.snippet for hit in hits], args.json)
    return 0


def usage_stats() -> dict[str, tuple[int, int]]:
    """Return the usage log's per-snippet use counts, or none when there is no log yet."""
    path = paths.data_dir() / USAGE_FILE
    if not path.exists():
        return {}  # searching must not create the usage log
    usage = UsageLog(path)
    try:
        return usage.snippet_stats()
    finally:
        usage.close()


def cmd_defaults(args: argparse.Namespace) -> int:
    """Re-install the default packs."""
    store = _open()
    for result in install_default_packs(store, restore_deleted=args.restore_deleted, add=args.add):
        for warning in result.warnings:
            print(
                tr("quickreply: note: {warning}", warning=translate_message(warning)),
                file=sys.stderr,
            )
    print(
        tr("default packs installed: {count} snippets in the library", count=len(store.snippets()))
    )
    return 0
