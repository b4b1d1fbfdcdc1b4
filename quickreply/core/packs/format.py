"""Snippet packs: the format leads publish approved wording in, and installing one into the library.

A pack is a manifest (id, name, semantic version, author, language ...), its categories and its
snippets. Snippets and categories get library ids ``<pack-id>/<local-id>`` so packs never collide
with each other or with an agent's personal snippets.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from quickreply import __version__
from quickreply.core.errors import NotFoundError, QuickReplyError, ValidationError
from quickreply.core.library import paths
from quickreply.core.library.model import Category, Snippet, clean_category, clean_snippet, now_iso
from quickreply.core.library.store import Change, LibraryStore

PACK_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?$")
MAX_PACK_SNIPPETS = (
    20_000  # a pack is approved wording, not a data dump; keeps the tray and search fast
)
MANIFEST_FIELDS = ("id", "name", "version", "author", "description", "language", "min_app_version")


@dataclass(frozen=True)
class PackManifest:
    """Who wrote a pack and which version it is."""

    id: str
    name: str
    version: str
    author: str = ""
    description: str = ""
    language: str = "zh-CN"
    min_app_version: str = "0.1.0"
    created: str = ""

    def to_dict(self) -> dict[str, str]:
        """Return the manifest fields as written in manifest.json and pack records."""
        return asdict(self)


@dataclass(frozen=True)
class Pack:
    """A parsed, validated pack. Category and snippet ids here are already library ids."""

    manifest: PackManifest
    categories: list[Category]
    snippets: list[Snippet]
    # groups of words buyers use for the same thing (快递, 包裹, 物流): extend the suggest synonyms
    synonyms: list[list[str]] = field(default_factory=list)

    @property
    def id(self) -> str:
        """The pack id."""
        return self.manifest.id


@dataclass
class InstallResult:
    """What installing a pack changed, and anything the agent should know (dropped hotkeys ...)."""

    change: Change
    warnings: list[str] = field(default_factory=list)


def semver_key(version: str) -> tuple[int, int, int]:
    """Return a sortable key for a semantic version such as ``1.4.2`` (pre-release tags ignored)."""
    match = SEMVER.match(version)
    if not match:
        raise ValidationError(f"version '{version}' is not a semantic version such as 1.2.0")
    return int(match.group(1)), int(match.group(2)), int(match.group(3))


def parse_pack(data: Any, source: str = "pack") -> Pack:
    """Validate raw pack data (as read from YAML/JSON) and return a Pack.

    Raises ValidationError listing every problem, each naming its place (field, snippet id).
    """
    if not isinstance(data, dict):
        raise ValidationError(
            f"{source}: a pack must be a mapping with id, name, version, categories and snippets"
        )
    problems: list[str] = []
    manifest = _parse_manifest(data, source, problems)
    pack_id = manifest.id if manifest else "pack"
    categories = _parse_categories(data.get("categories"), pack_id, source, problems)
    snippets = _parse_snippets(
        data.get("snippets"),
        pack_id,
        manifest,
        {c.id for c in categories},
        data.get("locked") is True,
        source,
        problems,
    )
    synonyms = _parse_synonyms(data.get("synonyms"), source, problems)
    if problems or manifest is None:
        raise ValidationError(problems)
    return Pack(manifest, categories, snippets, synonyms)


def _string_list(raw: Any, where: str, name: str, problems: list[str]) -> tuple[str, ...]:
    """Return `raw` as a tuple of strings; a problem is noted when it is not a list of strings."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
        problems.append(f"{where}: {name} must be a list of texts")
        return ()
    return tuple(raw)


def _parse_synonyms(raw: Any, source: str, problems: list[str]) -> list[list[str]]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        problems.append(f"{source}: 'synonyms' must be a list of word groups")
        return []
    groups: list[list[str]] = []
    for index, group in enumerate(raw):
        words = _string_list(group, f"{source}: synonyms[{index}]", "a group", problems)
        words = tuple(w.strip() for w in words if w.strip())
        if len(words) >= 2:
            groups.append(list(words))
        elif words:
            problems.append(f"{source}: synonyms[{index}]: a group needs two or more words")
    return groups


