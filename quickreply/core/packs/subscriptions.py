"""Installing packs from a file, folder, URL or index, and subscriptions that update themselves.

A subscription remembers where a pack came from. ``check_subscriptions(store)`` asks each source
whether it changed (an unchanged source costs one conditional request, nothing is downloaded),
applies a newer version through the store in one atomic write, and returns one UpdateReport per
pack for the tray notification. Each subscription's state (source, ETag, last check, last error)
lives in ``subscriptions.json`` in the data dir, so a check that finds nothing new never rewrites
the library. A failed check (offline, bad signature, invalid pack, full disk) leaves the installed
version exactly as it was.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Literal

from filelock import FileLock

from quickreply.core.errors import QuickReplyError, StorageError
from quickreply.core.i18n import tr
from quickreply.core.library import paths
from quickreply.core.library.atomic import atomic_write_text
from quickreply.core.library.model import now_iso
from quickreply.core.library.pack_record import PackRecord
from quickreply.core.library.settings import load_settings
from quickreply.core.library.store import LibraryStore
from quickreply.core.packs.deadline import DEFAULT_DEADLINE_S
from quickreply.core.packs.diff import PackDiff, diff_packs
from quickreply.core.packs.file import (
    MAX_FILE_BYTES,
    PackFile,
    read_pack_file,
)
from quickreply.core.packs.format import check_app_version, semver_key
from quickreply.core.packs.index import INDEX_NAME, MAX_INDEX_BYTES, find_entry, parse_index
from quickreply.core.packs.install import install_pack, installed_pack, installed_record
from quickreply.core.packs.signing import PublicKey, SignatureError, TrustStore
from quickreply.core.packs.sources import (
    SourceError,
    Validators,
    fetch,
    resolve,
)
from quickreply.core.safe_load import load_json

log = logging.getLogger(__name__)
STATE_FORMAT = "quickreply-subscriptions/1"
DUE_SLACK = 0.95  # a timer firing a moment early must not skip a whole interval


@dataclass
class Subscription:
    """A pack's remembered source and what the last check learnt."""

    pack_id: str
    source: str
    via_index: bool = False  # `source` is an index.json listing the pack
    etag: str | None = None
    last_modified: str | None = None
    last_checked: str | None = None
    last_success: str | None = None
    last_error: str | None = None
    last_change: str | None = None

    @property
    def validators(self) -> Validators:
        """What to send the source so it can answer "not modified"."""
        return Validators(self.etag, self.last_modified)


