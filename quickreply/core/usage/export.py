"""The usage export a lead collects from agents (docs/usage-export.md): writing it and reading it back.

JSON Lines (UTF-8): a "meta" line, then one "use" line per event and one "reply" line per
reply-speed sample. CSV: one row per event under a header of the UsageEvent field names.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from quickreply import __version__
from quickreply.core.errors import StorageError, ValidationError
from quickreply.core.library.atomic import atomic_write_bytes
from quickreply.core.library.model import Category, Snippet, now_iso
from quickreply.core.library.settings import Settings
from quickreply.core.safe_load import load_json
from quickreply.core.usage.csv_cells import spreadsheet_safe
from quickreply.core.usage.event import EVENT_FIELDS, ReplySample, UsageEvent

FORMAT = "quickreply-usage/1"
FORMAT_FAMILY = "quickreply-usage/"
REPLY_FIELDS = ("ts_ms", "compose_ms", "used_snippet", "target_app")
_REQUIRED = {"ts_ms": int, "snippet_id": str, "trigger": str, "chars": int, "inject_ms": float}
_OPTIONAL = {
    "pack_id": str,
    "pack_version": str,
    "category": str,
    "keys_typed": int,
    "pick_ms": float,
    "target_app": str,
    "target_title": str,
    "session_id": str,
    "cjk_chars": int,
    "latin_chars": int,
    "images": int,
}


MAX_LINE_CHARS = 100_000
MAX_TEXT = 2_000
_DAY_MS = 86_400_000
# every number a line may hold, bounded: a timestamp of 10^30 or -10^15 is refused, not a crash
_RANGES: dict[str, tuple[float, float]] = {
    "ts_ms": (0, 4_102_444_800_000),  # 1970 .. 2100
    "chars": (0, 10_000_000),
    "images": (0, 100),
    "inject_ms": (0, _DAY_MS),
    "pick_ms": (0, _DAY_MS),
    "keys_typed": (0, 10_000_000),
    "cjk_chars": (0, 10_000_000),
    "latin_chars": (0, 10_000_000),
    "compose_ms": (0, _DAY_MS),
}


def export_meta(
    snippets: Sequence[Snippet],
    categories: Sequence[Category],
    settings: Settings,
    agent: str,
    since: date | None,
) -> dict[str, Any]:
    """Return the meta line: who exported (name and agent id), when, the typing speeds and the
    library's snippets."""
    names = {c.id: c.name for c in categories}
    return {
        "type": "meta",
        "format": FORMAT,
        "agent": agent,
        "agent_id": settings.agent_id,
        "exported": now_iso(),
        "since": since.isoformat() if since else None,
        "app_version": __version__,
        "typing_speed_cjk_cpm": int(settings.typing_speed_cjk_cpm),
        "typing_speed_latin_wpm": int(settings.typing_speed_latin_wpm),
        "snippets": [
            {
                "id": s.id,
                "title": s.title,
                "category": s.category,
                "category_name": names.get(s.category, ""),
                "pack_id": s.pack_id,
                "pack_version": s.pack_version,
            }
            for s in snippets
        ],
    }


def jsonl_export(
    meta: dict[str, Any], events: Iterable[UsageEvent], replies: Iterable[ReplySample]
) -> tuple[bytes, int]:
    """Return the JSON Lines export (UTF-8) and its number of use lines.

    Each use line carries the installation's agent id next to its session id, so a team report
    can tell two agents apart and count an event given twice once.
    """
    installation = {"installation_id": meta["agent_id"]} if meta.get("agent_id") else {}
    lines = [_json_line(meta)]
    for event in events:
        lines.append(_json_line({"type": "use", **event.to_dict(), **installation}))
    count = len(lines) - 1
    lines.extend(_json_line({"type": "reply", **reply.to_dict()}) for reply in replies)
    return "".join(lines).encode("utf-8"), count


def write_jsonl(
    path: Path, meta: dict[str, Any], events: Iterable[UsageEvent], replies: Iterable[ReplySample]
) -> int:
    """Write the JSON Lines export atomically; return the number of use lines."""
    data, count = jsonl_export(meta, events, replies)
    atomic_write_bytes(Path(path), data)
    return count


def csv_export(events: Iterable[UsageEvent], installation_id: str = "") -> tuple[bytes, int]:
    """Return one CSV row per event (UTF-8 with BOM, so Excel shows Chinese) and the row count.

    The last column, installation_id, is the agent id (added after the UsageEvent fields).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow((*EVENT_FIELDS, "installation_id"))
    count = 0
    for event in events:
        values = [
            "" if v is None else spreadsheet_safe(v)
            for v in (getattr(event, f) for f in EVENT_FIELDS)
        ]
        writer.writerow([*values, installation_id])
        count += 1
    return buffer.getvalue().encode("utf-8-sig"), count


@dataclass
class ExportContent:
    """What one export held: its meta line, use events, reply samples, and the malformed use or
    reply lines that were skipped (`skipped`, with the first few `problems`)."""

    meta: dict[str, Any]
    events: list[UsageEvent]
    replies: list[dict[str, Any]]
    skipped: int = 0
    problems: list[str] = field(default_factory=list)


MAX_REPORTED_LINES = 3


def read_usage_export(path: Path) -> tuple[dict[str, Any], list[UsageEvent], list[dict[str, Any]]]:
    """Return (meta, use events, reply samples) of a JSON Lines export.

    Raises ValidationError naming the line of the first malformed line, StorageError when the file
    cannot be read. Line types this version does not know are skipped (see docs/usage-export.md).
    """
    content = read_export_lines(path, skip_bad=False)
    return content.meta, content.events, content.replies


def read_export_lines(path: Path, *, skip_bad: bool = True) -> ExportContent:
    """Read a JSON Lines export, validating every line; with `skip_bad`, a malformed use or reply
    line is skipped and counted instead of failing the file (a bad meta line always fails it).

    Raises ValidationError (meta line, format, a bad line without `skip_bad`) or StorageError.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise StorageError(f"cannot read {path}: {exc.strerror or exc}") from exc
    return parse_export_bytes(data, Path(path).name, skip_bad=skip_bad)


