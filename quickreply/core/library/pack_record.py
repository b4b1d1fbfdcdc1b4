"""The library's record of one installed pack: who published it, which version, from where, and
what the agent changed in it since (edited and deleted replies, hidden from the tray).

The store keeps records as rows of the ``packs`` table in library.json. ``PackRecord.from_dict``
and ``to_dict`` keep a row exactly as it was stored: its keys in their order, keys this version
does not know, and values of an unexpected type (both kept aside in ``extra``), so reading and
writing a record back never changes the file's format.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

# an installed snippet's [hotkey, abbreviation] as the pack had them
InstalledKeys = dict[str, list[str | None]]


@dataclass(frozen=True)
class PackRecord:
    """One installed pack, as recorded in the library (see the module docstring)."""

    id: str
    name: str | None = None
    version: str = ""
    author: str = ""
    description: str = ""
    language: str | None = None
    min_app_version: str = ""
    created: str = ""
    team_drop: str = ""  # a lead's suggested team drop (core/team/suggestion.py)
    source: str | None = None
    installed: str | None = None
    # None: installed before the pack's own hotkeys and abbreviations were recorded
    installed_keys: InstalledKeys | None = None
    synonyms: list[list[str]] = field(default_factory=list)
    overridden: dict[str, dict[str, Any]] = field(default_factory=dict)  # core/packs/overrides.py
    removed_by_agent: list[str] = field(default_factory=list)
    hidden: bool = False  # hidden from the tray menu (core/packs/visibility.py)
    sha256: str | None = None
    key_id: str | None = None
    # stored keys this version does not know, or whose value has an unexpected type: kept as is
    extra: dict[str, Any] = field(default_factory=dict, compare=False)
    # the stored keys in their order; empty for a record not read from a file
    keys: tuple[str, ...] = field(default=(), compare=False, repr=False)

    @property
    def title(self) -> str:
        """The pack's name, or its id when it has none."""
        return str(self.name or self.id)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PackRecord:
        """Return the record stored as `data` (a ``packs`` row); nothing of it is dropped."""
        known = {f.name: f for f in fields(cls) if f.name not in ("extra", "keys")}
        values: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for key, value in data.items():
            if key in known and _fits(key, value):
                values[key] = value
            else:
                extra[key] = value
        values.setdefault("id", str(data.get("id", "")))
        return cls(**values, extra=extra, keys=tuple(data))

    def to_dict(self) -> dict[str, Any]:
        """Return the record as a JSON-ready ``packs`` row: the stored keys in their order, then
        any field given a value since (a record made in code: every field that is set)."""
        out: dict[str, Any] = {}
        for key in self.keys or self._set_fields():
            out[key] = self.extra[key] if key in self.extra else getattr(self, key)
        for key in self._set_fields():
            out.setdefault(key, getattr(self, key))
        for key, value in self.extra.items():
            out.setdefault(key, value)
        return out

    def _set_fields(self) -> list[str]:
        """The fields whose value is not the default, in declaration order (id always)."""
        blank = PackRecord(id=self.id)
        return [
            f.name
            for f in fields(self)
            if f.name not in ("extra", "keys")
            and (f.name == "id" or getattr(self, f.name) != getattr(blank, f.name))
        ]


_TYPES: dict[str, tuple[type, ...]] = {
    "id": (str,),
    "name": (str, type(None)),
    "version": (str,),
    "author": (str,),
    "description": (str,),
    "language": (str, type(None)),
    "min_app_version": (str,),
    "created": (str,),
    "team_drop": (str,),
    "source": (str, type(None)),
    "installed": (str, type(None)),
    "installed_keys": (dict, type(None)),
    "synonyms": (list,),
    "overridden": (dict,),
    "removed_by_agent": (list,),
    "hidden": (bool,),
    "sha256": (str, type(None)),
    "key_id": (str, type(None)),
}


def _fits(key: str, value: Any) -> bool:
    """Whether a stored `value` has the type the field `key` holds."""
    return isinstance(value, _TYPES[key])
