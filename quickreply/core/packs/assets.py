"""Images travelling in a pack: a snippet's image "<sha256>.<ext>" is the pack entry
``assets/<sha256>.<ext>``, which the manifest's file hashes (the signature) cover like any entry.

Reading a pack checks every such entry: its SHA-256 must be its name, and it must be an image
within the limits (core/library/assets.py); one bad asset refuses the whole pack. Installing
copies the snippets' images into the agent's asset store; the store's garbage collection removes
the images an update or an uninstall left unused.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from quickreply.core.errors import ValidationError
from quickreply.core.i18n import tr
from quickreply.core.library.assets import AssetStore, image_info, is_ref, ref_for
from quickreply.core.library.model import Snippet
from quickreply.core.packs.format import Pack

PREFIX = "assets/"


def entry_name(ref: str) -> str:
    """Return the pack entry that holds the image `ref`."""
    return PREFIX + ref


def name_images_by_content(data: Any, assets: dict[str, bytes], source: str) -> dict[str, bytes]:
    """In a lead's source folder, let a snippet name an image by its file in assets/
    (``images: [size-chart.png]``): rewrite those names in the raw pack `data` to content
    references, and return the assets with each such file moved to ``assets/<sha256>.<ext>``.
    A name that is already a reference, or no file of the folder, is left for the checks."""
    snippets = data.get("snippets") if isinstance(data, dict) else None
    renamed = dict(assets)
    moved: set[str] = set()
    for item in snippets if isinstance(snippets, list) else ():
        images = item.get("images") if isinstance(item, dict) else None
        if not isinstance(images, list):
            continue
        refs = []
        for name in images:
            entry = entry_name(name) if isinstance(name, str) else ""
            if is_ref(name) or entry not in assets:
                refs.append(name)
                continue
            ref = ref_for(assets[entry], f"{source}: {entry}")
            renamed[entry_name(ref)] = assets[entry]
            moved.add(entry)
            refs.append(ref)
        item["images"] = refs
    return {k: v for k, v in renamed.items() if k not in moved}


def pack_image_problems(
    pack: Pack, assets: dict[str, bytes], name: str, stored: Iterable[str] = ()
) -> list[str]:
    """Return every problem of `pack`'s images: an image entry whose bytes are not its SHA-256
    (tampered), one that is not an image within the limits, or a snippet image neither in the
    pack's `assets` nor among the `stored` references."""
    problems: list[str] = []
    for entry, data in sorted(assets.items()):
        ref = entry.removeprefix(PREFIX)
        if is_ref(ref):  # other assets: only their names are checked (core/packs/file.py)
            problems.extend(_image_entry_problems(entry, ref, data, name))
    available = {*stored, *(e.removeprefix(PREFIX) for e in assets)}
    for snippet in pack.snippets:
        problems.extend(
            tr(
                "{name}: snippet '{title}': image {ref} is not in the pack's assets",
                name=name,
                title=snippet.title,
                ref=ref,
            )
            for ref in snippet.images
            if ref not in available
        )
    return problems


def _image_entry_problems(entry: str, ref: str, data: bytes, name: str) -> list[str]:
    if hashlib.sha256(data).hexdigest() != ref.split(".")[0]:
        return [
            tr(
                "{name}: {entry} does not match its SHA-256 (changed or damaged); the pack is "
                "refused",
                name=name,
                entry=entry,
            )
        ]
    try:
        info = image_info(data, f"{name}: {entry}")
    except ValidationError as exc:
        return exc.problems
    if info.ext != ref.split(".")[1]:
        return [tr("{name}: {entry} holds a {ext} image", name=name, entry=entry, ext=info.ext)]
    return []


def check_pack_images(pack: Pack, assets: dict[str, bytes], name: str) -> None:
    """Raise ValidationError listing pack_image_problems, if there are any."""
    problems = pack_image_problems(pack, assets, name)
    if problems:
        raise ValidationError(problems)


def export_images(store: AssetStore, snippets: Iterable[Snippet]) -> dict[str, bytes]:
    """Return the pack entries carrying the images of `snippets` from the asset store."""
    return {entry_name(ref): store.read(ref) for s in snippets for ref in s.images}


def install_images(store: AssetStore, pack: Pack, assets: dict[str, bytes] | None) -> None:
    """Copy the images of `pack`'s snippets from its `assets` into the asset store, after checking
    them all; an image the pack does not carry must already be stored (a pack rebuilt from the
    library). Raises ValidationError naming every problem; nothing is stored then."""
    refs = {ref for s in pack.snippets for ref in s.images}
    given = assets or {}
    carried = {entry_name(r): given[entry_name(r)] for r in refs if entry_name(r) in given}
    stored = [r for r in refs if entry_name(r) not in carried and store.exists(r)]
    problems = pack_image_problems(pack, carried, f"pack '{pack.id}'", stored)
    if problems:
        raise ValidationError(problems)
    for entry, data in sorted(carried.items()):
        store.add_bytes(data, entry)
