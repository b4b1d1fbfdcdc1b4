"""What `quickreply pack install|remove|list` and the install dialog do: install from any source (a
.qrpack file, a pack source folder, an http(s) URL, an index), subscribing where the source is one
to follow; remove a pack with its subscription; list installed packs with their state.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from quickreply.core.errors import QuickReplyError
from quickreply.core.library.model import now_iso
from quickreply.core.library.settings import load_settings
from quickreply.core.library.store import Change, LibraryStore
from quickreply.core.packs.diff import diff_packs
from quickreply.core.packs.file import (
    MAX_FILE_BYTES,
    ZIP_MAGIC,
    read_pack_file,
    read_pack_source,
)
from quickreply.core.packs.format import (
    Pack,
    check_app_version,
    semver_key,
)
from quickreply.core.packs.index import INDEX_NAME, MAX_INDEX_BYTES, find_entry, parse_index
from quickreply.core.packs.install import (
    installed_pack,
    installed_record,
    pack_clash,
    uninstall_pack,
)
from quickreply.core.packs.signing import PublicKey, TrustStore
from quickreply.core.packs.sources import (
    Validators,
    fetch,
    is_shared_path,
    is_url,
    normalize,
)
from quickreply.core.packs.subscriptions import (
    Subscription,
    SubscriptionBook,
    UpdateReport,
    apply_pack_file,
    download_entry,
    location_file_name,
)

# what an install location holds: an index of packs, a pack source folder, one pack file
SourceKind = Literal["index", "folder", "file"]


def source_kind(location: str) -> SourceKind:
    """Return what `location` holds: "index" (index.json, a folder URL or a folder with an
    index.json), "folder" (a pack source folder) or "file" (a .qrpack or pack source file).
    """
    if is_url(location):
        return "index" if location.endswith(("/", INDEX_NAME)) else "file"
    path = Path(normalize(location))
    if path.is_dir():
        has_source = (path / "pack.yaml").exists() or (path / "manifest.json").exists()
        return "index" if (path / INDEX_NAME).exists() and not has_source else "folder"
    return "index" if path.name == INDEX_NAME else "file"


def install_from(
    store: LibraryStore,
    location: str,
    *,
    pack_id: str | None = None,
    subscribe: bool | None = None,
    replace: bool = False,
    force: bool = False,
    book: SubscriptionBook | None = None,
    trusted: Sequence[PublicKey] | None = None,
) -> UpdateReport:
    """Install a pack from a .qrpack file, a pack source folder, an http(s) URL, or an index
    (choose the pack with `pack_id`). URLs, indexes and network-share paths become subscriptions;
    a local file only with `subscribe=True`. Raises QuickReplyError saying what was refused: a
    signature check, validation, an id clash (unless `replace`), or an older version (unless
    `force`); the library is then unchanged.
    """
    book = book or SubscriptionBook()
    keys = list(trusted) if trusted is not None else TrustStore().public_keys()
    deadline = load_settings(store).download_deadline_s
    kind = source_kind(location)
    source = normalize(location) if kind != "index" else index_location(location)
    validators: Validators | None = None
    if kind == "folder":
        if subscribe:
            raise QuickReplyError(
                "a pack source folder cannot be subscribed to; build a .qrpack "
                "(`quickreply pack build DIR -o FILE`) and install that"
            )
        pack_file = read_pack_source(Path(source), trusted=keys)
    elif kind == "index":
        got = fetch(source, None, max_bytes=MAX_INDEX_BYTES, deadline=deadline)
        entry = find_entry(parse_index(got.data, INDEX_NAME), pack_id, source)
        pack_file = download_entry(source, entry.file, entry.sha256, keys, deadline)
        validators = got.validators
    else:
        got = fetch(source, None, max_bytes=MAX_FILE_BYTES, deadline=deadline)
        validators = got.validators
        if got.data.startswith(ZIP_MAGIC) or is_url(source):
            pack_file = read_pack_file(got.data, trusted=keys, name=location_file_name(source))
        else:  # a YAML/JSON pack source on this disk
            pack_file = read_pack_source(Path(source), trusted=keys)
    pack = pack_file.pack
    check_app_version(pack.manifest)
    clash = pack_clash(store, pack, source)
    if clash and not replace:
        raise QuickReplyError(clash)
    record = installed_record(store, pack.id)
    if record and not force and semver_key(pack.manifest.version) < semver_key(record.version):
        raise QuickReplyError(
            f"'{pack.manifest.name}' {record.version} is installed, newer than "
            f"{pack.manifest.version} in {location_file_name(source)}; use --force to go back"
        )
    if record and not force and same_version_changed(store, pack, record.version):
        raise QuickReplyError(
            f"'{pack.manifest.name}' {pack.manifest.version} is installed with different content "
            f"than {location_file_name(source)} holds under the same version; the lead must raise "
            "the version (or use --force to replace it)"
        )
    existing = book.get(pack.id)
    subscribing = (
        subscribe
        if subscribe is not None
        else (
            kind == "index"
            or is_url(source)
            or is_shared_path(location)
            or (existing is not None and existing.source == source)
        )
    )
    if subscribing and not pack_file.sha256:
        raise QuickReplyError(
            "only .qrpack files can be subscribed to; build one with `quickreply pack build`"
        )
    report = apply_pack_file(store, pack_file, source)
    if subscribing:
        checked = now_iso()
        book.save(
            Subscription(
                pack.id,
                source,
                via_index=kind == "index",
                etag=validators.etag if validators else None,
                last_modified=validators.last_modified if validators else None,
                last_checked=checked,
                last_success=checked,
                last_change=checked
                if report.changed
                else (existing.last_change if existing else None),
            )
        )
    elif existing is not None:
        book.forget(pack.id)  # installed by hand from elsewhere: the old source no longer rules
    return report


def index_location(location: str) -> str:
    if is_url(location):
        return location + INDEX_NAME if location.endswith("/") else location
    path = Path(normalize(location))
    return str(path / INDEX_NAME) if path.is_dir() else str(path)


def remove_pack(
    store: LibraryStore, pack_id: str, *, book: SubscriptionBook | None = None
) -> Change:
    """Uninstall exactly `pack_id`'s content and forget its subscription; NotFoundError if absent."""
    change = uninstall_pack(store, pack_id)
    (book or SubscriptionBook()).forget(pack_id)
    return change


def pack_rows(store: LibraryStore, *, book: SubscriptionBook | None = None) -> list[dict[str, Any]]:
    """Return one row per installed pack: its record, snippet count and subscription state."""
    subs = (book or SubscriptionBook()).all()
    counts: dict[str, int] = {}
    for snippet in store.snippets():
        if snippet.pack_id:
            counts[snippet.pack_id] = counts.get(snippet.pack_id, 0) + 1
    rows = []
    for record in store.pack_records():
        sub = subs.get(record.id)
        rows.append(
            {
                "id": record.id,
                "name": record.name or "",
                "version": record.version,
                "author": record.author,
                "language": record.language or "",
                "snippets": counts.get(record.id, 0),
                "source": record.source,
                "signed_by": record.key_id,
                "installed": record.installed,
                "subscribed": sub is not None,
                "last_checked": sub.last_checked if sub else None,
                "last_success": sub.last_success if sub else None,
                "last_error": sub.last_error if sub else None,
            }
        )
    return rows


def same_version_changed(store: LibraryStore, pack: Pack, installed_version: str) -> bool:
    """Return whether `pack` claims the installed version but its content differs."""
    if pack.manifest.version != installed_version:
        return False
    old = installed_pack(store, pack.id)
    return old is not None and not diff_packs(old, pack).is_empty
