"""Usage commands: `usage export`, `usage purge`, `stats` and the `calibrate` typing test."""

from __future__ import annotations

import argparse
import csv
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from quickreply.commands.output import print_json, print_table, write_output
from quickreply.core.durations import format_duration
from quickreply.core.errors import QuickReplyError, ValidationError
from quickreply.core.i18n import tr, tr_n
from quickreply.core.library.agent import agent_display_name, ensure_agent_id
from quickreply.core.library.settings import load_settings, save_settings
from quickreply.core.library.store import LibraryStore
from quickreply.core.message_translation import translate_message
from quickreply.core.packs.defaults import open_library
from quickreply.core.usage.calibration import measure_typing, pick_sentence
from quickreply.core.usage.export import csv_export, export_meta, jsonl_export
from quickreply.core.usage.log import UsageLog, local_midnight_ms, open_usage_log
from quickreply.core.usage.metrics import SpeedSummary, Tally
from quickreply.core.usage.stats import Group, Period, UsageStats, build_stats, parse_since


def register(sub: Any) -> None:
    """Add the usage, stats and calibrate sub-commands to the parser."""
    usage = sub.add_parser("usage", help="export or purge the usage log")
    usage_sub = usage.add_subparsers(dest="usage_command", metavar="ACTION", required=True)

    p = usage_sub.add_parser(
        "export", help="write the usage log for a team lead (JSON lines or CSV)"
    )
    p.add_argument("--since", help="first day: 30d, today or 2025-03-01 (default: everything)")
    p.add_argument("-o", "--output", required=True, help="file to write ('-': standard output)")
    p.add_argument(
        "--format", choices=("jsonl", "csv"), help="default: csv for a .csv file, else jsonl"
    )
    p.add_argument("--agent", help="name to put in the export (default: setting or user name)")
    p.set_defaults(func=cmd_export)

    p = usage_sub.add_parser("purge", help="delete usage records from before a day")
    p.add_argument("--before", required=True, help="first day to keep, e.g. 2025-01-01")
    p.set_defaults(func=cmd_purge)

    p = sub.add_parser("stats", help="print usage statistics: uses, time saved, speeds")
    p.add_argument("--since", default="7d", help="first day: 7d, 30d, today or 2025-03-01")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("calibrate", help="measure your typing speed with a short typing test")
    p.add_argument(
        "--language", choices=("zh-CN", "en"), help="test language (default: the interface's)"
    )
    p.set_defaults(func=cmd_calibrate)


def _open_log() -> UsageLog:
    log = open_usage_log()
    if log.recovered:
        print(tr("quickreply: warning: {recovered}", recovered=log.recovered), file=sys.stderr)
    return log


def cmd_export(args: argparse.Namespace) -> int:
    """Write the usage log (from --since on) to a JSON Lines or CSV file."""
    since = parse_since(args.since) if args.since else None
    fmt = args.format or ("csv" if Path(args.output).suffix.lower() == ".csv" else "jsonl")
    store = open_library()
    agent_id = ensure_agent_id(store)
    log = _open_log()
    try:
        since_ms = local_midnight_ms(since) if since else None
        events = log.events(since_ms)
        if fmt == "csv":
            data, count = csv_export(events, agent_id)
        else:
            settings = load_settings(store)
            agent = args.agent or agent_display_name(settings)
            meta = export_meta(store.snippets(), store.categories(), settings, agent, since)
            replies = log.replies(since_ms if since_ms is not None else 0, 2**62)
            data, count = jsonl_export(meta, events, replies)
    finally:
        log.close()
    where = write_output(args.output, data)
    print(tr("wrote {count} usage events to {where}", count=count, where=where), file=sys.stderr)
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    """Delete usage records from before --before."""
    try:
        before = date.fromisoformat(args.before)
    except ValueError:
        raise ValidationError(
            tr("--before '{before}' must be a day such as 2025-01-01", before=args.before)
        ) from None
    log = _open_log()
    try:
        removed = log.purge(before)
    finally:
        log.close()
    print(
        tr(
            "removed {removed} usage events from before {day}",
            removed=removed,
            day=before.isoformat(),
        ),
        file=sys.stderr,
    )
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    """Print the statistics from --since until today."""
    period = Period(parse_since(args.since), date.today())
    if period.start > period.end:
        raise ValidationError(tr("--since {since} is in the future", since=args.since))
    store = open_library()
    stats = _stats(store, period)
    if args.format == "json":
        print_json(stats.to_dict())
    elif args.format == "csv":
        _print_csv(stats)
    else:
        _print_tables(stats)
    return 0


