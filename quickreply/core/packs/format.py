"""Snippet packs: the format leads publish approved wording in, and installing one into the library.

A pack is a manifest (id, name, semantic version, author, language ...), its categories and its
snippets. Snippets and categories get library ids ``<pack-id>/<local-id>`` so packs never collide
with each other or with an agent's personal snippets.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from quickreply import __version__
from quickreply.core.errors import QuickReplyError, ValidationError
from quickreply.core.library.model import Category, Snippet, clean_category, clean_snippet, now_iso
from quickreply.core.packs.limits import (
    MAX_LOCAL_ID,
    MAX_VERSION,
    category_problems,
    manifest_problems,
    snippet_problems,
)
from quickreply.core.safe_load import load_json, load_yaml

PACK_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?$")
MAX_PACK_SNIPPETS = (
    20_000  # a pack is approved wording, not a data dump; keeps the tray and search fast
)
MANIFEST_FIELDS = (
    "id",
    "name",
    "version",
    "author",
    "description",
    "language",
    "min_app_version",
    "team_drop",
)


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
    team_drop: str = ""  # a lead's suggested team drop (folder or WebDAV URL); agents are asked

    def to_dict(self) -> dict[str, str]:
        """Return the manifest fields as written in manifest.json and pack records."""
        data = asdict(self)
        if not data["team_drop"]:
            del data["team_drop"]  # packs without a suggestion stay byte-for-byte as before
        return data


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


SemverKey = tuple[int, int, int, int, tuple[tuple[int, int, str], ...]]


def semver_key(version: str) -> SemverKey:
    """Return a sortable key for a semantic version, pre-release tags ordered as semver.org says.

    ``2.0.0-alpha < 2.0.0-alpha.1 < 2.0.0-beta < 2.0.0-rc.1 < 2.0.0``: a pre-release sorts before
    its release; numeric identifiers compare as numbers and before alphanumeric ones.
    """
    match = SEMVER.match(version) if len(version) <= MAX_VERSION else None
    if not match:
        raise ValidationError(f"version '{version[:80]}' is not a semantic version such as 1.2.0")
    core = int(match.group(1)), int(match.group(2)), int(match.group(3))
    tag = version.partition("-")[2]
    if not tag:
        return (*core, 1, ())
    parts = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in tag.split("."))
    return (*core, 0, parts)


def parse_pack(data: Any, source: str = "pack") -> Pack:
    """Validate raw pack data (as read from YAML/JSON) and return a Pack.

    Raises ValidationError listing every problem, each naming its place (field, snippet id).
    """
    if not isinstance(data, dict):
        raise ValidationError(
            f"{source}: a pack must be a mapping with id, name, version, categories and snippets"
        )
    problems = manifest_problems(data, source)
    if problems:  # before anything is built: 300,000 categories cost nothing
        raise ValidationError(problems)
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
    drop = values["team_drop"]
    if drop is not None and (not isinstance(drop, str) or len(drop) > 500):
        problems.append(f"{source}: team_drop must be a folder path or an http(s) URL")
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
        team_drop=str(drop or "").strip(),
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
        wrong = category_problems(item, where)
        if wrong:
            problems.extend(wrong)
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
        where = f"{source}: snippet '{local[:MAX_LOCAL_ID]}'"
        if local in seen:
            problems.append(f"{where}: duplicate snippet id")
            continue
        seen.add(local)
        category = f"{pack_id}/{item.get('category')}"
        if category not in category_ids:
            problems.append(f"{where}: unknown category '{item.get('category')}'")
        wrong = snippet_problems(item, where)
        if wrong:
            problems.extend(wrong)
            continue
        tags = item.get("tags") or []
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
                    images=tuple(item.get("images") or ()),
                    image_order=item.get("image_order") or "images_first",
                    auto_send=item.get("auto_send", False),
                    pack_id=pack_id,
                    pack_version=manifest.version if manifest else None,
                    locked=item.get("locked", pack_locked),
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
                return load_yaml(_source_text(path, "pack.yaml"), f"{path.name}/pack.yaml")
            manifest = load_json(_source_text(path, "manifest.json"), f"{path.name}/manifest.json")
            snippets = load_json(_source_text(path, "snippets.json"), f"{path.name}/snippets.json")
            if not isinstance(manifest, dict) or not isinstance(snippets, dict):
                raise ValidationError(
                    f"{path.name}: manifest.json and snippets.json must each hold a JSON object"
                )
            return {**manifest, **snippets}
        text = path.read_text(encoding="utf-8")
        return load_json(text, path.name) if path.suffix == ".json" else load_yaml(text, path.name)
    except FileNotFoundError as exc:
        raise QuickReplyError(f"{path}: no pack there ({exc.filename} is missing)") from exc
    except UnicodeDecodeError as exc:
        raise ValidationError(f"{path}: not a readable pack (not UTF-8 text)") from exc
    except OSError as exc:
        raise QuickReplyError(f"cannot read {path}: {exc.strerror or exc}") from exc


def _source_text(folder: Path, name: str) -> str:
    """Read one file of a source folder; a link to anything outside the folder is refused."""
    path = folder / name
    if not path.exists():
        raise FileNotFoundError(2, "missing", str(path))
    if path.is_symlink() or not path.resolve().is_relative_to(folder.resolve()):
        raise ValidationError(
            f"{folder.name}/{name} is a link; pack sources may not point outside their folder"
        )
    return path.read_text(encoding="utf-8")


def load_pack(path: Path) -> Pack:
    """Read and validate a pack from a folder or a YAML/JSON file."""
    return parse_pack(read_pack_data(path), source=Path(path).name)


def check_app_version(manifest: PackManifest) -> None:
    """Raise ValidationError when the pack needs a newer QuickReply than this one."""
    if semver_key(manifest.min_app_version) > semver_key(__version__):
        raise ValidationError(
            f"pack '{manifest.id}' needs QuickReply {manifest.min_app_version} or newer "
            f"(this is {__version__}); update QuickReply first"
        )
