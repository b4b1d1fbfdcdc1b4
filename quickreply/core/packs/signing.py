"""Ed25519 keys for team leads, and the trust store of the lead keys an installation accepts.

A key pair is two one-line text files: ``KEY`` (``qr-ed25519-secret <base64 seed> <comment>``,
readable only by its owner) and ``KEY.pub`` (``qr-ed25519 <base64 key> <comment>``), easy to mail
to IT or paste into a chat. The trust store is ``trusted_keys.json`` in the data dir, so IT can
deploy it as a file.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock
from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

from quickreply.core.errors import NotFoundError, QuickReplyError, StorageError
from quickreply.core.library import paths
from quickreply.core.library.atomic import atomic_write_text
from quickreply.core.library.model import now_iso
from quickreply.core.safe_load import load_json

PUBLIC_PREFIX = "qr-ed25519"
SECRET_PREFIX = "qr-ed25519-secret"
TRUST_FORMAT = "quickreply-trusted-keys/1"


class SignatureError(QuickReplyError):
    """A pack whose signature is missing, broken, or made with a key this installation does not trust."""


@dataclass(frozen=True)
class PublicKey:
    """A lead's Ed25519 public key; `key_id` is the short fingerprint shown to people."""

    raw: bytes
    comment: str = ""

    @property
    def key_id(self) -> str:
        """Return the first 16 hex digits of the key's SHA-256 (what `trust list` shows)."""
        return hashlib.sha256(self.raw).hexdigest()[:16]

    @property
    def b64(self) -> str:
        """Return the key as base64 text."""
        return base64.b64encode(self.raw).decode("ascii")

    def to_line(self) -> str:
        """Return the one-line text form written to ``KEY.pub``."""
        return f"{PUBLIC_PREFIX} {self.b64} {self.comment}".rstrip()

    def verifies(self, message: bytes, signature: bytes) -> bool:
        """Return whether `signature` is this key's signature of `message`."""
        try:
            VerifyKey(self.raw).verify(message, signature)
        except (BadSignatureError, ValueError):
            return False
        return True


