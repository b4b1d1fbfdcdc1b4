"""The .qrpack file: one zip that carries a pack from a lead to every agent.

Entries: ``manifest.json`` (who wrote it, which version, the categories), ``snippets.json``,
optional ``assets/...`` files, and ``signature.json`` once signed. Every limit is checked before
anything is parsed, so a damaged or hostile file costs little and says what is wrong with it.
The zip is written deterministically (sorted entries, fixed times): the same pack gives the same
bytes, so its SHA-256 tells an agent whether anything changed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
import re
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nacl.signing import SigningKey

from quickreply.core.errors import QuickReplyError, ValidationError
from quickreply.core.library.atomic import atomic_write_bytes
from quickreply.core.library.model import now_iso
from quickreply.core.packs.assets import check_pack_images, name_images_by_content
from quickreply.core.packs.format import Pack, parse_pack, read_pack_data
from quickreply.core.packs.signing import PublicKey, SignatureError, public_key_from_b64
from quickreply.core.safe_load import load_json

FORMAT = "qrpack/1"
SIGNATURE_FORMAT = "qrpack-signature/2"  # signs canonical JSON; /1 (tab lines) still verifies
OLD_SIGNATURE_FORMAT = "qrpack-signature/1"
MANIFEST = "manifest.json"
SNIPPETS = "snippets.json"
SIGNATURE = "signature.json"
MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_UNPACKED_BYTES = 64 * 1024 * 1024  # a zip bomb stops here, before it is inflated
MAX_ENTRIES = 256
ASSET_NAME = re.compile(r"^assets/[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*$")
SIGNED_CONTEXT = b"quickreply-pack-signature/1\n"
SIGNED_CONTEXT_V2 = b"quickreply-pack-signature/2\n"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
ZIP_MAGIC = b"PK\x03\x04"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class PackSignature:
    """Who signed a pack (their public key) and the SHA-256 of every entry they signed."""

    key: PublicKey
    signature: bytes
    files: dict[str, str]
    signed: str
    format: str = SIGNATURE_FORMAT

    @property
    def key_id(self) -> str:
        """The signing key's fingerprint."""
        return self.key.key_id


@dataclass(frozen=True)
class PackFile:
    """A pack read from a .qrpack (or a source folder): content, assets, signature, file digest."""

    pack: Pack
    assets: dict[str, bytes] = field(default_factory=dict)
    signature: PackSignature | None = None
    sha256: str = ""
    size: int = 0


def read_pack_file(
    source: Path | bytes, *, trusted: Sequence[PublicKey] = (), name: str | None = None
) -> PackFile:
    """Read, check and parse a .qrpack from a path or its bytes.

    With `trusted` keys, the pack must carry a valid signature by one of them. A signature that
    does not match the content is refused even without trusted keys. Raises ValidationError (size,
    zip, names, content: every problem with its place) or SignatureError (which check failed).
    """
    if isinstance(source, bytes):
        data, name = source, name or "pack"
    else:
        data, name = _read_limited(Path(source)), name or Path(source).name
    entries, signature = open_entries(data, name)
    check_signature(entries, signature, trusted, name)
    pack = _parse_entries(entries, name)
    assets = {k: v for k, v in entries.items() if k.startswith("assets/")}
    check_pack_images(pack, assets, name)
    return PackFile(pack, assets, signature, hashlib.sha256(data).hexdigest(), len(data))


def read_pack_source(path: Path, *, trusted: Sequence[PublicKey] = ()) -> PackFile:
    """Read a pack from a .qrpack file, a source folder (pack.yaml, or manifest.json +
    snippets.json, with optional assets/) or a YAML/JSON source file.

    Only .qrpack files can carry a signature, so with `trusted` keys anything else is refused.
    """
    path = Path(path)
    if path.is_file():
        with path.open("rb") as handle:
            is_zip = handle.read(4) == ZIP_MAGIC
        if is_zip or path.suffix == ".qrpack":
            return read_pack_file(path, trusted=trusted)
    if trusted:
        raise SignatureError(
            f"{path.name} is a pack source, not a signed .qrpack, and this installation only "
            "accepts packs signed by a trusted lead key"
        )
    if path.is_file():
        _read_limited(path)
    data = read_pack_data(path)
    assets = _folder_assets(path) if path.is_dir() else {}
    assets = name_images_by_content(data, assets, path.name)
    pack = parse_pack(data, source=path.name)
    check_pack_images(pack, assets, path.name)
    return PackFile(pack, assets)


