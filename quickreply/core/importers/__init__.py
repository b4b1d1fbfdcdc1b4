"""Importers: phrases from Espanso, Beeftext, AutoHotkey and shop sheets, one module per format.

Each reader returns an ImportResult (categories, snippets, what was skipped and why) and never
writes anything; `plan.plan_import` compares it with the library and `plan.apply_import` writes it.
"""

from __future__ import annotations

from pathlib import Path

from quickreply.core.errors import ValidationError
from quickreply.core.importers.result import FORMATS, ImportFormat, ImportResult
from quickreply.core.importers.sheets import ColumnMap

__all__ = ["FORMATS", "ImportResult", "detect_format", "read_import"]


def detect_format(path: Path) -> ImportFormat:
    """Return the format of `path` from its name and, for JSON/folders, what it holds.

    Raises ValidationError when the format cannot be told; the user then gives --format.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if path.is_dir():
        if any(p.suffix in (".yml", ".yaml") for p in path.rglob("*")):
            return "espanso"
        raise ValidationError(f"{path}: no Espanso match files in this folder; give --format")
    if suffix in (".yml", ".yaml"):
        return "espanso"
    if suffix == ".json":
        return "beeftext"
    if suffix in (".ahk", ".ah2"):
        return "ahk"
    if suffix in (".csv", ".txt", ".tsv"):
        return "csv"
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    raise ValidationError(
        f"{path.name}: cannot tell the format from the name; give --format ({', '.join(FORMATS)})"
    )


def read_import(
    path: Path,
    format: str | None = None,
    *,
    keep_unsupported: bool = False,
    columns: ColumnMap | None = None,
) -> ImportResult:
    """Read phrases from `path` in `format` (detected when None); raise ValidationError."""
    path = Path(path)
    if not path.exists():
        raise ValidationError(f"{path}: no such file or folder")
    kind = format or detect_format(path)
    if kind == "espanso":
        from quickreply.core.importers.espanso import read_espanso

        return read_espanso(path, keep_unsupported=keep_unsupported)
    if path.is_dir():
        raise ValidationError(f"{path}: a folder can only be an Espanso match folder")
    if kind == "beeftext":
        from quickreply.core.importers.beeftext import read_beeftext

        return read_beeftext(path)
    if kind == "ahk":
        from quickreply.core.importers.ahk import read_ahk

        return read_ahk(path)
    if kind in ("csv", "xlsx"):
        from quickreply.core.importers.sheets import read_sheet

        return read_sheet(path, columns)
    raise ValidationError(f"unknown format '{kind}' (known: {', '.join(FORMATS)})")