def public_key_from_b64(text: str, comment: str = "") -> PublicKey:
    """Return the PublicKey whose base64 form is `text`; raise QuickReplyError when it is not one."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise QuickReplyError(f"'{text[:20]}…' is not a base64 Ed25519 public key") from exc
    if len(raw) != 32:
        raise QuickReplyError("an Ed25519 public key is 32 bytes; this one is not")
    return PublicKey(raw, comment)


def generate_keypair(path: Path, comment: str = "", *, overwrite: bool = False) -> PublicKey:
    """Write a new key pair to `path` (secret) and `path`.pub (public); return the public key.

    Raises QuickReplyError when either file exists and `overwrite` is false (a lost lead key means
    every agent has to trust a new one).
    """
    path = Path(path)
    pub_path = public_path(path)
    for existing in (path, pub_path):
        if existing.exists() and not overwrite:
            raise QuickReplyError(f"{existing} already exists; choose another name (or --force)")
    key = SigningKey.generate()
    comment = " ".join(comment.split()) or path.stem
    secret = base64.b64encode(bytes(key)).decode("ascii")
    atomic_write_text(path, f"{SECRET_PREFIX} {secret} {comment}\n")
    if os.name != "nt":
        os.chmod(path, 0o600)  # the secret key signs what every agent trusts
    public = PublicKey(bytes(key.verify_key), comment)
    atomic_write_text(pub_path, public.to_line() + "\n")
    return public


def public_path(secret_path: Path) -> Path:
    """Return where the public half of the key at `secret_path` is written (``KEY.pub``)."""
    return Path(secret_path).with_name(Path(secret_path).name + ".pub")


def load_signing_key(path: Path) -> SigningKey:
    """Read a secret key file written by generate_keypair; raise QuickReplyError when it is not one."""
    text = _read_key_text(path)
    parts = text.split()
    if len(parts) < 2 or parts[0] != SECRET_PREFIX:
        if parts and parts[0] == PUBLIC_PREFIX:
            raise QuickReplyError(f"{path} is a public key; signing needs the secret key file")
        raise QuickReplyError(f"{path} is not a QuickReply secret key (made by `pack keygen`)")
    try:
        seed = base64.b64decode(parts[1], validate=True)
        return SigningKey(seed)
    except (binascii.Error, ValueError) as exc:
        raise QuickReplyError(f"{path}: the secret key is damaged") from exc


def read_public_key(source: str | Path) -> PublicKey:
    """Return the public key in a ``.pub`` file, or given directly as its line or base64 text."""
    text = str(source)
    candidate = Path(text)
    if len(text) < 4096 and candidate.is_file():
        text = _read_key_text(candidate)
    elif _looks_like_a_path(text):
        raise QuickReplyError(f"file not found: {text}")
    parts = text.split(maxsplit=2)
    if parts and parts[0] == SECRET_PREFIX:
        raise QuickReplyError("that is a secret key; share and trust only the .pub file")
    if parts and parts[0] == PUBLIC_PREFIX and len(parts) >= 2:
        return public_key_from_b64(parts[1], parts[2] if len(parts) > 2 else "")
    if len(parts) == 1:
        return public_key_from_b64(parts[0])
    raise QuickReplyError(f"'{source}' is neither a .pub file nor a public key")


def _looks_like_a_path(text: str) -> bool:
    """A key file name (``lead.pub``, ``./keys/lead``) rather than key text (base64 has '/' too)."""
    return text.endswith(".pub") or text.startswith((".", "/", "~")) or "\\" in text


def _read_key_text(path: Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8").strip()
    except FileNotFoundError as exc:
        raise QuickReplyError(f"no key file at {path}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise QuickReplyError(f"cannot read the key file {path}: {exc}") from exc


@dataclass(frozen=True)
class TrustedKey:
    """A lead key this installation accepts packs from."""

    key: PublicKey
    name: str
    added: str


class TrustStore:
    """The lead keys an installation trusts, kept in ``trusted_keys.json`` in the data dir.

    While it is empty every pack is accepted (a signed pack must still be intact); once it holds a
    key, only packs signed by one of its keys are installed.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path else paths.data_dir() / "trusted_keys.json"
        self._lock = FileLock(str(self.path) + ".lock", timeout=10)

    def trusted(self) -> list[TrustedKey]:
        """Return the trusted keys in the order they were added."""
        if not self.path.exists():
            return []
        try:
            data = load_json(self.path.read_bytes(), self.path.name)
            return [
                TrustedKey(
                    public_key_from_b64(item["public_key"], item.get("comment", "")),
                    str(item.get("name", "")),
                    str(item.get("added", "")),
                )
                for item in data["keys"]
            ]
        except (OSError, ValueError, KeyError, TypeError, AttributeError, QuickReplyError) as exc:
            # failing closed: a damaged trust file must not silently accept every pack
            raise StorageError(
                f"{self.path} cannot be read ({exc}); fix or delete it, then add the keys again"
            ) from exc

    def public_keys(self) -> list[PublicKey]:
        """Return just the keys (what signature checks need)."""
        return [t.key for t in self.trusted()]

    def add(self, key: PublicKey, name: str = "") -> TrustedKey:
        """Trust `key` (named `name`, default its comment); adding it again only renames it."""
        with self._lock:
            kept = [t for t in self.trusted() if t.key.key_id != key.key_id]
            trusted = TrustedKey(key, name or key.comment or key.key_id, now_iso())
            self._write([*kept, trusted])
        return trusted

    def remove(self, key_id: str) -> TrustedKey:
        """Stop trusting the key whose id (or a unique prefix of it, or name) is `key_id`."""
        with self._lock:
            keys = self.trusted()
            matches = [t for t in keys if t.key.key_id.startswith(key_id) or t.name == key_id]
            if len(matches) != 1:
                known = ", ".join(f"{t.key.key_id} ({t.name})" for t in keys) or "none"
                problem = "matches several keys" if matches else "matches no trusted key"
                raise NotFoundError(f"'{key_id}' {problem} (trusted: {known})")
            self._write([t for t in keys if t is not matches[0]])
        return matches[0]

    def _write(self, keys: list[TrustedKey]) -> None:
        data = {
            "format": TRUST_FORMAT,
            "keys": [
                {
                    "key_id": t.key.key_id,
                    "public_key": t.key.b64,
                    "comment": t.key.comment,
                    "name": t.name,
                    "added": t.added,
                }
                for t in keys
            ],
        }
        atomic_write_text(self.path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
