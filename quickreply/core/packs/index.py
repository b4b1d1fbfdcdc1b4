"""``index.json``: the list of packs a lead publishes in one folder, for agents to browse.

The folder can be served by any static web server or shared as a network drive; the index names
each pack's file (relative to the index), version and SHA-256, so an agent's subscription learns
from one small file whether a pack changed, and checks the download against the digest.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from quickreply.core.errors import QuickReplyError, ValidationError
from quickreply.core.library.atomic import atomic_write_text
from quickreply.core.library.model import now_iso
from quickreply.core.packs.file import read_pack_file
from quickreply.core.packs.format import PACK_ID, SEMVER, semver_key
from quickreply.core.safe_load import load_json

INDEX_FORMAT = "quickreply-index/1"
INDEX_NAME = "index.json"
MAX_INDEX_BYTES = 1024 * 1024


@dataclass(frozen=True)
class IndexEntry:
    """One pack listed in an index."""

    id: str
    name: str
    version: str
    file: str
    sha256: str
    size: int = 0
    author: str = ""
    description: str = ""
    language: str = ""
    key_id: str | None = None


def parse_index(data: bytes, where: str = INDEX_NAME) -> list[IndexEntry]:
    """Return the entries of an index; raise ValidationError naming every bad entry."""
    document = load_json(data, where)
    if not isinstance(document, dict) or document.get("format") != INDEX_FORMAT:
        raise ValidationError(f"{where}: not a QuickReply pack index (format '{INDEX_FORMAT}')")
    raw = document.get("packs")
    if not isinstance(raw, list):
        raise ValidationError(f"{where}: 'packs' must be a list")
    problems: list[str] = []
    entries: list[IndexEntry] = []
    for position, item in enumerate(raw):
        place = f"{where}: packs[{position}]"
        if not isinstance(item, dict):
            problems.append(f"{place}: must be an object")
            continue
        missing = [k for k in ("id", "name", "version", "file", "sha256") if not item.get(k)]
        if missing:
            problems.append(f"{place}: missing {', '.join(missing)}")
            continue
        wrong = _wrong_types(item)
        if wrong:
            problems.append(f"{place}: {wrong}")
            continue
        if not PACK_ID.match(str(item["id"])) or not SEMVER.match(str(item["version"])):
            problems.append(f"{place}: bad id or version")
            continue
        entries.append(
            IndexEntry(
                id=str(item["id"]),
                name=str(item["name"]),
                version=str(item["version"]),
                file=str(item["file"]),
                sha256=str(item["sha256"]).lower(),
                size=int(item.get("size") or 0),
                author=str(item.get("author") or ""),
                description=str(item.get("description") or ""),
                language=str(item.get("language") or ""),
                key_id=item.get("key_id") or None,
            )
        )
    if problems:
        raise ValidationError(problems)
    return entries


_TEXT_FIELDS = ("id", "name", "version", "file", "sha256", "author", "description", "language")
MAX_INDEX_TEXT = 2_000


def _wrong_types(item: dict[str, Any]) -> str | None:
    """Return what is wrong with the types or sizes of one index entry, or None."""
    for key in _TEXT_FIELDS:
        value = item.get(key)
        if value is not None and not isinstance(value, str):
            return f"'{key}' must be text"
        if isinstance(value, str) and len(value) > MAX_INDEX_TEXT:
            return f"'{key}' is longer than {MAX_INDEX_TEXT} characters"
    size = item.get("size")
    if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size < 0):
        return "'size' must be a whole number of bytes"
    key_id = item.get("key_id")
    if key_id is not None and not isinstance(key_id, str):
        return "'key_id' must be text"
    return None


def find_entry(entries: list[IndexEntry], pack_id: str | None, where: str) -> IndexEntry:
    """Return the entry for `pack_id` (or the only entry when None); QuickReplyError otherwise."""
    if pack_id is None and len(entries) == 1:
        return entries[0]
    for entry in entries:
        if entry.id == pack_id:
            return entry
    listing = ", ".join(f"{e.id} ({e.name} {e.version})" for e in entries) or "none"
    if pack_id is None:
        raise QuickReplyError(f"{where} lists several packs; choose one with --pack ID: {listing}")
    raise QuickReplyError(f"{where} does not list a pack '{pack_id}' (it lists: {listing})")


def build_index(folder: Path, title: str = "") -> list[IndexEntry]:
    """Write ``index.json`` for every .qrpack in `folder` and return its entries.

    Each pack is read and checked first: a broken pack is reported, never listed. When two files
    hold the same pack id, the higher version is listed.
    """
    folder = Path(folder)
    best: dict[str, IndexEntry] = {}
    problems: list[str] = []
    for file in sorted(folder.glob("*.qrpack")):
        try:
            read = read_pack_file(file)
        except QuickReplyError as exc:
            problems.append(f"{file.name}: {exc}")
            continue
        manifest = read.pack.manifest
        entry = IndexEntry(
            id=manifest.id,
            name=manifest.name,
            version=manifest.version,
            file=file.name,
            sha256=read.sha256,
            size=read.size,
            author=manifest.author,
            description=manifest.description,
            language=manifest.language,
            key_id=read.signature.key_id if read.signature else None,
        )
        kept = best.get(entry.id)
        if kept is None or semver_key(entry.version) > semver_key(kept.version):
            best[entry.id] = entry
    if problems:
        raise ValidationError(problems)
    entries = sorted(best.values(), key=lambda e: e.id)
    document: dict[str, Any] = {
        "format": INDEX_FORMAT,
        "title": title or folder.name,
        "updated": now_iso(),
        "packs": [asdict(e) for e in entries],
    }
    atomic_write_text(
        folder / INDEX_NAME, json.dumps(document, ensure_ascii=False, indent=2) + "\n", shared=True
    )
    return entries
