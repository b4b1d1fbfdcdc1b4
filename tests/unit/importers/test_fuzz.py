"""Random bytes and random YAML/JSON/CSV into every importer: a result or a clear error, never a
crash and never a write."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quickreply.core.errors import QuickReplyError, ValidationError
from quickreply.core.importers import read_import
from quickreply.core.importers.plan import plan_import
from quickreply.core.importers.result import ImportResult
from quickreply.core.library.store import LibraryStore

SUFFIXES = {"espanso": ".yml", "beeftext": ".json", "ahk": ".ahk", "csv": ".csv", "xlsx": ".xlsx"}
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from(
                [
                    "matches",
                    "trigger",
                    "triggers",
                    "replace",
                    "label",
                    "vars",
                    "name",
                    "type",
                    "params",
                    "form",
                    "form_fields",
                    "values",
                    "combos",
                    "groups",
                    "keyword",
                    "snippet",
                    "group",
                    "uuid",
                    "fileFormatVersion",
                    "echo",
                    "format",
                    "global_vars",
                    "substitutionText",
                    "comboText",
                ]
            )
            | st.text(max_size=8),
            inner,
            max_size=5,
        ),
    ),
    max_leaves=25,
)


def read_in_fresh_folder(name: str, data: bytes, kind: str) -> ImportResult | None:
    """Read `data` as `kind`; check that nothing was written next to it."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        before = sorted((p.name, p.stat().st_mtime_ns) for p in Path(folder).iterdir())
        try:
            result = read_import(path, kind)
        except ValidationError as exc:
            assert str(exc).strip()
            result = None
        after = sorted((p.name, p.stat().st_mtime_ns) for p in Path(folder).iterdir())
        assert after == before
        if result is not None:
            store = LibraryStore(Path(folder) / "lib" / "library.json")
            plan_import(store, result)  # a preview of any result is possible too
        return result


@FUZZ
@given(kind=st.sampled_from(sorted(SUFFIXES)), data=st.binary(max_size=400))
def test_random_bytes_into_every_importer(kind, data):
    read_in_fresh_folder("input" + SUFFIXES[kind], data, kind)


@FUZZ
@given(doc=documents)
def test_random_yaml_into_the_espanso_importer(doc):
    read_in_fresh_folder("match.yml", yaml.safe_dump(doc, allow_unicode=True).encode(), "espanso")


@FUZZ
@given(doc=documents)
def test_random_json_into_the_beeftext_importer(doc):
    read_in_fresh_folder("combos.json", json.dumps(doc, ensure_ascii=False).encode(), "beeftext")


@FUZZ
@given(
    rows=st.lists(st.lists(st.text(max_size=12), max_size=5), max_size=8),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]),
)
def test_random_csv_into_the_sheet_and_beeftext_importers(rows, encoding):
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    try:
        data = buffer.getvalue().encode(encoding)
    except UnicodeEncodeError:
        return
    read_in_fresh_folder("sheet.csv", data, "csv")
    read_in_fresh_folder("beef.csv", data, "beeftext")


@FUZZ
@given(text=st.text(alphabet=st.sampled_from(list(":*?XRCT`n{}()[];!# \nab汉")), max_size=80))
def test_random_ahk_scripts(text):
    read_in_fresh_folder("script.ahk", text.encode(), "ahk")


def test_a_missing_path_is_a_clear_error(tmp_path):
    with pytest.raises(QuickReplyError, match="no such file"):
        read_import(tmp_path / "nope.csv")
