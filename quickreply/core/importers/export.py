"""Export the other way: a 千牛-style phrase sheet (分组, 快捷编码, 快捷短语, 标题) as CSV or XLSX.

The sheet imports back unchanged (`quickreply import`), and the chat platforms' own phrase
libraries read the first three columns; 标题 keeps QuickReply's titles for the way back.
CSV is UTF-8 with a byte-order mark, which Excel and the platforms open as Chinese text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

from quickreply.core.errors import ValidationError
from quickreply.core.library.atomic import atomic_write_bytes
from quickreply.core.library.model import Category, Snippet

HEADER = ("分组", "快捷编码", "快捷短语", "标题")


def sheet_rows(snippets: Iterable[Snippet], categories: Iterable[Category]) -> list[list[str]]:
    """Return the header and one row per snippet: category name, abbreviation, text, title."""
    names = {c.id: c.name for c in categories}
    rows = [list(HEADER)]
    rows.extend([names.get(s.category, ""), s.abbrev or "", s.body, s.title] for s in snippets)
    return rows


def write_sheet(path: Path, rows: list[list[str]]) -> None:
    """Write `rows` to `path` (.csv or .xlsx) atomically; raise ValidationError for other names."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerows(rows)
        data = buffer.getvalue().encode("utf-8-sig")
    elif suffix == ".xlsx":
        data = _xlsx_bytes(rows)
    else:
        raise ValidationError(f"{path.name}: export writes .csv or .xlsx files")
    atomic_write_bytes(path, data)


def _xlsx_bytes(rows: list[list[str]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()  # shared strings, as Excel writes them (4x faster to read back)
    sheet = book.active
    sheet.title = "快捷短语"
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(number, column, value)
            cell.data_type = "s"  # text, always: a phrase starting with '=' is not a formula
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
