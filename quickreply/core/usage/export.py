"""The usage export a lead collects from agents (docs/usage-export.md): writing it and reading it back.

JSON Lines (UTF-8): a "meta" line, then one "use" line per event and one "reply" line per
reply-speed sample. CSV: one row per event under a header of the UsageEvent field names.
"""

from __future__ import annotations

import csv
import getpass
import io
import json
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from quickreply import __version__
from quickreply.core.errors import StorageError, ValidationError
from quickreply.core.library.atomic import atomic_write_bytes
from quickreply.core.library.model import Category, Snippet, now_iso
from quickreply.core.library.settings import Settings
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
}


def agent_name(settings: Settings) -> str:
    """Return the agent's name for exports: the `agent_name` setting, else the OS user name."""
    name = settings.agent_name.strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user name in this environment (some containers)
        return "agent"


def export_meta(
    snippets: Sequence[Snippet],
    categories: Sequence[Category],
    settings: Settings,
    agent: str,
    since: date | None,
) -> dict[str, Any]:
    """Return the meta line: who exported, when, the typing speeds and the library's snippets."""
    names = {c.id: c.name for c in categories}
    return {
        "type": "meta",
        "format": FORMAT,
        "agent": agent,
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


def write_jsonl(
    path: Path, meta: dict[str, Any], events: Iterable[UsageEvent], replies: Iterable[ReplySample]
) -> int:
    """Write the JSON Lines export atomically; return the number of use lines."""
    lines = [_json_line(meta)]
    for event in events:
        lines.append(_json_line({"type": "use", **event.to_dict()}))
    count = len(lines) - 1
    lines.extend(_json_line({"type": "reply", **reply.to_dict()}) for reply in replies)
    atomic_write_bytes(Path(path), "".join(lines).encode("utf-8"))
    return count


def write_csv(path: Path, events: Iterable[UsageEvent]) -> int:
    """Write one CSV row per event (UTF-8 with BOM, so Excel shows Chinese); return the row count."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(EVENT_FIELDS)
    count = 0
    for event in events:
        writer.writerow(["" if v is None else v for v in (getattr(event, f) for f in EVENT_FIELDS)])
        count += 1
    atomic_write_bytes(Path(path), buffer.getvalue().encode("utf-8-sig"))
    return count


def read_usage_export(path: Path) -> tuple[dict[str, Any], list[UsageEvent], list[dict[str, Any]]]:
    """Return (meta, use events, reply samples) of a JSON Lines export.

    Raises ValidationError naming the line of the first malformed line, StorageError when the file
    cannot be read. Line types this version does not know are skipped (see docs/usage-export.md).
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise StorageError(f"cannot read {path}: {exc.strerror or exc}") from exc
    return parse_usage_export(data, Path(path).name)


def parse_usage_export(
    data: bytes, name: str
) -> tuple[dict[str, Any], list[UsageEvent], list[dict[str, Any]]]:
    """Return (meta, use events, reply samples) of an export's bytes; `name` is used in errors.

    Raises ValidationError naming the line of the first malformed line.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(f"{name}: not UTF-8 text ({exc.reason})") from exc
    meta: dict[str, Any] | None = None
    events: list[UsageEvent] = []
    replies: list[dict[str, Any]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{name} line {number}"
        record = _parse(line, where)
        kind = record.get("type")
        if meta is None:
            meta = _check_meta(record, where)
        elif kind == "use":
            events.append(_event(record, where))
        elif kind == "reply":
            replies.append(_reply(record, where))
        elif kind == "meta":
            raise ValidationError(f"{where}: a second meta line")
    if meta is None:
        raise ValidationError(f"{name}: empty file, no meta line")
    return meta, events, replies


def parse_meta_line(line: str, where: str) -> dict[str, Any]:
    """Return the checked meta line of an export; raise ValidationError naming `where`."""
    return _check_meta(_parse(line, where), where)


def _json_line(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def _parse(line: str, where: str) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValidationError(f"{where}: not valid JSON ({exc.msg}, column {exc.colno})") from None
    if not isinstance(record, dict):
        raise ValidationError(f"{where}: expected a JSON object")
    return record


def _check_meta(record: dict[str, Any], where: str) -> dict[str, Any]:
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
    return record


def _typed(value: Any, kind: type, name: str, where: str) -> Any:
    # JSON has one number type: an int is a fine float; a bool is never an int here
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ValidationError(f"{where}: '{name}' must be {kind.__name__}, not {value!r}")
    return value


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
