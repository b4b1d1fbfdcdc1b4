"""Snippets and categories: the data every other part passes around, with their validation."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from typing import Any, Literal

from quickreply.core.errors import ValidationError
from quickreply.core.hotkey import normalize_hotkey

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*(?:/[a-z0-9]+(?:[-_][a-z0-9]+)*)?$")
# an optional prefix character (`;hy`, `/tk`, Espanso's `:date`) cannot collide with pinyin typing
ABBREV_PATTERN = re.compile(r"^[;/:,.!#@~=+-]?[a-z0-9][a-z0-9_.;:-]{0,31}$")
# full-width punctuation typed in Chinese input mode counts as the same prefix
FULL_WIDTH_PREFIX = str.maketrans({"；": ";", "／": "/", "：": ":", "，": ",", "。": "."})
MAX_TITLE = 120
MAX_BODY = 20_000
ImageOrder = Literal["images_first", "text_first"]
IMAGE_ORDERS: tuple[ImageOrder, ...] = ("images_first", "text_first")


def now_iso() -> str:
    """Return the current UTC time as an ISO-8601 string with seconds precision."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def new_id(prefix: str) -> str:
    """Return a fresh, stable id such as ``s-3f9a2c1b`` (personal snippets and categories)."""
    return f"{prefix}-{secrets.token_hex(4)}"


