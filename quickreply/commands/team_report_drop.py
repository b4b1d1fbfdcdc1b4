"""`quickreply team-report --from FOLDER|URL`: the team report read from a team drop."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from quickreply.core.i18n import tr, tr_n
from quickreply.core.library.settings import Settings
from quickreply.core.team.day_cache import reader_cache
from quickreply.core.team.location import is_url, open_drop
from quickreply.core.team.report import write_drop_report
from quickreply.core.usage.stats import parse_since
from quickreply.platform.credentials import drop_password


def drop_report(args: argparse.Namespace, settings: Settings, fmt: str) -> int:
    """Write the report of the drop in `args.drop`; print the totals and the skipped files."""
    location = args.drop.strip()
    user = settings.team_drop_user if location == settings.team_drop.strip() else ""
    password = drop_password(location, user) if is_url(location) else None
    since = parse_since(args.since) if args.since else None
    with reader_cache(location) as cache:
        result = write_drop_report(
            open_drop(location, user, password),
            Path(args.output),
            fmt,
            args.title,
            since,
            set(args.agent) if args.agent else None,
            cache,
        )
    report, counts = result.report, result.counts
    for problem in counts.problems:
        print(tr("quickreply: skipped {problem}", problem=problem), file=sys.stderr)
    totals = tr_n(
        "{output}: {count} agent, {total_uses} uses, {total_saved_min:.0f} minutes saved",
        "{output}: {count} agents, {total_uses} uses, {total_saved_min:.0f} minutes saved",
        len(report.agents),
        output=args.output,
        total_uses=report.total_uses,
        total_saved_min=report.total_saved_min,
    )
    files = tr_n(
        "{count} day file read, {skipped} skipped ({wrong} wrong agent id, "
        "{bad} unparsable, {unreadable} unreadable)",
        "{count} day files read, {skipped} skipped ({wrong} wrong agent id, "
        "{bad} unparsable, {unreadable} unreadable)",
        counts.read,
        skipped=counts.skipped,
        wrong=counts.wrong_agent,
        bad=counts.unparsable,
        unreadable=counts.unreadable,
    )
    print(tr("{totals}; {files}", totals=totals, files=files))
    return 0