def _stats(store: LibraryStore, period: Period) -> UsageStats:
    settings = load_settings(store)
    hook = (True, "")
    if settings.reply_speed_tracking:
        from quickreply.platform.keycount import choose_key_counter

        hook = choose_key_counter().available()
    log = _open_log()
    try:
        return build_stats(log, store.snippets(), store.categories(), settings, period, hook)
    finally:
        log.close()


def _speed(summary: SpeedSummary) -> str:
    if not summary.count:
        return tr("no data")
    return tr_n(
        "median {median}, 90th percentile {p90} ({count} use)",
        "median {median}, 90th percentile {p90} ({count} uses)",
        summary.count,
        median=format_duration(summary.median),
        p90=format_duration(summary.p90),
    )


def _reply_lines(stats: UsageStats) -> list[str]:
    reply = stats.reply
    if reply.state == "off":
        return [tr("Reply speed is off. Turn it on in Settings to measure it.")]
    if reply.state != "ok":
        reason = translate_message(reply.reason)
        return [tr("Reply speed cannot be measured here: {reason}", reason=reason)]
    summary = reply.summary
    if not summary.count:
        return [tr("Reply speed: no replies measured in this period")]
    shares = tr(", ").join(
        tr("{share} within {seconds} s", share=f"{share:.0%}", seconds=f"{target / 1000:g}")
        for target, share in summary.within.items()
    )
    return [
        tr_n(
            "Reply speed: {count} reply, {used} with a snippet; {shares}",
            "Reply speed: {count} replies, {used} with a snippet; {shares}",
            summary.count,
            used=summary.with_snippet,
            shares=shares,
        ),
        tr(
            "  median compose time with a snippet {with_snippet}, without {without}",
            with_snippet=format_duration(summary.median_with_ms),
            without=format_duration(summary.median_without_ms),
        ),
    ]


def _group_rows(groups: list[Group], with_category: bool) -> list[tuple[str, ...]]:
    rows = []
    for g in groups:
        name = g.name if g.name is not None else tr("{key} (deleted)", key=g.key)
        cells = [name or tr("(none)"), *([g.category_name] if with_category else [])]
        rows.append((*cells, str(g.tally.uses), str(g.tally.chars), format_duration(g.saved_ms)))
    return rows


def _print_tables(stats: UsageStats) -> None:
    p = stats.period
    print(
        tr_n(
            "QuickReply statistics {day} .. {day2} ({count} day)",
            "QuickReply statistics {day} .. {day2} ({count} days)",
            p.days,
            day=p.start.isoformat(),
            day2=p.end.isoformat(),
        )
    )
    print(
        tr(
            "Uses: {uses}   Characters: {chars}   Time saved: {value}",
            uses=stats.total.uses,
            chars=stats.total.chars,
            value=format_duration(stats.saved_ms),
        )
    )
    print(tr("Pick time (palette): {value}", value=_speed(stats.pick)))
    print(tr("Inject time: {value}", value=_speed(stats.inject)))
    for line in _reply_lines(stats):
        print(line)
    print(stats.suggestions.summary())
    print(stats.abbreviations.summary())
    print(tr("\nPer day"))
    print_table(
        ("DAY", "USES", "CHARS", "SAVED"),
        [(d.isoformat(), *_tally_cells(t, saved)) for d, t, saved in stats.days],
    )
    print(tr("\nPer hour of day"))
    print_table(
        ("HOUR", "USES", "CHARS", "SAVED"),
        [(f"{h:02d}:00", *_tally_cells(t, s)) for h, (t, s) in enumerate(stats.hours) if t.uses],
    )
    print(tr("\nPer category"))
    print_table(("CATEGORY", "USES", "CHARS", "SAVED"), _group_rows(stats.categories, False))
    print(tr("\nPer snippet"))
    print_table(
        ("SNIPPET", "CATEGORY", "USES", "CHARS", "SAVED"), _group_rows(stats.snippets, True)
    )
    print(tr("\nNot used in the last 30 days: {count} snippets", count=len(stats.never_used)))
    print_table(
        ("ID", "TITLE", "PACK"), [(s.id, s.title, s.pack_id or "") for s in stats.never_used]
    )