def _read_limited(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ValidationError(
                f"{path.name}: {size / 1_048_576:.1f} MB; a pack may be at most "
                f"{MAX_FILE_BYTES // 1_048_576} MB"
            )
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise QuickReplyError(f"no pack file at {path}") from exc
    except OSError as exc:
        raise QuickReplyError(f"cannot read {path}: {exc.strerror or exc}") from exc


def _folder_assets(folder: Path) -> dict[str, bytes]:
    root = folder / "assets"
    if root.is_symlink():
        raise ValidationError(_link_refused(folder, root))
    if not root.is_dir():
        return {}
    assets: dict[str, bytes] = {}
    problems: list[str] = []
    for file in sorted(root.rglob("*")):  # rglob does not descend into linked folders
        if file.is_symlink():
            problems.append(_link_refused(folder, file))
            continue
        if not file.is_file():
            continue
        name = file.relative_to(folder).as_posix()
        problem = asset_name_problem(name)
        if problem:
            problems.append(f"{folder.name}: {problem}")
        else:
            assets[name] = file.read_bytes()
    if sum(len(v) for v in assets.values()) > MAX_UNPACKED_BYTES:
        problems.append(
            f"{folder.name}: assets are larger than {MAX_UNPACKED_BYTES // 1_048_576} MB"
        )
    if problems:
        raise ValidationError(problems)
    return assets


def _link_refused(folder: Path, link: Path) -> str:
    return (
        f"{folder.name}: {link.relative_to(folder).as_posix()} is a link; pack sources may not "
        "point outside their folder (copy the file in instead)"
    )


def asset_name_problem(name: str) -> str | None:
    """Return why `name` may not be an entry of a pack (path traversal, odd characters), or None."""
    if name in (MANIFEST, SNIPPETS, SIGNATURE):
        return None
    if _CONTROL.search(name):
        return f"entry {name!r} holds a control character; refused"
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or ".." in parts or ":" in name or "\\" in name:
        return f"entry '{name}' points outside the pack (absolute path or '..'); refused"
    if not ASSET_NAME.match(name):
        return (
            f"entry '{name}' is not allowed: besides {MANIFEST}, {SNIPPETS} and {SIGNATURE}, "
            "only assets/<name> of letters, digits, '.', '-', '_'"
        )
    return None


def open_entries(data: bytes, name: str) -> tuple[dict[str, bytes], PackSignature | None]:
    """Unzip a .qrpack within the limits; return its entries (without the signature) and signature.

    Raises ValidationError naming every problem: size, damage, entry names, sizes, encryption.
    """
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(
            f"{name}: {len(data) / 1_048_576:.1f} MB; a pack may be at most "
            f"{MAX_FILE_BYTES // 1_048_576} MB"
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        # not ZipInfo.is_dir(): it fails on an empty name (a damaged entry, refused below)
        infos = [i for i in archive.infolist() if not i.filename.endswith("/")]
    # RuntimeError: zipfile's NotImplementedError for a made-up "zip file version" or method
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError) as exc:
        raise ValidationError(
            f"{name}: not a .qrpack file, or it is damaged or cut short ({exc})"
        ) from exc
    problems = _entry_problems(infos, name)
    if problems:
        raise ValidationError(problems)
    entries: dict[str, bytes] = {}
    for info in infos:
        try:
            with archive.open(info) as handle:
                entries[info.filename] = handle.read(info.file_size + 1)
        except (
            zipfile.BadZipFile,
            OSError,
            ValueError,
            EOFError,
            RuntimeError,
            zlib.error,
        ) as exc:
            raise ValidationError(f"{name}: entry '{info.filename}' is damaged ({exc})") from exc
        if len(entries[info.filename]) != info.file_size:
            raise ValidationError(f"{name}: entry '{info.filename}' is not the size it claims")
    raw_signature = entries.pop(SIGNATURE, None)
    signature = _parse_signature(raw_signature, name) if raw_signature is not None else None
    return entries, signature


def _entry_problems(infos: list[zipfile.ZipInfo], name: str) -> list[str]:
    problems: list[str] = []
    if len(infos) > MAX_ENTRIES:
        return [f"{name}: {len(infos)} entries; a pack may hold at most {MAX_ENTRIES}"]
    names = [i.filename for i in infos]
    for missing in (MANIFEST, SNIPPETS):
        if missing not in names:
            problems.append(f"{name}: {missing} is missing")
    seen: set[str] = set()
    for info in infos:
        if info.filename in seen:
            problems.append(f"{name}: entry '{info.filename}' appears twice")
        seen.add(info.filename)
        problem = asset_name_problem(info.filename)
        if problem:
            problems.append(f"{name}: {problem}")
        if info.flag_bits & 0x1:
            problems.append(f"{name}: entry '{info.filename}' is encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            problems.append(f"{name}: entry '{info.filename}' uses an unsupported compression")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNPACKED_BYTES:
        problems.append(
            f"{name}: unpacks to {total / 1_048_576:.0f} MB; the limit is "
            f"{MAX_UNPACKED_BYTES // 1_048_576} MB"
        )
    return problems


def _parse_signature(raw: bytes, name: str) -> PackSignature:
    where = f"{name}: {SIGNATURE}"
    try:
        data = load_json(raw, where)
        files = data["files"]
        if not isinstance(files, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in files.items()
        ):
            raise TypeError("files must map entry names to SHA-256 digests")
        bad = next((k for k in files if _CONTROL.search(k)), None)
        if bad is not None:
            raise TypeError(f"entry name {bad!r} holds a control character")
        fmt = data.get("format", OLD_SIGNATURE_FORMAT)
        if fmt not in (SIGNATURE_FORMAT, OLD_SIGNATURE_FORMAT):
            raise TypeError(f"format {str(fmt)[:40]!r} is not one this QuickReply reads")
        return PackSignature(
            key=public_key_from_b64(str(data["public_key"]), str(data.get("comment", ""))),
            signature=base64.b64decode(str(data["signature"]), validate=True),
            files=files,
            signed=str(data.get("signed", "")),
            format=fmt,
        )
    except (KeyError, TypeError, AttributeError, binascii.Error, QuickReplyError) as exc:
        raise SignatureError(f"{where} is damaged ({exc}); the pack cannot be trusted") from exc


def signed_message(files: dict[str, str], fmt: str = SIGNATURE_FORMAT) -> bytes:
    """Return the bytes a signature covers: a fixed context line and every entry's SHA-256.

    The current format signs canonical JSON (sorted keys, ASCII escapes, no spaces), which no
    entry name can make ambiguous. Format /1 signed ``name<TAB>digest`` lines; it is still
    verified, safely, because entry names with control characters are refused before this.
    """
    if fmt == OLD_SIGNATURE_FORMAT:
        listing = "".join(f"{entry}\t{files[entry]}\n" for entry in sorted(files))
        return SIGNED_CONTEXT + listing.encode("utf-8")
    canonical = json.dumps(files, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return SIGNED_CONTEXT_V2 + canonical.encode("ascii")


def check_signature(
    entries: dict[str, bytes],
    signature: PackSignature | None,
    trusted: Sequence[PublicKey],
    name: str = "pack",
) -> None:
    """Raise SignatureError naming the failed check: unsigned, untrusted key, bad signature, or
    an entry changed, added or removed after signing. Unsigned packs pass when `trusted` is empty.
    """
    if signature is None:
        if trusted:
            raise SignatureError(
                f"{name} is not signed, and this installation only accepts packs signed by a "
                f"trusted lead key ({_key_list(trusted)})"
            )
        return
    key = signature.key
    if trusted:
        match = next((k for k in trusted if k.key_id == signature.key_id), None)
        if match is None:
            raise SignatureError(
                f"{name} is signed with key {signature.key_id}"
                f"{f' ({key.comment})' if key.comment else ''}, which is not trusted here "
                f"(trusted: {_key_list(trusted)})"
            )
        key = match
    if not key.verifies(signed_message(signature.files, signature.format), signature.signature):
        raise SignatureError(
            f"{name}: the signature does not verify with key {signature.key_id}: "
            f"{SIGNATURE} was altered or forged"
        )
    actual = {entry: hashlib.sha256(data).hexdigest() for entry, data in entries.items()}
    for entry in sorted(set(actual) | set(signature.files)):
        if entry not in actual:
            raise SignatureError(f"{name}: {entry} was removed after signing")
        if entry not in signature.files:
            raise SignatureError(f"{name}: {entry} was added after signing")
        if actual[entry] != signature.files[entry]:
            raise SignatureError(f"{name}: {entry} was changed after signing (tampered)")


def _key_list(keys: Sequence[PublicKey]) -> str:
    return ", ".join(f"{k.key_id}{f' {k.comment}' if k.comment else ''}" for k in keys)


def _parse_entries(entries: dict[str, bytes], name: str) -> Pack:
    problems: list[str] = []
    parts: dict[str, dict[str, Any]] = {}
    for entry in (MANIFEST, SNIPPETS):
        try:
            value = load_json(entries[entry], f"{name}: {entry}")
        except ValidationError as exc:
            problems.extend(exc.problems)
            continue
        if not isinstance(value, dict):
            problems.append(f"{name}: {entry} must hold a JSON object")
            continue
        parts[entry] = value
    if problems:
        raise ValidationError(problems)
    manifest = parts[MANIFEST]
    fmt = manifest.get("format")
    if fmt != FORMAT:
        raise ValidationError(
            f"{name}: {MANIFEST} format is {fmt!r}; this QuickReply reads '{FORMAT}' "
            "(a newer format needs a newer QuickReply)"
        )
    if not isinstance(manifest.get("created"), str) or not manifest["created"]:
        problems.append(f"{name}: manifest field 'created' is missing")
    data = {k: v for k, v in manifest.items() if k != "snippets"}
    data["snippets"] = parts[SNIPPETS].get("snippets")
    try:
        pack = parse_pack(data, source=name)
    except ValidationError as exc:
        raise ValidationError(problems + exc.problems) from exc
    if problems:
        raise ValidationError(problems)
    return pack


def pack_to_data(pack: Pack) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return the JSON of ``manifest.json`` and ``snippets.json`` for `pack` (local ids)."""
    prefix = f"{pack.id}/"
    m = pack.manifest
    manifest: dict[str, Any] = {
        "format": FORMAT,
        **m.to_dict(),
        "created": m.created or now_iso(),
        "categories": [
            _without_empty(
                {
                    "id": c.id.removeprefix(prefix),
                    "name": c.name,
                    "order": c.order,
                    "hotkey": c.hotkey,
                    "keywords": list(c.keywords),
                }
            )
            for c in pack.categories
        ],
    }
    if pack.synonyms:
        manifest["synonyms"] = pack.synonyms
    snippets = [
        _without_empty(
            {
                "id": s.id.removeprefix(prefix),
                "category": s.category.removeprefix(prefix),
                "title": s.title,
                "body": s.body,
                "hotkey": s.hotkey,
                "abbrev": s.abbrev,
                "tags": list(s.tags),
                "questions": list(s.questions),
                "images": list(s.images),
                "image_order": s.image_order if s.image_order != "images_first" else None,
                "auto_send": s.auto_send,
                "locked": s.locked,
            }
        )
        for s in pack.snippets
    ]
    return manifest, {"snippets": snippets}


def _without_empty(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if v not in (None, [], False) or k == "order"}


def pack_bytes(
    pack: Pack, assets: dict[str, bytes] | None = None, key: SigningKey | None = None
) -> bytes:
    """Return the .qrpack bytes of `pack` with `assets`, signed with `key` when given."""
    manifest, snippets = pack_to_data(pack)
    entries = {
        MANIFEST: _json_bytes(manifest),
        SNIPPETS: _json_bytes(snippets),
        **(assets or {}),
    }
    problems = [p for p in (asset_name_problem(n) for n in entries) if p]
    if problems:
        raise ValidationError(problems)
    return zip_entries(entries, key)


def zip_entries(entries: dict[str, bytes], key: SigningKey | None = None) -> bytes:
    """Return a deterministic zip of `entries`, with a ``signature.json`` when `key` is given."""
    if key is not None:
        entries = {**entries, SIGNATURE: _json_bytes(signature_document(entries, key))}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for entry in sorted(entries):
            info = zipfile.ZipInfo(entry, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, entries[entry])
    data = buffer.getvalue()
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(
            f"the pack would be {len(data) / 1_048_576:.1f} MB; the limit is "
            f"{MAX_FILE_BYTES // 1_048_576} MB"
        )
    return data


def signature_document(entries: dict[str, bytes], key: SigningKey) -> dict[str, Any]:
    """Return the ``signature.json`` content signing every entry in `entries` with `key`."""
    files = {n: hashlib.sha256(d).hexdigest() for n, d in entries.items() if n != SIGNATURE}
    public = PublicKey(bytes(key.verify_key))
    return {
        "format": SIGNATURE_FORMAT,
        "algorithm": "ed25519",
        "key_id": public.key_id,
        "public_key": public.b64,
        "signed": now_iso(),
        "files": dict(sorted(files.items())),
        "signature": base64.b64encode(key.sign(signed_message(files)).signature).decode("ascii"),
    }


def _json_bytes(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write_pack_file(
    path: Path, pack: Pack, assets: dict[str, bytes] | None = None, key: SigningKey | None = None
) -> PackFile:
    """Write `pack` as a .qrpack at `path` (atomically) and return it as read back."""
    data = pack_bytes(pack, assets, key)
    written = read_pack_file(data, name=Path(path).name)
    atomic_write_bytes(Path(path), data, shared=True)
    return written


def sign_pack_file(path: Path, key: SigningKey) -> PackSignature:
    """Sign the .qrpack at `path` in place (replacing any earlier signature); return the signature.

    The pack is checked first; a damaged or invalid pack is never signed.
    """
    data = _read_limited(Path(path))
    entries, _ = open_entries(data, Path(path).name)
    _parse_entries(entries, Path(path).name)
    document = signature_document(entries, key)
    atomic_write_bytes(
        Path(path), zip_entries({**entries, SIGNATURE: _json_bytes(document)}), shared=True
    )
    return _parse_signature(_json_bytes(document), Path(path).name)
