"""The size and type rules of a pack's fields, checked on the raw data before anything is built.

The same rules as resources/schema/qrpack-*.schema.json (a test holds the two together), written
out so every refusal names the field, the entry and the limit, and a pack of 20,000 snippets is
checked in milliseconds. Nothing here is stored: a pack that breaks a rule never reaches the store.
"""

from __future__ import annotations

from typing import Any

from quickreply.core.library.assets import MAX_IMAGES

MAX_ID = 64  # pack id
MAX_LOCAL_ID = 80  # snippet and category ids inside a pack
MAX_NAME = 120  # pack name, category name, author
MAX_DESCRIPTION = 2_000
MAX_LANGUAGE = 35
MAX_VERSION = 64  # semantic version with its pre-release tag
MAX_HOTKEY = 40
MAX_TAG = 40
MAX_TAGS = 20  # tags per snippet
MAX_CATEGORIES = 500
MAX_CREATED = 40

# field -> (types allowed, longest text); None for fields that are not text
_MANIFEST_TEXT = {
    "id": MAX_ID,
    "name": MAX_NAME,
    "version": MAX_VERSION,
    "author": MAX_NAME,
    "description": MAX_DESCRIPTION,
    "language": MAX_LANGUAGE,
    "min_app_version": MAX_VERSION,
    "created": MAX_CREATED,
}
_CATEGORY_TEXT = {"id": MAX_LOCAL_ID, "name": MAX_NAME, "hotkey": MAX_HOTKEY}
_SNIPPET_TEXT = {
    "id": MAX_LOCAL_ID,
    "category": MAX_LOCAL_ID,
    "title": 0,  # title and body lengths: clean_snippet, before any placeholder scan
    "body": 0,
    "hotkey": MAX_HOTKEY,
    "abbrev": 32,
}
_SNIPPET_FLAGS = ("auto_send", "locked")


def manifest_problems(data: dict[str, Any], source: str) -> list[str]:
    """Return the type and size problems of a pack's manifest fields and category count."""
    problems = _text_problems(data, _MANIFEST_TEXT, f"{source}: manifest field")
    if "locked" in data and not isinstance(data["locked"], bool):
        problems.append(f"{source}: manifest field 'locked' must be true or false")
    categories = data.get("categories")
    if isinstance(categories, list) and len(categories) > MAX_CATEGORIES:
        problems.append(
            f"{source}: {len(categories):,} categories; a pack may hold at most {MAX_CATEGORIES}"
        )
    return problems


def category_problems(item: dict[str, Any], where: str) -> list[str]:
    """Return the type and size problems of one raw category."""
    problems = _text_problems(item, _CATEGORY_TEXT, f"{where}:")
    order = item.get("order")
    if order is not None and (
        isinstance(order, bool) or not isinstance(order, int) or abs(order) > 1_000_000
    ):
        problems.append(f"{where}: 'order' must be a whole number up to 1,000,000")
    return problems


def snippet_problems(item: dict[str, Any], where: str) -> list[str]:
    """Return the type and size problems of one raw snippet (tags and flags included)."""
    problems = _text_problems(item, _SNIPPET_TEXT, f"{where}:")
    for flag in _SNIPPET_FLAGS:
        if flag in item and not isinstance(item[flag], bool):
            problems.append(f"{where}: '{flag}' must be true or false, not {_kind(item[flag])}")
    images = item.get("images")
    if images is not None and (
        not isinstance(images, list) or not all(isinstance(i, str) for i in images)
    ):
        problems.append(f"{where}: 'images' must be a list of text")
    elif images is not None and len(images) > MAX_IMAGES:
        problems.append(f"{where}: {len(images)} images; a snippet may have at most {MAX_IMAGES}")
    order = item.get("image_order")
    if order is not None and order not in ("images_first", "text_first"):
        problems.append(f"{where}: 'image_order' must be images_first or text_first")
    tags = item.get("tags")
    if tags is not None:
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            problems.append(f"{where}: 'tags' must be a list of text")
        elif len(tags) > MAX_TAGS:
            problems.append(f"{where}: {len(tags)} tags; a snippet may have at most {MAX_TAGS}")
        elif any(len(t) > MAX_TAG for t in tags):
            problems.append(f"{where}: a tag is longer than {MAX_TAG} characters")
    return problems


def _text_problems(item: dict[str, Any], limits: dict[str, int], prefix: str) -> list[str]:
    problems = []
    for key, limit in limits.items():
        value = item.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            problems.append(f"{prefix} '{key}' must be text, not {_kind(value)}")
        elif limit and len(value) > limit:
            problems.append(
                f"{prefix} '{key}' is {len(value):,} characters; the limit is {limit:,}"
            )
    return problems


def _kind(value: Any) -> str:
    names = {
        bool: "true/false",
        int: "a number",
        float: "a number",
        list: "a list",
        dict: "an object",
    }
    return names.get(type(value), type(value).__name__)
