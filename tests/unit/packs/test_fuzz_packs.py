"""Fuzzing the pack parsers (issue 13): pack data, .qrpack bytes, YAML/JSON sources and index
files. Random and structured hostile input gives a clear error or a pack, in bounded time and
memory, never another exception, and nothing is written."""

from __future__ import annotations

import io
import json
import os
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quickreply.core.packs.file import pack_bytes, read_pack_file, read_pack_source
from quickreply.core.packs.format import parse_pack
from quickreply.core.packs.index import parse_index
from tests.fuzz import JSON_VALUES, bounded, mutated
from tests.unit.pack_samples import make_pack, pack_data

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
VALID = pack_data(count=3)
VALID_ZIP = pack_bytes(make_pack(count=3))
YAML_ALPHABET = "&*[]{}:,-!|>'\"#%@`? \n\tab01=<~."


@FUZZ
@given(mutated(VALID))
def test_structured_hostile_pack_data(data):
    bounded("packs", lambda: parse_pack(data))


@FUZZ
@given(JSON_VALUES)
def test_random_pack_data(data):
    bounded("packs", lambda: parse_pack(data))


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes_as_a_qrpack(data):
    bounded("packs", lambda: read_pack_file(data))


@FUZZ
@given(st.lists(st.tuples(st.integers(0, len(VALID_ZIP) - 1), st.integers(0, 255)), max_size=8))
def test_a_qrpack_with_flipped_bytes(flips):
    data = bytearray(VALID_ZIP)
    for at, byte in flips:
        data[at] = byte
    bounded("packs", lambda: read_pack_file(bytes(data)))


@FUZZ
@given(mutated(VALID), st.dictionaries(st.text(max_size=20), st.binary(max_size=50), max_size=3))
def test_qrpack_entries_with_hostile_json_and_names(data, extra):
    manifest = {**data, "format": "qrpack/1"} if isinstance(data, dict) else data
    snippets = {"snippets": data.get("snippets")} if isinstance(data, dict) else data
    entries = {"manifest.json": json.dumps(manifest).encode()}
    entries["snippets.json"] = json.dumps(snippets).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in {**entries, **extra}.items():
            if name and "\x00" not in name:
                archive.writestr(name, content)
    bounded("packs", lambda: read_pack_file(buffer.getvalue()))


@FUZZ
@given(st.text(alphabet=YAML_ALPHABET, max_size=300))
def test_random_yaml_sources(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("src")
    source = folder / "pack.yaml"
    source.write_text(text)
    before = sorted(os.listdir(folder))
    bounded("packs", lambda: read_pack_source(source))
    assert sorted(os.listdir(folder)) == before  # nothing written


@FUZZ
@given(
    mutated(
        {
            "format": "quickreply-index/1",
            "packs": [dict(VALID, file="a.qrpack", sha256="ab", size=3)],
        }
    )
)
def test_structured_hostile_index(document):
    bounded("packs", lambda: parse_index(json.dumps(document).encode()))


@FUZZ
@given(st.binary(max_size=500))
def test_random_bytes_as_an_index(data):
    bounded("packs", lambda: parse_index(data))