def _tally_cells(tally: Tally, saved_ms: float) -> tuple[str, str, str]:
    return str(tally.uses), str(tally.chars), format_duration(saved_ms)


def _print_csv(stats: UsageStats) -> None:
    """One figure per row: section, key, name, metric, value (ready for a pivot table)."""
    data = stats.to_dict()
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(("section", "key", "name", "metric", "value"))
    for metric in ("uses", "chars", "time_saved_ms"):
        writer.writerow(("summary", "", "", metric, data[metric]))
    for timing in ("pick_ms", "inject_ms"):
        for metric, value in data[timing].items():
            writer.writerow(("summary", "", "", f"{timing}_{metric}", _cell(value)))
    for metric, value in data["reply_speed"].items():
        if isinstance(value, dict):
            for target, share in value.items():
                writer.writerow(("reply_speed", target, "", "share_within", share))
        else:
            writer.writerow(("reply_speed", "", "", metric, _cell(value)))
    sections = (("per_day", "day"), ("per_hour", "hour"), ("per_category", "id"))
    for section, key in (*sections, ("per_snippet", "id")):
        for row in data[section]:
            for metric in ("uses", "chars", "time_saved_ms"):
                writer.writerow((section, row[key], _cell(row.get("name")), metric, row[metric]))
    for row in data["never_used_30d"]:
        writer.writerow(("never_used_30d", row["id"], row["title"], "uses", 0))


def _cell(value: Any) -> Any:
    return "" if value is None else value


def cmd_calibrate(args: argparse.Namespace) -> int:
    """Time a short typing test and store the speed in the settings."""
    if not sys.stdin.isatty():
        raise QuickReplyError(
            tr(
                "calibrate is an interactive typing test: run it in a terminal (standard input is not one), or set typing_speed_cjk_cpm / typing_speed_latin_wpm in the settings"
            )
        )
    store = open_library()
    settings = load_settings(store)
    language = args.language or settings.ui_language()
    sentence = pick_sentence(language)
    try:
        print(tr("Typing test: copy the sentence below exactly, then press Enter."))
        input("Press Enter when you are ready... ")
        print(f"\n  {sentence}\n")
        started = time.monotonic()
        typed = input("> ")
        seconds = time.monotonic() - started
    except EOFError:
        raise QuickReplyError(tr("typing test cancelled")) from None
    result = measure_typing(sentence, typed, seconds, language)
    if language == "zh-CN":
        save_settings(store, replace(settings, typing_speed_cjk_cpm=result.speed))
        unit = tr("Chinese characters per minute")
    else:
        save_settings(store, replace(settings, typing_speed_latin_wpm=result.speed))
        unit = tr("words per minute")
    print(
        tr(
            "{speed} {unit} ({accuracy:.0%} correct, {seconds:.1f} s); saved as your typing speed for the time-saved figures",
            speed=result.speed,
            unit=unit,
            accuracy=result.accuracy,
            seconds=seconds,
        )
    )
    return 0
