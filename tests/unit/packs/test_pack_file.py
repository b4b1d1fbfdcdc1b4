"""The .qrpack file: round trip, schema, limits, and hostile or damaged files refused cleanly."""

from __future__ import annotations

import io
import json
import zipfile

import jsonschema
import pytest

from quickreply.core.errors import QuickReplyError, ValidationError
from quickreply.core.library.paths import resources_dir
from quickreply.core.packs import file as pack_file
from quickreply.core.packs import format as packs
from quickreply.core.packs.defaults import default_pack_dirs, open_library
from quickreply.core.packs.file import (
    pack_bytes,
    pack_to_data,
    read_pack_file,
    read_pack_source,
    write_pack_file,
)
from quickreply.core.packs.format import load_pack
from quickreply.core.packs.manage import install_from
from tests.unit.pack_samples import make_pack, pack_data, write_pack


def rezip(data: bytes, edit) -> bytes:
    """Return `data` re-zipped with entries changed by edit(entries) (a dict name -> bytes)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    entries = {i.filename: source.read(i) for i in source.infolist()}
    edit(entries)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for name, content in entries.items():
            out.writestr(name, content)
    return buffer.getvalue()


def test_round_trip_keeps_every_field_and_bytes_are_deterministic(tmp_path):
    pack = make_pack(count=10, locked=(1,))
    first = write_pack_file(tmp_path / "a.qrpack", pack)
    second = write_pack_file(tmp_path / "b.qrpack", pack)
    assert first.sha256 == second.sha256
    back = read_pack_file(tmp_path / "a.qrpack").pack
    assert back.manifest == pack.manifest
    assert back.categories == pack.categories
    assert back.snippets == pack.snippets


def test_default_packs_as_qrpack_json_satisfy_the_schemas():
    schemas = resources_dir() / "schema"
    manifest_schema = json.loads((schemas / "qrpack-manifest.schema.json").read_text("utf-8"))
    snippets_schema = json.loads((schemas / "qrpack-snippets.schema.json").read_text("utf-8"))
    checker = jsonschema.FormatChecker()
    for folder in default_pack_dirs():
        manifest, snippets = pack_to_data(load_pack(folder))
        jsonschema.validate(manifest, manifest_schema, format_checker=checker)
        jsonschema.validate(snippets, snippets_schema, format_checker=checker)
    bad = dict(manifest, id="Not An Id")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, manifest_schema, format_checker=checker)


def test_folder_source_with_assets_builds_and_reads_back(tmp_path):
    folder = tmp_path / "src"
    (folder / "assets").mkdir(parents=True)
    (folder / "pack.yaml").write_text(json.dumps(pack_data(), ensure_ascii=False), "utf-8")
    (folder / "assets" / "logo.png").write_bytes(b"\x89PNG fake")
    source = read_pack_source(folder)
    assert source.assets == {"assets/logo.png": b"\x89PNG fake"}
    written = write_pack_file(tmp_path / "p.qrpack", source.pack, source.assets)
    assert read_pack_file(tmp_path / "p.qrpack").assets == written.assets


def test_validation_lists_every_problem_with_its_place():
    data = pack_data()
    data["snippets"][1]["body"] = "{{customer}}，{{coupon}}"
    data["snippets"][2]["category"] = "nowhere"
    data["snippets"][2]["body"] = "x" * 20_001
    raw = pack_bytes(make_pack())
    manifest, snippets = pack_to_data(make_pack())
    snippets["snippets"] = data["snippets"]

    def edit(entries):
        entries["snippets.json"] = json.dumps(snippets, ensure_ascii=False).encode()

    with pytest.raises(ValidationError) as error:
        read_pack_file(rezip(raw, edit), name="team.qrpack")
    text = "\n".join(error.value.problems)
    assert "snippet 's1'" in text and "coupon" in text
    assert "snippet 's2'" in text and "unknown category 'nowhere'" in text
    assert "longer than 20000" in text
    assert "Traceback" not in text


@pytest.mark.parametrize(
    "name",
    ["../evil.txt", "assets/../../evil.txt", "/etc/passwd", "assets\\..\\evil.txt", "C:evil"],
)
def test_path_traversal_entries_are_refused(name):
    raw = rezip(pack_bytes(make_pack()), lambda entries: entries.update({name: b"x"}))
    with pytest.raises(ValidationError, match="points outside the pack|not allowed"):
        read_pack_file(raw, name="evil.qrpack")


def test_truncated_zip_is_refused_and_nothing_changes(tmp_path):
    store = open_library()
    before = store.path.read_bytes()
    good = pack_bytes(make_pack())
    (tmp_path / "cut.qrpack").write_bytes(good[: len(good) // 2])
    with pytest.raises(ValidationError, match="damaged or cut short"):
        install_from(store, str(tmp_path / "cut.qrpack"))
    assert store.path.read_bytes() == before


def test_oversize_file_is_refused_before_reading(tmp_path, monkeypatch):
    path = write_pack(tmp_path / "big.qrpack", count=50)
    monkeypatch.setattr(pack_file, "MAX_FILE_BYTES", 1_000)
    with pytest.raises(ValidationError, match="a pack may be at most"):
        read_pack_file(path)


def test_zip_bomb_is_refused_before_inflating():
    bomb = rezip(pack_bytes(make_pack()), lambda e: e.update({"assets/zeros.bin": bytes(65 << 20)}))
    assert len(bomb) < 1_000_000
    with pytest.raises(ValidationError, match="unpacks to 65 MB; the limit is 64 MB"):
        read_pack_file(bomb, name="bomb.qrpack")


def test_too_many_snippets_refused(monkeypatch):
    monkeypatch.setattr(packs, "MAX_PACK_SNIPPETS", 5)
    with pytest.raises(ValidationError, match="6 snippets; a pack may hold at most 5"):
        make_pack(count=6)


def test_missing_entry_wrong_format_and_missing_created_explained():
    raw = pack_bytes(make_pack())
    with pytest.raises(ValidationError, match="snippets.json is missing"):
        read_pack_file(rezip(raw, lambda e: e.pop("snippets.json")))

    def newer(entries):
        manifest = json.loads(entries["manifest.json"])
        manifest["format"] = "qrpack/2"
        del manifest["created"]
        entries["manifest.json"] = json.dumps(manifest).encode()

    with pytest.raises(ValidationError, match="needs a newer QuickReply"):
        read_pack_file(rezip(raw, newer))


def test_not_a_zip_and_min_app_version_are_clear(tmp_path):
    (tmp_path / "x.qrpack").write_text("hello", "utf-8")
    with pytest.raises(ValidationError, match="not a .qrpack file"):
        read_pack_file(tmp_path / "x.qrpack")
    data = pack_data()
    data["min_app_version"] = "99.0.0"
    folder = tmp_path / "future"
    folder.mkdir()
    (folder / "pack.yaml").write_text(json.dumps(data), "utf-8")
    with pytest.raises(QuickReplyError, match="needs QuickReply 99.0.0 or newer"):
        install_from(open_library(), str(folder))
