"""Pack records are PackRecord dataclasses, stored exactly as the dict records were.

tests/fixtures/library_pack_records.json was written by QuickReply before PackRecord existed
(an updated signed pack with an edited and a deleted reply, a hidden pack, an old record without
installed_keys and with a field this version does not know);
library_pack_records_updated.json holds the pack rows the same code wrote after updating both
packs with the install time fixed.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from quickreply.core.library.pack_record import PackRecord
from quickreply.core.library.store import LibraryStore
from quickreply.core.packs import install
from quickreply.core.packs.install import install_pack
from tests.unit.pack_samples import make_pack

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def pack_rows(path: Path) -> str:
    """The pack rows of a library file, in file order, as the storage writes JSON."""
    rows = list(json.loads(path.read_text(encoding="utf-8"))["packs"].values())
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":"))


@pytest.fixture
def library(tmp_path: Path) -> Path:
    path = tmp_path / "library.json"
    shutil.copy(FIXTURES / "library_pack_records.json", path)
    return path


def test_stored_records_read_as_attributes(library):
    records = {r.id: r for r in LibraryStore(library).pack_records()}
    team = records["team"]
    assert (team.version, team.key_id, team.source) == (
        "1.1.0",
        "lead-key-1",
        "https://example.invalid/team.qrpack",
    )
    assert team.removed_by_agent == ["team/s2"]
    assert list(team.overridden) == ["team/s1"]
    assert team.installed_keys == {"team/s0": ["ctrl+alt+f9", "team0"]}
    assert records["shop"].hidden and records["shop"].sha256 is None
    old = records["old"]
    assert old.installed_keys is None  # installed before installed_keys was recorded
    assert old.extra == {"future_field": {"x": [1, 2]}}


def test_every_stored_record_round_trips_unchanged(library):
    rows = json.loads(library.read_text(encoding="utf-8"))["packs"].values()
    for row in rows:
        again = PackRecord.from_dict(row).to_dict()
        assert json.dumps(again, ensure_ascii=False) == json.dumps(row, ensure_ascii=False)


def test_writing_records_back_keeps_the_pack_rows_byte_identical(library):
    before = pack_rows(library)
    store = LibraryStore(library)
    for record in store.pack_records():
        categories = [c for c in store.categories() if c.pack_id == record.id]
        snippets = [s for s in store.snippets() if s.pack_id == record.id]
        store.replace_pack_content(record.id, categories, snippets, record)
    store.set_pack_record("shop", hidden=True)
    assert pack_rows(library) == before


def test_updates_write_the_same_rows_as_before_pack_records(library, monkeypatch):
    monkeypatch.setattr(install, "now_iso", lambda: "2026-12-01T00:00:00+00:00")
    store = LibraryStore(library)
    install_pack(
        store,
        make_pack("team", "1.2.0", 4, changed=(0,)),
        source="https://example.invalid/team.qrpack",
        record_extra={"sha256": "ef" * 32, "key_id": "lead-key-1"},
    )
    install_pack(store, make_pack("shop", "2.1.0", 3), source=None)
    expected = (FIXTURES / "library_pack_records_updated.json").read_text(encoding="utf-8")
    assert pack_rows(library) == expected.strip()


def test_a_value_of_an_unexpected_type_is_kept_as_stored():
    row = {"id": "p", "version": "1.0.0", "hidden": "yes", "synonyms": None}
    record = PackRecord.from_dict(row)
    assert record.hidden is False and record.synonyms == []
    assert record.to_dict() == row and list(record.to_dict()) == list(row)


def test_a_record_made_in_code_writes_only_what_is_set():
    record = PackRecord("p", name="P", version="1.0.0")
    assert record.to_dict() == {"id": "p", "name": "P", "version": "1.0.0"}
    assert record.title == "P" and PackRecord("q").title == "q"