def _parse_manifest(data: dict[str, Any], source: str, problems: list[str]) -> PackManifest | None:
    values: dict[str, Any] = {k: data.get(k) for k in MANIFEST_FIELDS}
    before = len(problems)
    for name in ("id", "name", "version"):
        if not isinstance(values[name], str) or not values[name].strip():
            problems.append(f"{source}: manifest field '{name}' is missing")
    if isinstance(values["id"], str) and values["id"] and not PACK_ID.match(values["id"]):
        problems.append(
            f"{source}: pack id '{values['id']}' must be lowercase letters, digits and dashes"
        )
    for name in ("version", "min_app_version"):
        value = values[name]
        if isinstance(value, str) and value and not SEMVER.match(value):
            problems.append(f"{source}: {name} '{value}' is not a semantic version such as 1.2.0")
    if len(problems) > before:
        return None
    return PackManifest(
        id=values["id"],
        name=values["name"].strip(),
        version=values["version"],
        author=str(values["author"] or ""),
        description=str(values["description"] or ""),
        language=str(values["language"] or "zh-CN"),
        min_app_version=str(values["min_app_version"] or "0.1.0"),
        created=str(data.get("created") or ""),
    )


def _parse_categories(raw: Any, pack_id: str, source: str, problems: list[str]) -> list[Category]:
    if not isinstance(raw, list) or not raw:
        problems.append(f"{source}: 'categories' must be a non-empty list")
        return []
    categories: list[Category] = []
    seen: set[str] = set()
    for index, item in enumerate(raw):
        where = f"{source}: categories[{index}]"
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            problems.append(f"{where}: needs an id and a name")
            continue
        if item["id"] in seen:
            problems.append(f"{where}: duplicate category id '{item['id']}'")
            continue
        seen.add(item["id"])
        try:
            categories.append(
                clean_category(
                    Category(
                        id=f"{pack_id}/{item['id']}",
                        name=str(item.get("name") or ""),
                        order=int(item.get("order", index + 1)),
                        hotkey=item.get("hotkey") or None,
                        pack_id=pack_id,
                        keywords=_string_list(item.get("keywords"), where, "keywords", problems),
                    )
                )
            )
        except (ValidationError, ValueError, TypeError) as exc:
            problems.append(f"{where}: {exc}")
    return categories


def _parse_snippets(
    raw: Any,
    pack_id: str,
    manifest: PackManifest | None,
    category_ids: set[str],
    pack_locked: bool,
    source: str,
    problems: list[str],
) -> list[Snippet]:
    if not isinstance(raw, list):
        problems.append(f"{source}: 'snippets' must be a list")
        return []
    if len(raw) > MAX_PACK_SNIPPETS:
        problems.append(
            f"{source}: {len(raw)} snippets; a pack may hold at most {MAX_PACK_SNIPPETS}"
        )
        return []
    snippets: list[Snippet] = []
    seen: set[str] = set()
    abbrevs: dict[str, str] = {}
    hotkeys: dict[str, str] = {}
    created = manifest.created if manifest and manifest.created else now_iso()
    for index, item in enumerate(raw):
        where = f"{source}: snippets[{index}]"
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            problems.append(f"{where}: needs an id, a title and a body")
            continue
        local = item["id"]
        where = f"{source}: snippet '{local}'"
        if local in seen:
            problems.append(f"{where}: duplicate snippet id")
            continue
        seen.add(local)
        category = f"{pack_id}/{item.get('category')}"
        if category not in category_ids:
            problems.append(f"{where}: unknown category '{item.get('category')}'")
        tags = item.get("tags") or []
        if not isinstance(tags, list):
            problems.append(f"{where}: tags must be a list")
            tags = []
        try:
            snippet = clean_snippet(
                Snippet(
                    id=f"{pack_id}/{local}",
                    title=str(item.get("title") or ""),
                    body=str(item.get("body") or ""),
                    category=category,
                    hotkey=item.get("hotkey") or None,
                    abbrev=item.get("abbrev") or None,
                    tags=tuple(str(t) for t in tags),
                    questions=_string_list(item.get("questions"), where, "questions", problems),
                    auto_send=bool(item.get("auto_send", False)),
                    pack_id=pack_id,
                    pack_version=manifest.version if manifest else None,
                    locked=bool(item.get("locked", pack_locked)),
                    created=created,
                    updated=created,
                )
            )
        except ValidationError as exc:
            problems.extend(f"{where}: {p.split(': ', 1)[-1]}" for p in exc.problems)
            continue
        for value, registry, label in (
            (snippet.abbrev, abbrevs, "abbreviation"),
            (snippet.hotkey, hotkeys, "hotkey"),
        ):
            if value and value in registry:
                problems.append(f"{where}: {label} '{value}' is also used by '{registry[value]}'")
            elif value:
                registry[value] = local
        snippets.append(snippet)
    return snippets