def parse_usage_export(
    data: bytes, name: str
) -> tuple[dict[str, Any], list[UsageEvent], list[dict[str, Any]]]:
    """Return (meta, use events, reply samples) of an export's bytes; `name` is used in errors.

    Raises ValidationError naming the line of the first malformed line.
    """
    content = parse_export_bytes(data, name, skip_bad=False)
    return content.meta, content.events, content.replies


def parse_export_bytes(data: bytes, name: str, *, skip_bad: bool = True) -> ExportContent:
    """Parse an export's bytes (see `read_export_lines`); `name` is used in errors."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(f"{name}: not UTF-8 text ({exc.reason})") from exc
    meta: dict[str, Any] | None = None
    content = ExportContent({}, [], [])
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{name} line {number}"
        if meta is None:
            meta = check_meta(_parse(line, where), where)
            continue
        try:
            record = _parse(line, where)
            kind = record.get("type")
            if kind == "use":
                content.events.append(_event(record, where))
            elif kind == "reply":
                content.replies.append(_reply(record, where))
            elif kind == "meta":
                raise ValidationError(f"{where}: a second meta line")
        except ValidationError as exc:
            if not skip_bad:
                raise
            content.skipped += 1
            if len(content.problems) < MAX_REPORTED_LINES:
                content.problems.append(str(exc)[:200])
    if meta is None:
        raise ValidationError(f"{name}: empty file, no meta line")
    content.meta = meta
    return content


def parse_meta_line(line: str, where: str) -> dict[str, Any]:
    """Return the checked meta line of an export; raise ValidationError naming `where`."""
    return check_meta(_parse(line, where), where)


def _json_line(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def _parse(line: str, where: str) -> dict[str, Any]:
    if len(line) > MAX_LINE_CHARS:
        raise ValidationError(f"{where}: longer than {MAX_LINE_CHARS:,} characters")
    record = load_json(line, where, max_depth=4)
    if not isinstance(record, dict):
        raise ValidationError(f"{where}: expected a JSON object")
    return record


def check_meta(record: dict[str, Any], where: str) -> dict[str, Any]:
    """Return `record` when it is a meta line we read; raise ValidationError naming `where`."""
    if record.get("type") != "meta":
        raise ValidationError(f"{where}: the first line must be the meta line")
    fmt = str(record.get("format", ""))
    if fmt != FORMAT:
        newer = fmt.startswith(FORMAT_FAMILY)
        raise ValidationError(
            f"{where}: format '{fmt}' "
            + ("is newer than this QuickReply reads; update QuickReply" if newer else "is not ours")
        )
    if not isinstance(record.get("snippets", []), list):
        raise ValidationError(f"{where}: 'snippets' must be a list")
    agent = record.get("agent")
    if agent is not None and (not isinstance(agent, str) or len(agent) > 200):
        raise ValidationError(f"{where}: 'agent' must be a name of at most 200 characters")
    for name in ("typing_speed_cjk_cpm", "typing_speed_latin_wpm"):
        speed = record.get(name)
        if speed is not None and not (
            isinstance(speed, (int, float)) and not isinstance(speed, bool) and 1 <= speed <= 1000
        ):
            raise ValidationError(f"{where}: '{name}' must be a number from 1 to 1000")
    return record


def _typed(value: Any, kind: type, name: str, where: str) -> Any:
    # JSON has one number type: an int is a fine float; a bool is never an int here
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        shown = repr(value)
        shown = shown if len(shown) <= 40 else shown[:37] + "..."
        raise ValidationError(f"{where}: '{name}' must be {kind.__name__}, not {shown}")
    checked: Any = value  # isinstance with a `type` variable narrows to object
    low, high = _RANGES.get(name, (None, None)) if kind in (int, float) else (None, None)
    if low is not None and high is not None and not low <= checked <= high:
        raise ValidationError(f"{where}: '{name}' is out of range ({low:,} to {high:,})")
    if kind is str and len(checked) > MAX_TEXT:
        raise ValidationError(f"{where}: '{name}' is longer than {MAX_TEXT} characters")
    return checked


def _event(record: dict[str, Any], where: str) -> UsageEvent:
    values: dict[str, Any] = {}
    for name, kind in _REQUIRED.items():
        if name not in record or record[name] is None:
            raise ValidationError(f"{where}: use line without '{name}'")
        values[name] = _typed(record[name], kind, name, where)
    for name, kind in _OPTIONAL.items():
        if record.get(name) is not None:
            values[name] = _typed(record[name], kind, name, where)
    return UsageEvent(**values)


def _reply(record: dict[str, Any], where: str) -> dict[str, Any]:
    for name, kind in (("ts_ms", int), ("compose_ms", int), ("used_snippet", bool)):
        if name not in record:
            raise ValidationError(f"{where}: reply line without '{name}'")
        _typed(record[name], kind, name, where)
    app = record.get("target_app")
    if app is not None:
        _typed(app, str, "target_app", where)
    return {name: record.get(name) for name in REPLY_FIELDS}
