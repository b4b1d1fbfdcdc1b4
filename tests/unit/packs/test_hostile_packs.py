"""Hostile packs and pack sources (issue 13, items 7-14): each is refused with a clear message
that names the entry, in bounded time and memory, and the library is never written."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import tracemalloc
import zipfile

import pytest
import yaml
from nacl.signing import SigningKey

from quickreply.core.errors import QuickReplyError, ValidationError
from quickreply.core.library.store import LibraryStore
from quickreply.core.packs.file import (
    SIGNATURE,
    pack_bytes,
    read_pack_file,
    read_pack_source,
    signed_message,
)
from quickreply.core.packs.format import parse_pack, semver_key
from quickreply.core.packs.index import parse_index
from quickreply.core.packs.limits import MAX_CATEGORIES, MAX_DESCRIPTION, MAX_TAGS
from quickreply.core.packs.manage import install_from
from quickreply.core.packs.signing import PublicKey, SignatureError
from quickreply.core.packs.subscriptions import SubscriptionBook
from tests.hostile import tried
from tests.unit.pack_samples import make_pack, pack_data


def zip_of(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for name, content in entries.items():
            out.writestr(name, content)
    return buffer.getvalue()


def entries_of(pack_id: str = "team", **changes) -> dict[str, bytes]:
    raw = zipfile.ZipFile(io.BytesIO(pack_bytes(make_pack(pack_id))))
    entries = {i.filename: raw.read(i) for i in raw.infolist()}
    manifest = json.loads(entries["manifest.json"])
    manifest.update(changes)
    entries["manifest.json"] = json.dumps(manifest).encode()
    return entries


def with_snippet(**fields) -> dict:
    data = pack_data(count=1)
    data["snippets"][0].update(fields)
    return data


@pytest.fixture
def store(tmp_path):
    return LibraryStore(tmp_path / "library.json")


def unchanged(store: LibraryStore):
    before = store.path.read_bytes()
    return lambda: store.path.read_bytes() == before


# -- 7. placeholder scan ----------------------------------------------------------------------


def test_a_pack_of_200000_stray_braces_is_refused_with_a_short_message():
    tried("packs")
    data = with_snippet(body="}}" * 200_000)
    with pytest.raises(ValidationError) as info:
        parse_pack(data)
    assert len(str(info.value)) < 500 and "body is longer" in str(info.value)
    data = with_snippet(body="}}" * 10_000)
    with pytest.raises(ValidationError) as info:
        parse_pack(data)
    assert len(info.value.problems) <= 6 and "more placeholder problems" in str(info.value)


# -- 8. YAML aliases, deep nesting ------------------------------------------------------------

BILLION_LAUGHS = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]"
        for i in range(8)
    ]
    + ["id: team", "name: Team", "version: 1.0.0", "categories: [{id: c1, name: x}]"]
    + ["snippets: [{id: s1, category: c1, title: t, body: *i}]"]
)


def test_billion_laughs_yaml_is_refused_without_expanding(tmp_path):
    tried("packs")
    source = tmp_path / "laughs.yaml"
    source.write_text(BILLION_LAUGHS)
    tracemalloc.start()
    with pytest.raises(ValidationError, match="anchors"):
        read_pack_source(source)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 20_000_000


@pytest.mark.parametrize(
    "where,text",
    [
        ("pack.yaml", "id: " + "[" * 50_000),
        ("pack.json", "[" * 200_000),
        ("pack.json", '{"id": ' * 5_000 + "1" + "}" * 5_000),
        ("pack.yaml", "id: x\nname: " + "- " * 2000 + "x"),
    ],
)
def test_deep_nesting_is_a_clear_refusal_not_recursion_error(tmp_path, where, text):
    tried("packs")
    source = tmp_path / where
    source.write_text(text)
    with pytest.raises(ValidationError, match="nested deeper than|not valid"):
        read_pack_source(source)


def test_deep_nesting_in_qrpack_entries_signature_and_index():
    tried("packs", 3)
    deep = b"[" * 100_000
    with pytest.raises(ValidationError, match="nested deeper"):
        read_pack_file(zip_of({**entries_of(), "snippets.json": deep}))
    with pytest.raises(SignatureError, match="nested deeper"):
        read_pack_file(zip_of({**entries_of(), SIGNATURE: deep}))
    with pytest.raises(ValidationError, match="nested deeper"):
        parse_index(deep)


# -- 9. size limits ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "field,value,named",
    [
        ("description", "d" * (MAX_DESCRIPTION + 1), "'description'"),
        ("name", "n" * 10_000, "'name'"),
        ("author", "a" * 10_000, "'author'"),
        ("language", "zh-" + "x" * 100, "'language'"),
        ("version", "1.0.0-" + "r" * 100, "'version'"),
        ("id", "p" * 100, "'id'"),
        (
            "categories",
            [{"id": f"c{i}", "name": "x"} for i in range(MAX_CATEGORIES + 1)],
            "categories",
        ),
    ],
)
def test_oversize_manifest_fields_are_refused_and_named(field, value, named, store):
    tried("packs")
    data = pack_data()
    data[field] = value
    with pytest.raises(ValidationError) as info:
        parse_pack(data)
    assert named in str(info.value) and len(str(info.value)) < 300


def test_too_many_tags_and_long_ids_are_named():
    tried("packs", 2)
    with pytest.raises(ValidationError, match=f"at most {MAX_TAGS}"):
        parse_pack(with_snippet(tags=[f"t{i}" for i in range(MAX_TAGS + 1)]))
    with pytest.raises(ValidationError, match="'id' is 500 characters"):
        parse_pack(with_snippet(id="s" * 500))


# -- 10. wrong types --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields,named",
    [
        ({"auto_send": "false"}, "'auto_send' must be true or false"),
        ({"locked": "no"}, "'locked' must be true or false"),
        ({"title": ["t"]}, "'title' must be text"),
        ({"body": {"b": 1}}, "'body' must be text"),
        ({"abbrev": 5}, "'abbrev' must be text"),
        ({"hotkey": ["ctrl", "f1"]}, "'hotkey' must be text"),
        ({"hotkey": {"k": 1}}, "'hotkey' must be text"),
        ({"tags": "a,b"}, "'tags' must be a list"),
        ({"tags": [1, 2]}, "'tags' must be a list"),
        ({"category": 7}, "'category' must be text"),
    ],
)
def test_wrong_types_are_refused_never_coerced(fields, named):
    tried("packs")
    with pytest.raises(ValidationError, match=named):
        parse_pack(with_snippet(**fields))


@pytest.mark.parametrize(
    "order", [1e300, "abc", True, 10**40, [1]], ids=["huge", "text", "bool", "bigint", "list"]
)
def test_category_order_must_be_a_small_whole_number(order):
    tried("packs")
    data = pack_data()
    data["categories"][0]["order"] = order
    with pytest.raises(ValidationError, match="'order' must be a whole number"):
        parse_pack(data)


@pytest.mark.parametrize(
    "text", ['{"order": 1e999}', '{"n": ' + "9" * 5000 + "}", '{"x": NaN}', b"\xff\xfe"]
)
def test_decoder_errors_in_entries_become_validation_messages(text):
    tried("packs")
    raw = text if isinstance(text, bytes) else text.encode()
    with pytest.raises(ValidationError, match="manifest.json"):
        read_pack_file(zip_of({**entries_of(), "manifest.json": raw}))


def test_a_corrupt_deflate_stream_is_a_damaged_entry():
    tried("packs")
    data = bytearray(pack_bytes(make_pack()))
    start = data.index(b"snippets.json") + len("snippets.json")
    for i in range(start, start + 40):
        data[i] ^= 0x55
    with pytest.raises(ValidationError):
        read_pack_file(bytes(data))


@pytest.mark.parametrize("size", ["abc", 1e999, -1, True, [1]])
def test_index_size_of_the_wrong_type_is_named(size):
    tried("packs")
    entry = {"id": "team", "name": "T", "version": "1.0.0", "file": "t.qrpack", "sha256": "ab"}
    document = {"format": "quickreply-index/1", "packs": [{**entry, "size": size}]}
    text = json.dumps(document).replace("Infinity", "1e999")
    with pytest.raises(ValidationError, match="size|out of range"):
        parse_index(text.encode())


def test_our_checks_refuse_what_the_shipped_json_schema_refuses():
    """The limits module and resources/schema agree on every hostile snippet above."""
    jsonschema = pytest.importorskip("jsonschema")
    from quickreply.core.library.paths import resources_dir

    schema = json.loads((resources_dir() / "schema" / "qrpack-snippets.schema.json").read_text())
    for fields in ({"auto_send": "false"}, {"title": ["t"]}, {"body": {"b": 1}}, {"abbrev": 5}):
        item = dict(pack_data(count=1)["snippets"][0], locked=False, **fields)
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({"snippets": [item]}, schema)
        with pytest.raises(ValidationError):
            parse_pack(with_snippet(**fields))


# -- 11. pre-release ordering, same version different content --------------------------------


def test_semver_orders_pre_releases_before_their_release():
    order = ["1.9.9", "2.0.0-alpha", "2.0.0-alpha.1", "2.0.0-alpha.beta", "2.0.0-beta.2",
             "2.0.0-beta.11", "2.0.0-rc1", "2.0.0", "2.0.1"]  # fmt: skip
    assert sorted(order, key=semver_key) == order


def test_rc_does_not_install_over_the_release_and_the_release_replaces_rc(tmp_path, store):
    tried("packs", 2)
    book = SubscriptionBook(tmp_path / "subs.json")
    source = tmp_path / "team.json"
    final, rc = pack_data(version="2.0.0"), pack_data(version="2.0.0-rc1", changed=(1,))
    source.write_text(json.dumps(final))
    install_from(store, str(source), book=book, trusted=[])
    source.write_text(json.dumps(rc))
    with pytest.raises(QuickReplyError, match="newer than"):
        install_from(store, str(source), book=book, trusted=[])
    install_from(store, str(source), book=book, trusted=[], force=True)
    source.write_text(json.dumps(final))
    report = install_from(store, str(source), book=book, trusted=[])
    assert (report.old_version, report.new_version) == ("2.0.0-rc1", "2.0.0")


def test_same_version_with_other_content_needs_force(tmp_path, store):
    tried("packs")
    book = SubscriptionBook(tmp_path / "subs.json")
    source = tmp_path / "team.json"
    source.write_text(json.dumps(pack_data()))
    install_from(store, str(source), book=book, trusted=[])
    source.write_text(json.dumps(pack_data(changed=(0,))))
    same = unchanged(store)
    with pytest.raises(QuickReplyError, match="same version"):
        install_from(store, str(source), book=book, trusted=[])
    assert same()
    assert install_from(store, str(source), book=book, trusted=[], force=True).changed


# -- 12. links out of a source folder ---------------------------------------------------------


def test_a_linked_assets_folder_is_refused(tmp_path):
    tried("packs", 3)
    secret = tmp_path / "ssh"
    secret.mkdir()
    (secret / "id_ed25519").write_text("PRIVATE")
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "pack.yaml").write_text(yaml.safe_dump(pack_data(), allow_unicode=True))
    os.symlink(secret, folder / "assets")
    with pytest.raises(ValidationError, match="is a link"):
        read_pack_source(folder)
    os.unlink(folder / "assets")
    (folder / "assets").mkdir()
    os.symlink(secret / "id_ed25519", folder / "assets" / "key.png")
    with pytest.raises(ValidationError, match="is a link"):
        read_pack_source(folder)
    os.unlink(folder / "assets" / "key.png")
    (folder / "pack.yaml").rename(tmp_path / "elsewhere.yaml")
    os.symlink(tmp_path / "elsewhere.yaml", folder / "pack.yaml")
    with pytest.raises(ValidationError, match="is a link"):
        read_pack_source(folder)


# -- 14. unambiguous signed message -----------------------------------------------------------


def test_entry_names_with_control_characters_are_refused():
    tried("packs", 2)
    for name in ("assets/a\tb.png", "assets/a\nb.png"):
        with pytest.raises(ValidationError, match="control character"):
            read_pack_file(zip_of({**entries_of(), name: b"x"}))


def test_signed_message_is_canonical_json_and_cannot_be_forged_with_tabs():
    tried("packs")
    honest = {"assets/a.png": "00" * 32, "manifest.json": "11" * 32}
    forged = {"assets/a.png\t" + "00" * 32 + "\nmanifest.json": "11" * 32}
    assert signed_message(honest) != signed_message(forged)
    assert signed_message(honest, "qrpack-signature/1") == signed_message(
        forged, "qrpack-signature/1"
    )  # the old format's ambiguity, now closed by refusing control characters in names
    key = SigningKey.generate()
    entries = entries_of()
    files = {n: hashlib.sha256(d).hexdigest() for n, d in entries.items()}
    old = {
        "format": "qrpack-signature/1",
        "public_key": PublicKey(bytes(key.verify_key)).b64,
        "files": files,
        "signature": base64.b64encode(
            key.sign(signed_message(files, "qrpack-signature/1")).signature
        ).decode(),
    }
    read = read_pack_file(zip_of({**entries, SIGNATURE: json.dumps(old).encode()}))
    assert read.signature is not None and read.signature.format == "qrpack-signature/1"
    forged_doc = dict(old, files={**files, "assets/x\tz": "00"})
    with pytest.raises(SignatureError, match="control character"):
        read_pack_file(zip_of({**entries, SIGNATURE: json.dumps(forged_doc).encode()}))