class SubscriptionBook:
    """The subscriptions of this installation, in ``subscriptions.json`` under a file lock."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path else paths.subscriptions_path()
        self._lock = FileLock(str(self.path) + ".lock", timeout=10)

    def all(self) -> dict[str, Subscription]:
        """Return every subscription by pack id."""
        if not self.path.exists():
            return {}
        try:
            data = load_json(self.path.read_bytes(), self.path.name)
            known = {f.name for f in fields(Subscription)}
            subs = {
                pid: Subscription(**{k: v for k, v in item.items() if k in known})
                for pid, item in data["subscriptions"].items()
            }
            for sub in subs.values():
                _check_subscription(sub)
            return subs
        except (OSError, ValueError, KeyError, TypeError, AttributeError, QuickReplyError) as exc:
            raise StorageError(
                f"{self.path} cannot be read ({exc}); delete it and install the packs again"
            ) from exc

    def get(self, pack_id: str) -> Subscription | None:
        """Return the subscription of `pack_id`, or None."""
        return self.all().get(pack_id)

    def save(self, subscription: Subscription) -> None:
        """Add or replace one subscription."""
        with self._lock:
            subs = self.all()
            subs[subscription.pack_id] = subscription
            self._write(subs)

    def forget(self, pack_id: str) -> bool:
        """Drop the subscription of `pack_id`; return whether there was one."""
        with self._lock:
            subs = self.all()
            found = subs.pop(pack_id, None) is not None
            if found:
                self._write(subs)
        return found

    def _write(self, subs: dict[str, Subscription]) -> None:
        data = {"format": STATE_FORMAT, "subscriptions": {k: asdict(v) for k, v in subs.items()}}
        atomic_write_text(self.path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _check_subscription(sub: Subscription) -> None:
    """Raise TypeError when a stored subscription has fields of the wrong type."""
    if not isinstance(sub.pack_id, str) or not isinstance(sub.source, str):
        raise TypeError(f"subscription {sub.pack_id!r}: pack_id and source must be text")
    if not isinstance(sub.via_index, bool):
        raise TypeError(f"subscription {sub.pack_id}: via_index must be true or false")
    for name in ("etag", "last_modified", "last_checked", "last_success", "last_error"):
        if not isinstance(getattr(sub, name), (str, type(None))):
            raise TypeError(f"subscription {sub.pack_id}: {name} must be text")
    if sub.last_checked:
        datetime.fromisoformat(sub.last_checked)  # ValueError when it is not a time


UpdateStatus = Literal["installed", "updated", "unchanged", "offline", "failed"]


@dataclass
class UpdateReport:
    """What installing or checking one pack did."""

    pack_id: str
    name: str
    status: UpdateStatus
    old_version: str | None = None
    new_version: str | None = None
    diff: PackDiff | None = None
    message: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Whether the library changed."""
        return self.status in ("installed", "updated")

    def notification(self) -> str:
        """Return the translated one-line text for the tray notification."""
        summary = self.diff.summary() if self.diff else ""
        if self.status == "installed":
            return tr("{name} {version} installed", name=self.name, version=self.new_version)
        if self.status == "updated":
            return tr(
                "{name} updated {old} → {new}: {summary}",
                name=self.name,
                old=self.old_version,
                new=self.new_version,
                summary=summary,
            )
        if self.status == "unchanged":
            return tr("{name} is up to date ({version})", name=self.name, version=self.old_version)
        if self.status == "offline":
            return tr(
                "{name}: source unreachable, keeping {version}",
                name=self.name,
                version=self.old_version,
            )
        return tr("{name}: update refused: {reason}", name=self.name, reason=self.message)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form (for `pack update --json`)."""
        return {
            "pack_id": self.pack_id,
            "name": self.name,
            "status": self.status,
            "old_version": self.old_version,
            "new_version": self.new_version,
            "diff": self.diff.to_dict() if self.diff else None,
            "message": self.message,
            "warnings": self.warnings,
        }


@dataclass
class PendingUpdate:
    """A checked subscription: its report so far, and the new pack to apply (if any)."""

    subscription: Subscription
    report: UpdateReport
    pack_file: PackFile | None = None
    validators: Validators | None = None


# -- scheduling (pure) -------------------------------------------------------------------------


def check_interval_minutes(store: LibraryStore) -> int:
    """Return the minutes between checks (setting subscription_check_minutes, at least 1)."""
    return max(1, int(load_settings(store).subscription_check_minutes))


def is_due(subscription: Subscription, now: datetime, minutes: int) -> bool:
    """Return whether `subscription` should be checked at `now` (never checked counts as due)."""
    if not subscription.last_checked:
        return True
    elapsed = now - datetime.fromisoformat(subscription.last_checked)
    return elapsed >= timedelta(minutes=minutes * DUE_SLACK)


def seconds_until_next_check(
    subscriptions: Sequence[Subscription], now: datetime, minutes: int
) -> float | None:
    """Return the seconds until the next subscription is due (0 when one is due), None if none."""
    waits = []
    for sub in subscriptions:
        if not sub.last_checked:
            return 0.0
        due = datetime.fromisoformat(sub.last_checked) + timedelta(minutes=minutes)
        waits.append(max(0.0, (due - now).total_seconds()))
    return min(waits) if waits else None


# -- checking ----------------------------------------------------------------------------------


def check_subscriptions(
    store: LibraryStore,
    *,
    only_due: bool = False,
    now: datetime | None = None,
    book: SubscriptionBook | None = None,
    trusted: Sequence[PublicKey] | None = None,
) -> list[UpdateReport]:
    """Check every subscription (or only those due) and apply newer versions; blocking.

    Safe on a worker thread when `store` belongs to that thread (open a LibraryStore on the same
    path there; the app's own store sees the change on refresh()). Or run fetch_updates() on the
    worker and apply_updates() on the thread that owns the store. Never raises for one bad
    source: each pack gets its own report.
    """
    book = book or SubscriptionBook()
    minutes = check_interval_minutes(store)
    pending = fetch_updates(
        store.pack_records(),
        book=book,
        trusted=trusted,
        due_within=minutes if only_due else None,
        now=now,
        deadline=load_settings(store).download_deadline_s,
    )
    return apply_updates(store, pending, book=book)


def fetch_updates(
    records: list[PackRecord],
    *,
    book: SubscriptionBook | None = None,
    trusted: Sequence[PublicKey] | None = None,
    due_within: int | None = None,
    now: datetime | None = None,
    deadline: float = DEFAULT_DEADLINE_S,
) -> list[PendingUpdate]:
    """Ask each subscribed source whether it has a newer version (network and disk reads only;
    the library is not touched). `records` are the store's pack_records(). With `due_within`
    minutes, only subscriptions due for a check are asked. Each download ends within
    `deadline` seconds; each source fails alone, its reason in its report.
    """
    book = book or SubscriptionBook()
    keys = list(trusted) if trusted is not None else TrustStore().public_keys()
    now = now or datetime.now(timezone.utc)
    by_id = {r.id: r for r in records}
    pending = []
    for sub in book.all().values():
        if due_within is not None and not is_due(sub, now, due_within):
            continue
        pending.append(_fetch_one(sub, by_id.get(sub.pack_id), keys, deadline))
    return pending


def _fetch_one(
    sub: Subscription,
    record: PackRecord | None,
    trusted: Sequence[PublicKey],
    deadline: float = DEFAULT_DEADLINE_S,
) -> PendingUpdate:
    name = str(record.name or sub.pack_id) if record else sub.pack_id
    version = record.version if record else None
    report = UpdateReport(sub.pack_id, name, "unchanged", version, version)
    pending = PendingUpdate(sub, report)
    # a pack missing from the library (reset, restored backup) is installed again
    validators = sub.validators if record else Validators()
    try:
        if sub.via_index:
            got = fetch(sub.source, validators, max_bytes=MAX_INDEX_BYTES, deadline=deadline)
            pending.validators = got.validators
            if not got.changed:
                return pending
            entry = find_entry(parse_index(got.data, INDEX_NAME), sub.pack_id, sub.source)
            if record and _not_newer(entry.version, entry.sha256, record, report):
                return pending
            pack_file = download_entry(sub.source, entry.file, entry.sha256, trusted, deadline)
        else:
            got = fetch(sub.source, validators, max_bytes=MAX_FILE_BYTES, deadline=deadline)
            pending.validators = got.validators
            if not got.changed:
                return pending
            pack_file = read_pack_file(
                got.data, trusted=trusted, name=location_file_name(sub.source)
            )
        manifest = pack_file.pack.manifest
        if manifest.id != sub.pack_id:
            raise QuickReplyError(
                f"{sub.source} now holds pack '{manifest.id}', not '{sub.pack_id}'"
            )
        if record and _not_newer(manifest.version, pack_file.sha256, record, report):
            return pending
        _check_pinned_key(pack_file, record)
        check_app_version(manifest)
        pending.pack_file = pack_file
    except SourceError as exc:
        report.status = "offline" if exc.offline else "failed"
        report.message = str(exc)
        pending.validators = None
    except QuickReplyError as exc:
        report.status, report.message = "failed", str(exc)
        pending.validators = None
    except Exception as exc:  # noqa: BLE001 - one source's surprise must not stop the others
        log.exception("checking %s failed", sub.source)
        report.status, report.message = "failed", f"{type(exc).__name__}: {exc}"[:300]
        pending.validators = None
    return pending


def _not_newer(version: str, sha256: str, record: PackRecord, report: UpdateReport) -> bool:
    """Return True (noting why in `report`) when `version` is no update of the installed one."""
    if sha256 == record.sha256:
        return True
    installed = record.version
    if semver_key(version) > semver_key(installed):
        return False
    if version == installed:
        report.warnings.append(
            tr(
                "the source changed but still says version {version}; not applied "
                "(the lead must raise the version)",
                version=version,
            )
        )
    else:
        report.warnings.append(
            tr(
                "the source holds older version {version}; kept {installed}",
                version=version,
                installed=installed,
            )
        )
    return True


def _check_pinned_key(pack_file: PackFile, record: PackRecord | None) -> None:
    """Refuse an update not signed by the key that signed the installed version."""
    pinned = record.key_id if record else None
    signer = pack_file.signature.key_id if pack_file.signature else None
    if pinned and signer != pinned:
        found = f"signed with key {signer}" if signer else "not signed"
        raise SignatureError(
            f"the installed version was signed with key {pinned}, but this version is {found}; "
            "not applied (if the lead changed keys, install the new version by hand)"
        )


def download_entry(
    index: str,
    file: str,
    sha256: str,
    trusted: Sequence[PublicKey],
    deadline: float = DEFAULT_DEADLINE_S,
) -> PackFile:
    """Download the pack `file` listed in `index`, check it against `sha256`, and read it."""
    location = resolve(index, file)
    data = fetch(location, None, max_bytes=MAX_FILE_BYTES, deadline=deadline).data
    pack_file = read_pack_file(data, trusted=trusted, name=location_file_name(location))
    if pack_file.sha256 != sha256:
        raise QuickReplyError(
            f"{location} does not match the SHA-256 in the index (changed or damaged in transit)"
        )
    return pack_file


def location_file_name(location: str) -> str:
    return location.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] or location


def apply_updates(
    store: LibraryStore, pending: list[PendingUpdate], *, book: SubscriptionBook | None = None
) -> list[UpdateReport]:
    """Apply the new versions found by fetch_updates through `store`, record each check in the
    subscription book, and return the reports. A failed write leaves the old version in place.
    """
    book = book or SubscriptionBook()
    reports = []
    for item in pending:
        sub, report = item.subscription, item.report
        checked = now_iso()
        sub.last_checked = checked
        if item.pack_file is not None:
            try:
                applied = apply_pack_file(store, item.pack_file, sub.source)
            except QuickReplyError as exc:
                report.status, report.message = "failed", str(exc)
                item.validators = None
            else:
                report = applied
                sub.last_change = checked
        if report.status in ("installed", "updated", "unchanged"):
            sub.last_success, sub.last_error = checked, None
        else:
            sub.last_error = report.message
        if item.validators is not None:
            sub.etag, sub.last_modified = item.validators.etag, item.validators.last_modified
        if book.get(sub.pack_id) is not None:  # removed meanwhile (`pack remove`): stay removed
            book.save(sub)
        reports.append(report)
    return reports


def apply_pack_file(store: LibraryStore, pack_file: PackFile, source: str) -> UpdateReport:
    """Install `pack_file` in one atomic write, unless this exact file is already installed."""
    pack = pack_file.pack
    record = installed_record(store, pack.id)
    old = installed_pack(store, pack.id)
    diff = diff_packs(old, pack)
    old_version = record.version if record else None
    report = UpdateReport(
        pack.id, pack.manifest.name, "unchanged", old_version, pack.manifest.version, diff
    )
    same_file = bool(pack_file.sha256) and record is not None and record.sha256 == pack_file.sha256
    same_content = old is not None and old_version == pack.manifest.version and diff.is_empty
    if (same_file or same_content) and record and record.source == source:
        report.message = tr("already installed; nothing changed")
        return report
    result = install_pack(
        store,
        pack,
        source=source,
        record_extra={
            "sha256": pack_file.sha256 or None,
            "key_id": pack_file.signature.key_id if pack_file.signature else None,
        },
        assets=pack_file.assets,
    )
    report.status = "installed" if old is None else "updated"
    report.warnings.extend(result.warnings)
    return report


# -- installing and removing -------------------------------------------------------------------
