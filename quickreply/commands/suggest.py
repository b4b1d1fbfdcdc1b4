"""`quickreply suggest MESSAGE`: the replies that answer a buyer's message, best first.

The same ranking powers the palette's suggest mode. The message is read, analysed and forgotten:
it is never written anywhere (not even to the usage log, which this command does not open for
writing).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from quickreply.commands.library import snippet_row, usage_stats
from quickreply.commands.output import print_json, print_table
from quickreply.core.errors import QuickReplyError
from quickreply.core.i18n import tr
from quickreply.core.packs.defaults import open_library
from quickreply.core.suggest.index import SuggestIndex


def register(sub: Any) -> None:
    """Add the `suggest` sub-command to the parser."""
    p = sub.add_parser("suggest", help="suggest replies for a buyer's message")
    p.add_argument("message", help="the buyer's message; '-' reads it from standard input")
    p.add_argument("--limit", type=int, default=10, help="how many replies (default 10)")
    p.add_argument(
        "--json",
        action="store_true",
        help="print JSON (as `search --json`, plus score and matched)",
    )
    p.set_defaults(func=cmd_suggest)


def cmd_suggest(args: argparse.Namespace) -> int:
    """Print the replies for the message, best first, with the words that matched each."""
    message = sys.stdin.read() if args.message == "-" else args.message
    if not message.strip():
        raise QuickReplyError(tr("the message is empty: give the buyer's message, or - to read it"))
    if args.limit < 1:
        raise QuickReplyError(tr("--limit must be 1 or more"))
    store = open_library()
    found = SuggestIndex.from_store(store, usage_stats).suggest(message, args.limit)
    if args.json:
        print_json(
            [
                {**snippet_row(store, s.snippet), "score": s.score, "matched": list(s.matched)}
                for s in found
            ]
        )
        return 0
    if not found:
        print(tr("No reply matches this message."), file=sys.stderr)
        return 0
    names = {c.id: c.name for c in store.categories()}
    print_table(
        ("#", "ID", "CATEGORY", "TITLE", "MATCHED"),
        [
            (
                str(n),
                s.snippet.id,
                names.get(s.snippet.category, ""),
                s.snippet.title,
                " · ".join(s.matched),
            )
            for n, s in enumerate(found, start=1)
        ],
    )
    return 0
