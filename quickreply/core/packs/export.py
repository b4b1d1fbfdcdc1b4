"""Making a pack out of a lead's library: chosen categories or snippets become a new pack version.

Local ids are kept from the library (``s-3f9a2c1b`` stays ``s-3f9a2c1b``; ``team/greet`` becomes
``greet``), so the same snippet keeps its id from one published version to the next and agents'
personal hotkeys on it survive updates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from quickreply.core.errors import ValidationError
from quickreply.core.i18n import tr
from quickreply.core.library.model import Category, Snippet, now_iso
from quickreply.core.library.store import LibraryStore
from quickreply.core.packs.diff import diff_packs, suggest_version
from quickreply.core.packs.format import Pack, PackManifest, parse_pack
from quickreply.core.packs.install import installed_pack
from quickreply.core.usage.metrics import char_classes

UNCATEGORIZED = "uncategorized"
_PLACEHOLDER = re.compile(r"\{\{.*?\}\}")


def pack_from_library(
    store: LibraryStore,
    manifest: PackManifest,
    *,
    category_ids: Iterable[str] = (),
    snippet_ids: Iterable[str] = (),
    lock: bool = False,
) -> Pack:
    """Build a pack from the chosen categories (all their snippets) and single snippets.

    With neither, every personal snippet (not from an installed pack) is taken. Raises
    NotFoundError for an unknown id and ValidationError when the result is not a valid pack.
    """
    category_ids = [store.category(c).id for c in category_ids]
    snippet_ids = list(snippet_ids)
    chosen: dict[str, Snippet] = {}
    for snippet in store.snippets():
        if snippet.category in category_ids:
            chosen[snippet.id] = snippet
    for sid in snippet_ids:
        chosen[sid] = store.get(sid)
    if not category_ids and not snippet_ids:
        chosen = {s.id: s for s in store.snippets() if s.pack_id is None}
    if not chosen:
        raise ValidationError("nothing to export: the chosen categories hold no snippets")
    local_category = _local_ids([c.id for c in store.categories()])
    local_snippet = _local_ids(list(chosen))
    categories: dict[str, dict[str, object]] = {}
    for category in store.categories():
        if any(s.category == category.id for s in chosen.values()):
            categories[category.id] = _category_item(category, local_category[category.id])
    snippets = []
    for sid, snippet in chosen.items():
        key = snippet.category if snippet.category in categories else UNCATEGORIZED
        if key == UNCATEGORIZED and key not in categories:
            categories[key] = {"id": UNCATEGORIZED, "name": tr("Uncategorized")}
        snippets.append(
            {
                "id": local_snippet[sid],
                "category": categories[key]["id"],
                "title": snippet.title,
                "body": snippet.body,
                "hotkey": snippet.hotkey,
                "abbrev": snippet.abbrev,
                "tags": list(snippet.tags),
                "questions": list(snippet.questions),
                "images": list(snippet.images),
                "image_order": snippet.image_order,
                "auto_send": snippet.auto_send,
                "locked": lock or snippet.locked,
            }
        )
    data = {
        **manifest.to_dict(),
        "created": manifest.created or now_iso(),
        "categories": list(categories.values()),
        "snippets": snippets,
    }
    return parse_pack(data, source=manifest.id)


def _category_item(category: Category, local_id: str) -> dict[str, object]:
    item: dict[str, object] = {"id": local_id, "name": category.name, "order": category.order}
    if category.hotkey:
        item["hotkey"] = category.hotkey
    if category.keywords:
        item["keywords"] = list(category.keywords)
    return item


def _local_ids(library_ids: list[str]) -> dict[str, str]:
    """Map library ids to pack-local ids, numbering the rare clash (two packs' ``greet``)."""
    taken: set[str] = set()
    local: dict[str, str] = {}
    for library_id in library_ids:
        base = library_id.rsplit("/", 1)[-1]
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}-{n}", n + 1
        taken.add(candidate)
        local[library_id] = candidate
    return local


def suggested_version(store: LibraryStore, pack: Pack, previous: Pack | None = None) -> str:
    """Suggest `pack`'s version from the previous version (given, e.g. the last published file,
    or else the installed pack of the same id) and what changed since.
    """
    if previous is None or previous.id != pack.id:
        previous = installed_pack(store, pack.id)
    if previous is None:
        return "1.0.0"
    return suggest_version(previous.manifest.version, diff_packs(previous, pack))


def pack_id_from_name(name: str) -> str:
    """Return a pack id made from `name`: pinyin for Chinese, lowercase, dashes (``双11话术`` →
    ``shuang-11-hua-shu``); "team-pack" when nothing usable is left.
    """
    from pypinyin import lazy_pinyin  # 0.15 s to import: only the export dialog needs it

    words = " ".join(lazy_pinyin(name)).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", words).strip("-")
    return slug[:48].rstrip("-") or "team-pack"


def guess_language(snippets: Iterable[Snippet]) -> str:
    """Return "zh-CN" when Chinese characters make up a fair share of the bodies, else "en"."""
    cjk = latin = 0
    for snippet in snippets:
        wide, other = char_classes(_PLACEHOLDER.sub("", snippet.body))
        cjk, latin = cjk + wide, latin + other
    # one Chinese character carries about as much as a short English word
    return "zh-CN" if cjk * 3 >= latin and cjk else "en"


def with_version(pack: Pack, version: str) -> Pack:
    """Return `pack` with another version (snippets carry their pack version too)."""
    manifest = replace(pack.manifest, version=version)
    return Pack(
        manifest, pack.categories, [replace(s, pack_version=version) for s in pack.snippets]
    )
