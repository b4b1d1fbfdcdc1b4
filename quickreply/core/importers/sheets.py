"""Shop phrase sheets: CSV (UTF-8, UTF-8 with BOM, GBK/GB18030, detected) and XLSX (openpyxl).

The first row is a header when it names the columns the way 千牛/京麦 and English sheets do
(分组, 快捷编码, 快捷短语, 标题 / group, code, text, title); otherwise the sheet is read as
group, code, text. A ColumnMap chosen by the user (the import dialog) overrides both.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from quickreply.core.errors import ValidationError
from quickreply.core.importers.result import ImportedSnippet, ImportResult, clean_abbrev, title_from
from quickreply.core.importers.text import decode, read_bytes

MAX_ROWS = 100_000
HEADERS: dict[str, tuple[str, ...]] = {
    "category": ("分组", "分类", "分组名称", "类别", "category", "group"),
    "abbrev": (
        "快捷编码",
        "编码",
        "快捷键",
        "快捷码",
        "简码",
        "abbreviation",
        "abbrev",
        "shortcut",
        "code",
        "keyword",
    ),
    "body": (
        "短语",
        "快捷短语",
        "内容",
        "话术",
        "回复内容",
        "短语内容",
        "text",
        "body",
        "content",
        "phrase",
        "snippet",
    ),
    "title": ("标题", "名称", "title", "name"),
}


@dataclass(frozen=True)
class ColumnMap:
    """Which column (0-based) holds what; None: the sheet has no such column."""

    category: int | None = 0
    abbrev: int | None = 1
    body: int = 2
    title: int | None = None


@dataclass(frozen=True)
class SheetTable:
    """A sheet's cells as text, and how its bytes were decoded (CSV) or 'xlsx'."""

    source: str
    rows: list[list[str]]
    encoding: str


def read_table(path: Path) -> SheetTable:
    """Return the cells of a CSV or XLSX file; raise ValidationError when it is neither."""
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return SheetTable(path.name, _xlsx_rows(path), "xlsx")
    text, encoding = decode(read_bytes(path), path.name)
    return SheetTable(path.name, csv_rows(text, path.name), encoding)


def csv_rows(text: str, source: str) -> list[list[str]]:
    """Return the rows of CSV `text` (comma, or tab/semicolon when the sample says so)."""
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], ",\t;")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = [row for _, row in zip(range(MAX_ROWS + 2), csv.reader(io.StringIO(text), dialect))]
    except csv.Error as exc:
        raise ValidationError(f"{source}: not readable CSV ({exc})") from exc
    if len(rows) > MAX_ROWS + 1:
        raise ValidationError(f"{source}: more than {MAX_ROWS} rows")
    return rows


def _xlsx_rows(path: Path) -> list[list[str]]:
    import openpyxl  # loaded only for XLSX: it costs ~150 ms

    data = read_bytes(path)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            rows = []
            for row in sheet.iter_rows(values_only=True):
                rows.append([_cell(v) for v in row])
                if len(rows) > MAX_ROWS + 1:
                    raise ValidationError(f"{path.name}: more than {MAX_ROWS} rows")
        finally:
            book.close()
    except ValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a damaged file
        raise ValidationError(f"{path.name}: not a readable XLSX workbook ({exc})") from exc
    return rows


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def guess_columns(header: list[str]) -> ColumnMap | None:
    """Return the columns a header row names, or None when it is not a header we know."""
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = cell.strip().lstrip("\ufeff").lower()
        for role, names in HEADERS.items():
            if name in names and role not in found:
                found[role] = index
                break
    if "body" not in found:
        return None
    return ColumnMap(found.get("category"), found.get("abbrev"), found["body"], found.get("title"))


def read_sheet(path: Path, columns: ColumnMap | None = None) -> ImportResult:
    """Read a CSV or XLSX phrase sheet (columns from its header, the user, or group/code/text)."""
    table = read_table(Path(path))
    return sheet_result(table, columns, default_category=Path(path).stem)


def sheet_result(
    table: SheetTable, columns: ColumnMap | None = None, default_category: str = "Imported"
) -> ImportResult:
    """Convert a table's rows; a header row is recognised and skipped when `columns` is None."""
    result = ImportResult(source=table.source, format="xlsx" if table.encoding == "xlsx" else "csv")
    rows = table.rows
    start = 0
    if columns is None:
        first = next((i for i, r in enumerate(rows) if any(c.strip() for c in r)), 0)
        columns = guess_columns(rows[first]) if rows else None
        if columns is not None:
            start = first + 1
        else:
            columns = ColumnMap()
            result.notes.append(f"{table.source}: no header row; read as group, code, text")
    elif rows and guess_columns(rows[0]) is not None:
        start = 1
    if table.encoding not in ("utf-8", "xlsx"):
        result.notes.append(f"{table.source}: read as {table.encoding}")
    for number in range(start, len(rows)):
        row = rows[number]
        if not any(cell.strip() for cell in row):
            continue
        place = f"{table.source}: row {number + 1}"

        def cell(index: int | None, row: list[str] = row) -> str:
            return row[index].strip() if index is not None and index < len(row) else ""

        body = row[columns.body].strip("\r\n") if columns.body < len(row) else ""
        abbrev = cell(columns.abbrev)
        if abbrev:
            place = f"{place} ({abbrev})"
        if not body.strip():
            result.skip(place, "no phrase text")
            continue
        category = cell(columns.category) or default_category
        title = cell(columns.title) or title_from(body, abbrev or category)
        result.add(ImportedSnippet(title, body, category, clean_abbrev(abbrev), place))
    return result