def read_pack_data(path: Path) -> Any:
    """Read raw pack data from a folder (pack.yaml, or manifest.json + snippets.json) or a YAML/JSON file."""
    path = Path(path)
    try:
        if path.is_dir():
            if (path / "pack.yaml").exists():
                return yaml.safe_load((path / "pack.yaml").read_text(encoding="utf-8"))
            manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
            manifest.update(json.loads((path / "snippets.json").read_text(encoding="utf-8")))
            return manifest
        text = path.read_text(encoding="utf-8")
        return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except FileNotFoundError as exc:
        raise QuickReplyError(f"{path}: no pack there ({exc.filename} is missing)") from exc
    except (yaml.YAMLError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValidationError(f"{path}: not a readable pack ({_first_line(exc)})") from exc


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def load_pack(path: Path) -> Pack:
    """Read and validate a pack from a folder or a YAML/JSON file."""
    return parse_pack(read_pack_data(path), source=Path(path).name)


def install_pack(
    store: LibraryStore,
    pack: Pack,
    source: str | None = None,
    *,
    record_extra: dict[str, Any] | None = None,
) -> InstallResult:
    """Install or update `pack` in one atomic write; personal snippets are never touched.

    On an update, a hotkey or abbreviation the agent set on an unlocked pack snippet is kept; on a
    locked snippet the pack's value wins. A pack hotkey or abbreviation that another snippet of the
    library already uses is dropped from the pack's snippet (the agent's own choice wins) and
    reported in the result's warnings. `record_extra` adds fields (sha256, key_id ...) to the
    pack's record. Raises StorageError when the library cannot be written (nothing changes then).
    """
    record = installed_record(store, pack.id)
    current = {s.id: s for s in store.snippets() if s.pack_id == pack.id}
    personal = _personal_keys(pack, current, _installed_keys(record, current))
    others = [s for s in store.snippets() if s.pack_id != pack.id]
    taken: dict[str, dict[str, str]] = {
        "hotkey": {s.hotkey: s.title for s in others if s.hotkey},
        "abbrev": {s.abbrev: s.title for s in others if s.abbrev},
    }
    taken["hotkey"].update(
        {c.hotkey: c.name for c in store.categories() if c.hotkey and c.pack_id != pack.id}
    )
    for sid, values in personal.items():
        for name, value in values.items():
            if value:
                taken[name].setdefault(value, current[sid].title)
    warnings: list[str] = []
    snippets: list[Snippet] = []
    written: dict[str, list[str | None]] = {}
    for snippet in pack.snippets:
        own = personal.get(snippet.id, {})
        changes: dict[str, Any] = dict(own)
        # what the pack put there: a later value differing from it is the agent's own choice
        as_installed = {"hotkey": snippet.hotkey, "abbrev": snippet.abbrev}
        for name, label in (("hotkey", "hotkey"), ("abbrev", "abbreviation")):
            value = as_installed[name]
            if name not in own and value and value in taken[name]:
                warnings.append(
                    f"'{snippet.title}': {label} {value} kept by '{taken[name][value]}'"
                )
                changes[name] = None
                as_installed[name] = None
        if as_installed["hotkey"] or as_installed["abbrev"]:
            written[snippet.id] = [as_installed["hotkey"], as_installed["abbrev"]]
        snippets.append(replace(snippet, **changes) if changes else snippet)
    categories = []
    for category in pack.categories:
        if category.hotkey and category.hotkey in taken["hotkey"]:
            warnings.append(
                f"category '{category.name}': hotkey {category.hotkey} kept by "
                f"'{taken['hotkey'][category.hotkey]}'"
            )
            category = replace(category, hotkey=None)
        categories.append(category)
    new_record = {
        **{k: v for k, v in pack.manifest.to_dict().items() if k != "id"},
        "source": source,
        "installed": now_iso(),
        "installed_keys": written,
        "synonyms": pack.synonyms,
        **(record_extra or {}),
    }
    change = store.replace_pack_content(pack.id, categories, snippets, new_record)
    return InstallResult(change, warnings)


def _installed_keys(
    record: dict[str, Any] | None, current: dict[str, Snippet]
) -> dict[str, tuple[str | None, str | None]]:
    """Return the hotkey and abbreviation each pack snippet got when it was installed."""
    if record is None or "installed_keys" not in record:
        # installed before this was recorded: take today's values as the pack's own
        return {sid: (s.hotkey, s.abbrev) for sid, s in current.items()}
    return {sid: (pair[0], pair[1]) for sid, pair in record["installed_keys"].items()}


def _personal_keys(
    pack: Pack,
    current: dict[str, Snippet],
    installed: dict[str, tuple[str | None, str | None]],
) -> dict[str, dict[str, str | None]]:
    """Return, per unlocked pack snippet, the hotkey/abbreviation the agent changed since install."""
    personal: dict[str, dict[str, str | None]] = {}
    for snippet in pack.snippets:
        old = current.get(snippet.id)
        if old is None or snippet.locked:
            continue
        was_hotkey, was_abbrev = installed.get(snippet.id, (None, None))
        own: dict[str, str | None] = {}
        if old.hotkey != was_hotkey:
            own["hotkey"] = old.hotkey
        if old.abbrev != was_abbrev:
            own["abbrev"] = old.abbrev
        if own:
            personal[snippet.id] = own
    return personal


def installed_record(store: LibraryStore, pack_id: str) -> dict[str, Any] | None:
    """Return the record of the installed pack `pack_id`, or None when it is not installed."""
    return next((r for r in store.pack_records() if r["id"] == pack_id), None)


def installed_pack(store: LibraryStore, pack_id: str) -> Pack | None:
    """Return the installed pack as the lead published it (the agent's own keys left out), or None."""
    record = installed_record(store, pack_id)
    if record is None:
        return None
    current = {s.id: s for s in store.snippets() if s.pack_id == pack_id}
    keys = _installed_keys(record, current)
    snippets = [
        replace(s, hotkey=keys.get(sid, (None, None))[0], abbrev=keys.get(sid, (None, None))[1])
        for sid, s in current.items()
    ]
    manifest = PackManifest(
        id=pack_id,
        name=str(record.get("name") or pack_id),
        version=str(record.get("version") or "0.0.0"),
        author=str(record.get("author") or ""),
        description=str(record.get("description") or ""),
        language=str(record.get("language") or "zh-CN"),
        min_app_version=str(record.get("min_app_version") or "0.1.0"),
        created=str(record.get("created") or ""),
    )
    categories = [c for c in store.categories() if c.pack_id == pack_id]
    return Pack(manifest, categories, snippets, list(record.get("synonyms") or []))


def pack_clash(store: LibraryStore, pack: Pack, source: str | None) -> str | None:
    """Return why `pack` may not replace an installed pack of the same id from elsewhere, or None."""
    record = installed_record(store, pack.id)
    if record is None or not record.get("source") or not source or record["source"] == source:
        return None
    return (
        f"pack id '{pack.id}' is already used by '{record.get('name')}' {record.get('version')} "
        f"installed from {record['source']}; remove it first (`quickreply pack remove {pack.id}`) "
        "or install with --replace"
    )


def check_app_version(manifest: PackManifest) -> None:
    """Raise ValidationError when the pack needs a newer QuickReply than this one."""
    if semver_key(manifest.min_app_version) > semver_key(__version__):
        raise ValidationError(
            f"pack '{manifest.id}' needs QuickReply {manifest.min_app_version} or newer "
            f"(this is {__version__}); update QuickReply first"
        )


def uninstall_pack(store: LibraryStore, pack_id: str) -> Change:
    """Remove exactly the pack's categories, snippets and record; raise NotFoundError if absent."""
    if installed_record(store, pack_id) is None:
        raise NotFoundError(f"no pack '{pack_id}' is installed (see `quickreply pack list`)")
    return store.replace_pack_content(pack_id, [], [], None)


def default_pack_dirs() -> list[Path]:
    """Return the folders of the default packs shipped in resources/packs (zh-CN first)."""
    root = paths.resources_dir() / "packs"
    return sorted(
        (p for p in root.iterdir() if (p / "pack.yaml").exists()),
        key=lambda p: (p.name != "zh-CN", p.name),
    )


def install_default_packs(store: LibraryStore) -> list[InstallResult]:
    """(Re)install every default pack; the agent's personal snippets are kept."""
    return [
        install_pack(store, load_pack(folder), source=f"default:{folder.name}")
        for folder in default_pack_dirs()
    ]
