"""Ed25519 signing: key files, signatures that catch every change, and the trust store."""

from __future__ import annotations

import base64
import json
import os
import zipfile

import pytest

from quickreply.core.errors import NotFoundError, QuickReplyError, StorageError
from quickreply.core.packs.defaults import open_library
from quickreply.core.packs.file import read_pack_file, sign_pack_file
from quickreply.core.packs.manage import install_from
from quickreply.core.packs.signing import (
    SignatureError,
    TrustStore,
    generate_keypair,
    load_signing_key,
    read_public_key,
)
from tests.unit.pack_samples import write_pack


@pytest.fixture
def lead(tmp_path):
    """A lead's key pair: (secret key path, public key)."""
    public = generate_keypair(tmp_path / "lead.key", "Lead Li")
    return tmp_path / "lead.key", public


def rewrite(path, edit):
    source = zipfile.ZipFile(path)
    entries = {i.filename: source.read(i) for i in source.infolist()}
    source.close()
    edit(entries)
    with zipfile.ZipFile(path, "w") as out:
        for name, data in entries.items():
            out.writestr(name, data)


def test_keygen_writes_secret_and_public_and_never_overwrites(tmp_path, lead):
    secret, public = lead
    assert secret.read_text("utf-8").startswith("qr-ed25519-secret ")
    assert (tmp_path / "lead.key.pub").read_text("utf-8").startswith("qr-ed25519 ")
    assert read_public_key(tmp_path / "lead.key.pub") == public
    if os.name != "nt":
        assert secret.stat().st_mode & 0o077 == 0
    with pytest.raises(QuickReplyError, match="already exists"):
        generate_keypair(secret)
    with pytest.raises(QuickReplyError, match="secret key"):
        read_public_key(secret)
    with pytest.raises(QuickReplyError, match="public key"):
        load_signing_key(tmp_path / "lead.key.pub")


def test_signed_pack_verifies_with_the_trusted_key(tmp_path, lead):
    secret, public = lead
    path = write_pack(tmp_path / "p.qrpack")
    signature = sign_pack_file(path, load_signing_key(secret))
    assert signature.key_id == public.key_id
    assert read_pack_file(path, trusted=[public]).signature.key_id == public.key_id


def test_changed_entry_is_named(tmp_path, lead):
    secret, public = lead
    path = write_pack(tmp_path / "p.qrpack", key=load_signing_key(secret))
    rewrite(path, lambda e: e.update({"snippets.json": e["snippets.json"].replace(b"1", b"7")}))
    with pytest.raises(SignatureError, match="snippets.json was changed after signing"):
        read_pack_file(path, trusted=[public])
    with pytest.raises(SignatureError, match="changed after signing"):
        read_pack_file(path)  # a broken signature is refused even with no trusted key


def test_added_entry_is_named(tmp_path, lead):
    secret, public = lead
    path = write_pack(tmp_path / "p.qrpack", key=load_signing_key(secret))
    rewrite(path, lambda e: e.update({"assets/extra.txt": b"sneaky"}))
    with pytest.raises(SignatureError, match="assets/extra.txt was added after signing"):
        read_pack_file(path, trusted=[public])


def test_forged_signature_does_not_verify(tmp_path, lead):
    secret, public = lead
    path = write_pack(tmp_path / "p.qrpack", key=load_signing_key(secret))

    def forge(entries):
        document = json.loads(entries["signature.json"])
        raw = bytearray(base64.b64decode(document["signature"]))
        raw[0] ^= 0xFF
        document["signature"] = base64.b64encode(bytes(raw)).decode()
        entries["signature.json"] = json.dumps(document).encode()

    rewrite(path, forge)
    with pytest.raises(SignatureError, match="does not verify"):
        read_pack_file(path, trusted=[public])


def test_wrong_key_and_unsigned_are_refused_when_a_key_is_trusted(tmp_path, lead):
    _, public = lead
    other = generate_keypair(tmp_path / "other.key", "Someone else")
    path = write_pack(tmp_path / "p.qrpack", key=load_signing_key(tmp_path / "other.key"))
    with pytest.raises(SignatureError, match=f"signed with key {other.key_id}.*not trusted"):
        read_pack_file(path, trusted=[public])
    unsigned = write_pack(tmp_path / "u.qrpack")
    with pytest.raises(SignatureError, match="is not signed"):
        read_pack_file(unsigned, trusted=[public])
    assert read_pack_file(unsigned).signature is None  # no trusted keys: unsigned is fine


def test_trust_store_add_list_remove(lead):
    _, public = lead
    trust = TrustStore()
    assert trust.trusted() == []
    trust.add(public, "李组长")
    trust.add(public, "李组长 (renamed)")
    assert [(t.key, t.name) for t in trust.trusted()] == [(public, "李组长 (renamed)")]
    assert trust.remove(public.key_id[:6]).key == public
    with pytest.raises(NotFoundError, match="matches no trusted key"):
        trust.remove("abc")


def test_damaged_trust_file_fails_closed():
    trust = TrustStore()
    trust.path.write_text("{not json", "utf-8")
    with pytest.raises(StorageError, match="cannot be read"):
        trust.public_keys()


def test_install_with_trusted_key_refuses_unsigned_and_tampered_leaving_library_as_is(
    tmp_path, lead
):
    secret, public = lead
    TrustStore().add(public)
    store = open_library()
    before = store.path.read_bytes()
    unsigned = write_pack(tmp_path / "u.qrpack")
    with pytest.raises(SignatureError, match="not signed"):
        install_from(store, str(unsigned))
    tampered = write_pack(tmp_path / "t.qrpack", key=load_signing_key(secret))
    rewrite(tampered, lambda e: e.update({"manifest.json": e["manifest.json"] + b" "}))
    with pytest.raises(SignatureError, match="manifest.json was changed"):
        install_from(store, str(tampered))
    assert store.path.read_bytes() == before
    good = write_pack(tmp_path / "g.qrpack", key=load_signing_key(secret))
    assert install_from(store, str(good)).status == "installed"


def test_signature_json_damage_is_reported_not_a_traceback(tmp_path, lead):
    secret, public = lead
    path = write_pack(tmp_path / "p.qrpack", key=load_signing_key(secret))
    rewrite(path, lambda e: e.update({"signature.json": b"{}"}))
    with pytest.raises(SignatureError, match="signature.json is damaged"):
        read_pack_file(path, trusted=[public])
