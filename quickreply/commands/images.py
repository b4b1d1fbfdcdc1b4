"""The image side of `quickreply add/edit/show`: attaching files, describing stored images."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from quickreply.core.errors import QuickReplyError
from quickreply.core.i18n import tr
from quickreply.core.library.assets import MAX_IMAGES, AssetStore


def image_edits(assets: AssetStore, args: argparse.Namespace) -> dict[str, Any]:
    """Return the snippet changes of --image, --clear-images and --image-order; the image files
    are checked and stored first (QuickReplyError naming the file when one is refused)."""
    changes: dict[str, Any] = {}
    files = args.image or []
    if files and getattr(args, "clear_images", False):
        raise QuickReplyError(tr("give either --image or --clear-images, not both"))
    if len(files) > MAX_IMAGES:
        raise QuickReplyError(
            tr(
                "{count} images; a snippet may have at most {limit}",
                count=len(files),
                limit=MAX_IMAGES,
            )
        )
    if files:
        changes["images"] = tuple(assets.add_file(Path(f)) for f in files)
    if getattr(args, "clear_images", False):
        changes["images"] = ()
    if args.image_order:
        changes["image_order"] = args.image_order
    return changes


def image_details(assets: AssetStore, refs: list[str]) -> list[dict[str, Any]]:
    """Return each image's file, pixel size, bytes and SHA-256 (None fields when it is missing)."""
    details = []
    for ref in refs:
        try:
            info = assets.describe(ref)
            size: dict[str, Any] = {"width": info.width, "height": info.height, "bytes": info.size}
        except QuickReplyError:
            size = {"width": None, "height": None, "bytes": None}
        path = str(assets.path_for(ref).resolve())
        details.append({"ref": ref, "path": path, "sha256": ref.split(".")[0], **size})
    return details


def image_lines(assets: AssetStore, refs: list[str]) -> list[str]:
    """Return one translated line per image for `quickreply show`."""
    lines = []
    for item in image_details(assets, refs):
        if item["bytes"] is None:
            lines.append(tr("image: {ref}  (missing from the data folder)", ref=item["ref"]))
            continue
        lines.append(
            tr(
                "image: {width}x{height} px, {bytes} bytes, sha256 {sha256}",
                width=item["width"],
                height=item["height"],
                bytes=item["bytes"],
                sha256=item["sha256"],
            )
        )
    return lines
