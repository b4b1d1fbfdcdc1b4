"""Images in packs: export, sign, verify, install, update, uninstall and diff carry them; a
tampered, oversize or missing image refuses the whole pack."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from nacl.signing import SigningKey

from quickreply.core.errors import ValidationError
from quickreply.core.library.assets import MAX_IMAGE_BYTES
from quickreply.core.library.model import Snippet
from quickreply.core.library.store import LibraryStore
from quickreply.core.packs.assets import entry_name, export_images
from quickreply.core.packs.diff import diff_packs
from quickreply.core.packs.export import pack_from_library
from quickreply.core.packs.file import (
    pack_bytes,
    read_pack_file,
    read_pack_source,
    sign_pack_file,
    write_pack_file,
)
from quickreply.core.packs.format import PackManifest, parse_pack
from quickreply.core.packs.install import uninstall_pack
from quickreply.core.packs.manage import install_from
from quickreply.core.packs.signing import PublicKey, SignatureError
from quickreply.core.packs.subscriptions import SubscriptionBook
from tests.image_samples import png_bytes
from tests.unit.pack_samples import pack_data

MANIFEST = PackManifest(id="team", name="尺码", version="1.0.0", created="2026-01-01T00:00:00Z")


def library(folder) -> LibraryStore:
    store = LibraryStore(folder / "library.json")
    store.assets.grace_s = 0
    return store


def image_pack(*seeds: int, version: str = "1.0.0") -> tuple[bytes, list[str]]:
    """The bytes of a pack whose snippet s0 has one image per seed, and the image refs."""
    data = pack_data(version=version, count=2)
    images = [png_bytes(8, 8, seed) for seed in seeds]
    refs = [f"{hashlib.sha256(i).hexdigest()}.png" for i in images]
    data["snippets"][0]["images"] = refs
    data["snippets"][0]["image_order"] = "text_first"
    assets = {entry_name(r): i for r, i in zip(refs, images)}
    return pack_bytes(parse_pack(data), assets), refs


def install(store: LibraryStore, tmp_path, data: bytes, **kw):
    path = tmp_path / "team.qrpack"
    path.write_bytes(data)
    return install_from(store, str(path), book=SubscriptionBook(tmp_path / "subs.json"), **kw)


def test_export_carries_the_images_and_a_signed_install_delivers_them(tmp_path):
    lead = library(tmp_path / "lead")
    ref = lead.assets.add_bytes(png_bytes(20, 10, seed=1))
    lead.add(Snippet(id="s-size", title="尺码表", body="", images=(ref,), image_order="text_first"))
    pack = pack_from_library(lead, MANIFEST, snippet_ids=["s-size"])
    key = SigningKey.generate()
    written = write_pack_file(
        tmp_path / "team.qrpack", pack, export_images(lead.assets, pack.snippets), key
    )
    assert sorted(written.assets) == [entry_name(ref)]
    assert entry_name(ref) in written.signature.files  # the signature covers the image

    agent = library(tmp_path / "agent")
    trusted = [PublicKey(bytes(key.verify_key))]
    install_from(
        agent, str(tmp_path / "team.qrpack"), book=SubscriptionBook(tmp_path / "s.json"),
        trusted=trusted,
    )  # fmt: skip
    snippet = agent.get("team/s-size")
    assert snippet.images == (ref,) and snippet.image_order == "text_first" and snippet.body == ""
    assert agent.assets.read(ref) == png_bytes(20, 10, seed=1)


def test_a_tampered_image_refuses_the_unsigned_pack(tmp_path):
    data, refs = image_pack(1)
    tampered = _replace_entry(data, entry_name(refs[0]), png_bytes(8, 8, seed=99))
    store = library(tmp_path)
    with pytest.raises(ValidationError, match="does not match its SHA-256"):
        install(store, tmp_path, tampered)
    assert store.snippets() == [] and store.assets.refs() == set()


def test_a_tampered_image_fails_the_signature(tmp_path):
    data, refs = image_pack(1)
    signed = _sign(data, tmp_path)
    tampered = _replace_entry(signed, entry_name(refs[0]), png_bytes(8, 8, seed=99))
    with pytest.raises(SignatureError, match="changed after signing"):
        read_pack_file(tampered, trusted=[])


def test_an_oversize_image_refuses_the_pack(tmp_path):
    big = png_bytes(8, 8) + b"\0" * MAX_IMAGE_BYTES  # compresses to little inside the zip
    ref = f"{hashlib.sha256(big).hexdigest()}.png"
    data = pack_data(count=1)
    data["snippets"][0]["images"] = [ref]
    raw = pack_bytes(parse_pack(data), {entry_name(ref): big})
    with pytest.raises(ValidationError, match="an image may be at most 10 MB"):
        read_pack_file(raw)


def test_a_snippet_image_the_pack_lacks_refuses_it(tmp_path):
    data = pack_data(count=1)
    data["snippets"][0]["images"] = ["a" * 64 + ".png"]
    with pytest.raises(ValidationError, match="is not in the pack's assets"):
        read_pack_file(pack_bytes(parse_pack(data)))


def test_an_update_that_changes_the_image_replaces_it_and_uninstall_collects(tmp_path):
    store = library(tmp_path)
    first, (old,) = image_pack(1)
    install(store, tmp_path, first)
    second, (new,) = image_pack(2, version="1.1.0")
    report = install(store, tmp_path, second)
    assert store.get("team/s0").images == (new,)
    assert store.assets.refs() == {new}
    assert report.diff.images_added == [(new, "team/s0")]
    assert report.diff.images_removed == [(old, "team/s0")]
    assert any("images" in c.fields for c in report.diff.changed)
    uninstall_pack(store, "team")
    assert store.assets.refs() == set()


def test_an_image_another_snippet_uses_survives_the_uninstall(tmp_path):
    store = library(tmp_path)
    data, (ref,) = image_pack(1)
    install(store, tmp_path, data)
    store.add(Snippet(id="s-mine", title="我的", body="b", images=(ref,)))
    uninstall_pack(store, "team")
    assert store.assets.exists(ref)


def test_a_source_folder_carries_its_images(tmp_path):
    data, (ref,) = image_pack(1)
    folder = tmp_path / "src"
    (folder / "assets").mkdir(parents=True)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            (folder / name).write_bytes(archive.read(name))
    read = read_pack_source(folder)
    assert entry_name(ref) in read.assets
    (folder / entry_name(ref)).write_bytes(png_bytes(8, 8, seed=5))
    with pytest.raises(ValidationError, match="does not match its SHA-256"):
        read_pack_source(folder)


def test_diff_without_image_changes_lists_none(tmp_path):
    data, _ = image_pack(1)
    pack = read_pack_file(data).pack
    diff = diff_packs(pack, pack)
    assert diff.is_empty and diff.images_added == [] and diff.images_removed == []


def _replace_entry(data: bytes, entry: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, content if info.filename == entry else src.read(info))
    return out.getvalue()


def _sign(data: bytes, folder: Path) -> bytes:
    path = folder / "signed.qrpack"
    path.write_bytes(data)
    sign_pack_file(path, SigningKey.generate())
    return path.read_bytes()


def test_a_source_folder_may_name_images_by_their_file(tmp_path):
    folder = tmp_path / "src"
    (folder / "assets").mkdir(parents=True)
    chart = png_bytes(30, 20, seed=8)
    (folder / "assets" / "size-chart.png").write_bytes(chart)
    (folder / "pack.yaml").write_text(
        "id: team\nname: T\nversion: 1.0.0\ncategories: [{id: c, name: 售前}]\n"
        "snippets:\n  - {id: size, category: c, title: 尺码表, body: '', images: [size-chart.png]}\n",
        encoding="utf-8",
    )
    read = read_pack_source(folder)
    ref = f"{hashlib.sha256(chart).hexdigest()}.png"
    assert read.pack.snippets[0].images == (ref,)
    assert sorted(read.assets) == [entry_name(ref)]  # carried once, under its content name
    built = read_pack_file(pack_bytes(read.pack, read.assets))
    assert built.assets[entry_name(ref)] == chart


def test_a_source_image_file_that_is_not_an_image_is_named(tmp_path):
    folder = tmp_path / "src"
    (folder / "assets").mkdir(parents=True)
    (folder / "assets" / "chart.png").write_text("not a picture")
    (folder / "pack.yaml").write_text(
        "id: team\nname: T\nversion: 1.0.0\ncategories: [{id: c, name: 售前}]\n"
        "snippets:\n  - {id: size, category: c, title: 尺码表, body: '', images: [chart.png]}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError, match="src: assets/chart.png: not a PNG"):
        read_pack_source(folder)