@dataclass(frozen=True)
class Category:
    """A group of snippets shown as one tray submenu; its optional hotkey pops that menu."""

    id: str
    name: str
    order: int = 0
    hotkey: str | None = None
    pack_id: str | None = None
    keywords: tuple[str, ...] = ()  # words buyers use for this topic, for suggestions

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form stored in the library."""
        data = asdict(self)
        data["keywords"] = list(self.keywords)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Category:
        """Build a Category from its stored form, ignoring fields this version does not know."""
        return cls(
            id=str(data["id"]),
            name=str(data.get("name", "")),
            order=int(data.get("order", 0)),
            hotkey=data.get("hotkey") or None,
            pack_id=data.get("pack_id") or None,
            keywords=tuple(str(k) for k in data.get("keywords") or ()),
        )


@dataclass(frozen=True)
class Snippet:
    """One approved reply. `locked` snippets belong to a lead's pack and cannot be edited."""

    id: str
    title: str
    body: str
    category: str = ""
    hotkey: str | None = None
    abbrev: str | None = None
    tags: tuple[str, ...] = ()
    auto_send: bool = False
    pack_id: str | None = None
    pack_version: str | None = None
    locked: bool = False
    created: str = field(default_factory=now_iso)
    updated: str = field(default_factory=now_iso)
    questions: tuple[str, ...] = ()  # example buyer messages this reply answers (suggestions)
    images: tuple[str, ...] = ()  # asset references "<sha256>.<ext>" (core/library/assets.py)
    image_order: ImageOrder = "images_first"

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form stored in the library."""
        # the fields are flat values: a shallow copy is 10x faster than asdict's deep copy,
        # which dominated writing 10,000 imported snippets
        data = dict(self.__dict__)
        data["tags"] = list(self.tags)
        data["questions"] = list(self.questions)
        data["images"] = list(self.images)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Snippet:
        """Build a Snippet from its stored form, ignoring fields this version does not know."""
        return cls(
            id=str(data["id"]),
            title=str(data.get("title", "")),
            body=str(data.get("body", "")),
            category=str(data.get("category") or ""),
            hotkey=data.get("hotkey") or None,
            abbrev=data.get("abbrev") or None,
            tags=tuple(str(t) for t in data.get("tags") or ()),
            auto_send=bool(data.get("auto_send", False)),
            pack_id=data.get("pack_id") or None,
            pack_version=data.get("pack_version") or None,
            locked=bool(data.get("locked", False)),
            created=str(data.get("created") or now_iso()),
            updated=str(data.get("updated") or now_iso()),
            questions=tuple(str(q) for q in data.get("questions") or ()),
            images=tuple(str(i) for i in data.get("images") or ()),
            image_order="text_first" if data.get("image_order") == "text_first" else "images_first",
        )

    def edited(self, **changes: Any) -> Snippet:
        """Return a copy with `changes` applied and the updated time set to now."""
        return replace(self, **changes, updated=now_iso())


def clean_snippet(snippet: Snippet) -> Snippet:
    """Return `snippet` with normalised hotkey, abbreviation and tags, or raise ValidationError.

    Checks the fields of one snippet on its own: id form, non-empty title, a body unless it has
    images, sizes, image references and count, hotkey syntax, abbreviation form, and that every
    placeholder in the body is known. Whether the images are stored is the store's check.
    """
    from quickreply.core.library.assets import image_problems
    from quickreply.core.render import placeholder_problems

    where = f"snippet '{snippet.id}'"
    problems: list[str] = []
    if not ID_PATTERN.match(snippet.id):
        problems.append(f"{where}: id must be lowercase letters, digits and dashes")
    if not snippet.title.strip():
        problems.append(f"{where}: title is empty")
    elif len(snippet.title) > MAX_TITLE:
        problems.append(f"{where}: title is longer than {MAX_TITLE} characters")
    problems.extend(f"{where}: {p}" for p in image_problems(snippet.images))
    if snippet.image_order not in IMAGE_ORDERS:
        problems.append(f"{where}: image order must be one of {', '.join(IMAGE_ORDERS)}")
    if not snippet.body.strip() and not snippet.images:
        problems.append(f"{where}: body is empty")
    elif len(snippet.body) > MAX_BODY:
        problems.append(f"{where}: body is longer than {MAX_BODY} characters")
    if len(snippet.body) <= MAX_BODY:  # the length first: a hostile body is never scanned
        problems.extend(f"{where}: {p}" for p in placeholder_problems(snippet.body))
    for name, text in (("title", snippet.title), ("body", snippet.body)):
        if not _is_text(text):
            problems.append(f"{where}: {name} holds bytes that are not text (a wrong encoding?)")
    hotkey = snippet.hotkey
    if hotkey:
        try:
            hotkey = normalize_hotkey(hotkey)
        except ValidationError as exc:
            problems.append(f"{where}: {exc}")
    abbrev = snippet.abbrev.strip().translate(FULL_WIDTH_PREFIX).lower() if snippet.abbrev else None
    if abbrev and not ABBREV_PATTERN.match(abbrev):
        problems.append(
            f"{where}: abbreviation '{snippet.abbrev}' must be 1-32 letters, digits or . - _ ; "
            "with no spaces, optionally after one prefix character such as ; or /"
        )
    if problems:
        raise ValidationError(problems)
    tags = tuple(dict.fromkeys(t.strip() for t in snippet.tags if t.strip()))
    questions = tuple(dict.fromkeys(q.strip() for q in snippet.questions if q.strip()))
    return replace(
        snippet, hotkey=hotkey or None, abbrev=abbrev or None, tags=tags, questions=questions
    )


def _is_text(text: str) -> bool:
    """False when `text` holds lone surrogates (undecodable bytes smuggled in by surrogateescape)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def clean_category(category: Category) -> Category:
    """Return `category` with a normalised hotkey, or raise ValidationError naming the problem."""
    where = f"category '{category.id}'"
    problems: list[str] = []
    if not ID_PATTERN.match(category.id):
        problems.append(f"{where}: id must be lowercase letters, digits and dashes")
    if not category.name.strip():
        problems.append(f"{where}: name is empty")
    hotkey = category.hotkey
    if hotkey:
        try:
            hotkey = normalize_hotkey(hotkey)
        except ValidationError as exc:
            problems.append(f"{where}: {exc}")
    if problems:
        raise ValidationError(problems)
    keywords = tuple(dict.fromkeys(k.strip() for k in category.keywords if k.strip()))
    return replace(category, name=category.name.strip(), hotkey=hotkey or None, keywords=keywords)


def conflicts(
    snippet: Snippet, snippets: Iterable[Snippet], categories: Iterable[Category]
) -> list[str]:
    """Return the clashes of `snippet`'s hotkey and abbreviation with the rest of the library."""
    problems: list[str] = []
    for other in snippets:
        if other.id == snippet.id:
            continue
        if snippet.hotkey and other.hotkey == snippet.hotkey:
            problems.append(
                f"hotkey {snippet.hotkey} is already used by snippet '{other.title}' ({other.id})"
            )
        if snippet.abbrev and other.abbrev == snippet.abbrev:
            problems.append(
                f"abbreviation '{snippet.abbrev}' is already used by snippet '{other.title}' ({other.id})"
            )
    if snippet.hotkey:
        problems.extend(
            f"hotkey {snippet.hotkey} is already used by category '{c.name}'"
            for c in categories
            if c.hotkey == snippet.hotkey
        )
    return problems
