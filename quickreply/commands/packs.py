"""Pack, trust and team-report commands: what leads publish with and agents install with."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from quickreply.commands.output import EXIT_ERROR, print_json, print_table
from quickreply.core.errors import QuickReplyError, ValidationError
from quickreply.core.i18n import tr, tr_n
from quickreply.core.library.model import now_iso
from quickreply.core.library.settings import load_settings
from quickreply.core.library.store import LibraryStore
from quickreply.core.message_translation import translate_message
from quickreply.core.packs.assets import export_images
from quickreply.core.packs.defaults import open_library
from quickreply.core.packs.diff import PackDiff, diff_packs
from quickreply.core.packs.export import (
    guess_language,
    pack_from_library,
    suggested_version,
    with_version,
)
from quickreply.core.packs.file import (
    PackFile,
    read_pack_file,
    read_pack_source,
    sign_pack_file,
    write_pack_file,
)
from quickreply.core.packs.format import Pack, PackManifest
from quickreply.core.packs.index import INDEX_NAME, MAX_INDEX_BYTES, build_index, parse_index
from quickreply.core.packs.install import installed_pack
from quickreply.core.packs.manage import install_from, pack_rows, remove_pack, source_kind
from quickreply.core.packs.signing import (
    PublicKey,
    TrustStore,
    generate_keypair,
    load_signing_key,
    public_path,
    read_public_key,
)
from quickreply.core.packs.sources import fetch
from quickreply.core.packs.subscriptions import UpdateReport, check_subscriptions
from quickreply.core.usage.team_report import write_team_report


def register(sub: Any) -> None:
    """Add `pack ...`, `trust ...` and `team-report` to the parser."""
    pack = sub.add_parser("pack", help="build, sign, check, install and update snippet packs")
    cmds = pack.add_subparsers(dest="pack_command", metavar="COMMAND", required=True)

    p = cmds.add_parser("keygen", help="make a signing key pair: KEY (secret) and KEY.pub")
    p.add_argument("-o", "--output", required=True, metavar="KEY")
    p.add_argument("--comment", default="", help="a name shown with the key, e.g. your name")
    p.add_argument("--force", action="store_true", help="overwrite existing key files")
    p.set_defaults(func=cmd_keygen)

    p = cmds.add_parser("build", help="write a .qrpack from a pack folder or from your library")
    p.add_argument("dir", nargs="?", metavar="DIR", help="a pack source folder")
    p.add_argument("--from-library", action="store_true", help="take snippets from the library")
    p.add_argument("--category", action="append", default=[], help="a category (repeatable)")
    p.add_argument("--snippet", action="append", default=[], help="a snippet id (repeatable)")
    p.add_argument("--id", dest="pack_id", help="pack id: lowercase letters, digits, dashes")
    p.add_argument("--name", help="pack name agents see")
    p.add_argument("--version", help="semantic version; default: suggested from what changed")
    p.add_argument("--author", default="")
    p.add_argument("--description", default="")
    p.add_argument("--language", help="zh-CN or en (default: the interface language)")
    p.add_argument("--lock", action="store_true", help="agents may not edit these snippets")
    p.add_argument("--key", help="sign with this secret key")
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p.set_defaults(func=cmd_build)

    p = cmds.add_parser("sign", help="sign a .qrpack in place")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--key", required=True, help="your secret key file (from pack keygen)")
    p.set_defaults(func=cmd_sign)

    p = cmds.add_parser("verify", help="check a pack's signature (exit 0 good, 2 bad)")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--trust", action="append", default=[], metavar="PUB", help="accepted key")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_verify)

    p = cmds.add_parser("info", help="show a pack's manifest, contents and signature")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_info)

    p = cmds.add_parser("diff", help="what updating from OLD to NEW would change")
    p.add_argument("old", metavar="OLD", help="a pack file or folder, or an installed pack id")
    p.add_argument("new", metavar="NEW", help="a pack file or folder")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_diff)

    p = cmds.add_parser("install", help="install from a FILE, FOLDER or URL (URLs subscribe)")
    p.add_argument("source", metavar="FILE|FOLDER|URL")
    p.add_argument("--pack", dest="pack_id", help="which pack of an index.json")
    group = p.add_mutually_exclusive_group()
    group.add_argument(
        "--subscribe", action="store_true", default=None, help="check this source for updates"
    )
    group.add_argument("--no-subscribe", dest="subscribe", action="store_false")
    p.add_argument("--replace", action="store_true", help="replace a pack of the same id")
    p.add_argument("--force", action="store_true", help="allow going back to an older version")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_install)

    p = cmds.add_parser("update", help="check every subscription now and apply new versions")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_update)

    p = cmds.add_parser("list", help="list installed packs and their subscriptions")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_list)

    p = cmds.add_parser("remove", help="uninstall a pack (personal snippets are kept)")
    p.add_argument("pack_id", metavar="ID")
    p.set_defaults(func=cmd_remove)

    p = cmds.add_parser("index", help=f"write {INDEX_NAME} for the .qrpack files in a folder")
    p.add_argument("dir", metavar="DIR")
    p.add_argument("--title", default="")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_index)

    p = cmds.add_parser("browse", help=f"list the packs of a lead's {INDEX_NAME} (URL or folder)")
    p.add_argument("source", metavar="URL|FOLDER")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_browse)

    trust = sub.add_parser("trust", help="lead keys whose signed packs this installation accepts")
    cmds = trust.add_subparsers(dest="trust_command", metavar="COMMAND", required=True)
    p = cmds.add_parser("add", help="trust a lead's public key")
    p.add_argument("pub", metavar="PUB", help="a .pub file or the key text")
    p.add_argument("--name", default="", help="who the key belongs to")
    p.set_defaults(func=cmd_trust_add)
    p = cmds.add_parser("list", help="list trusted keys")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_trust_list)
    p = cmds.add_parser("remove", help="stop trusting a key")
    p.add_argument("key_id", metavar="KEY_ID", help="key id (or a unique prefix, or its name)")
    p.set_defaults(func=cmd_trust_remove)

    p = sub.add_parser("team-report", help="a team report (HTML with charts, or CSV) from exports")
    p.add_argument("inputs", nargs="*", metavar="EXPORT.jsonl")
    p.add_argument("--from", dest="drop", metavar="FOLDER|URL", help="read a team drop instead")
    p.add_argument("--since", help="with --from: first day, e.g. 30d or 2025-03-01")
    p.add_argument("--agent", action="append", metavar="ID", help="with --from: only this agent")
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p.add_argument(
        "--format", choices=("html", "csv"), help="default: csv for a .csv file, else html"
    )
    p.add_argument("--title", default="")
    p.set_defaults(func=cmd_team_report)


def _open() -> LibraryStore:
    store = open_library()
    if store.recovered:
        print(tr("quickreply: warning: {recovered}", recovered=store.recovered), file=sys.stderr)
    return store


# -- leads: keys, building, signing, checking ----------------------------------------------------


def cmd_keygen(args: argparse.Namespace) -> int:
    """Write a new key pair."""
    public = generate_keypair(Path(args.output), args.comment, overwrite=args.force)
    print(
        tr(
            "secret key: {output}  (keep it private; it signs what your agents trust)",
            output=args.output,
        )
    )
    print(
        tr("public key: {value}  (give it to agents or IT)", value=public_path(Path(args.output)))
    )
    print(tr("key id: {key_id}", key_id=public.key_id))
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    """Write a .qrpack from a folder or from library categories/snippets."""
    if bool(args.dir) == bool(args.from_library):
        raise QuickReplyError(tr("give either a pack folder DIR or --from-library"))
    key = load_signing_key(Path(args.key)) if args.key else None
    if args.dir:
        source = read_pack_source(Path(args.dir))
        pack, assets = source.pack, source.assets
        if args.version:
            pack = with_version(pack, args.version)
    else:
        if not args.pack_id or not args.name:
            raise QuickReplyError(
                tr("--from-library needs --id and --name (and usually --version)")
            )
        store = _open()
        manifest = PackManifest(
            id=args.pack_id,
            name=args.name,
            version=args.version or "1.0.0",
            author=args.author,
            description=args.description,
            language=args.language or "zh-CN",
            created=now_iso(),
        )
        pack = pack_from_library(
            store, manifest, category_ids=args.category, snippet_ids=args.snippet, lock=args.lock
        )
        if not args.language:
            pack = Pack(
                replace(pack.manifest, language=guess_language(pack.snippets)),
                pack.categories,
                pack.snippets,
            )
        if not args.version:
            pack = with_version(pack, suggested_version(store, pack, _previous(args.output)))
            print(
                tr(
                    "version {version} (suggested; give --version to choose)",
                    version=pack.manifest.version,
                )
            )
        assets = export_images(store.assets, pack.snippets)
    written = write_pack_file(Path(args.output), pack, assets, key)
    signed = (
        tr("signed by {key_id}", key_id=written.signature.key_id)
        if written.signature
        else tr("unsigned")
    )
    contents = tr_n("{count} category", "{count} categories", len(pack.categories))
    print(
        tr_n(
            "{output}: {id} {version}, {count} snippet, {categories}, {signed}",
            "{output}: {id} {version}, {count} snippets, {categories}, {signed}",
            len(pack.snippets),
            output=args.output,
            id=pack.manifest.id,
            version=pack.manifest.version,
            categories=contents,
            signed=signed,
        )
    )
    return 0


def _previous(output: str) -> Pack | None:
    """The pack last written to `output`, if any: the base of the version suggestion."""
    try:
        return read_pack_source(Path(output)).pack if Path(output).is_file() else None
    except QuickReplyError:
        return None


def cmd_sign(args: argparse.Namespace) -> int:
    """Sign a .qrpack in place."""
    signature = sign_pack_file(Path(args.file), load_signing_key(Path(args.key)))
    print(tr("{file}: signed by key {key_id}", file=args.file, key_id=signature.key_id))
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    """Check a pack's signature; exit 0 when good, 2 (via QuickReplyError) with the reason."""
    explicit = [read_public_key(p) for p in args.trust]
    trusted = explicit or TrustStore().public_keys()
    path = Path(args.file)
    read = read_pack_file(path, trusted=trusted)
    if read.signature is None:
        raise QuickReplyError(tr("{name} is not signed", name=path.name))
    note = "a trusted key" if trusted else "its own key only: no trusted key given (--trust PUB)"
    result = {
        "file": str(path),
        "good": True,
        "pack_id": read.pack.id,
        "version": read.pack.manifest.version,
        "key_id": read.signature.key_id,
        "trusted": bool(trusted),
        "signed": read.signature.signed,
    }
    if args.json:
        print_json(result)
    else:
        print(
            tr(
                "good: {id} {version} signed by key {key_id}, checked against {note}",
                id=read.pack.id,
                version=read.pack.manifest.version,
                key_id=read.signature.key_id,
                note=note,
            )
        )
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    """Print a pack's manifest, contents and signature."""
    read = read_pack_source(Path(args.file))
    info = _info(read)
    if args.json:
        print_json(info)
        return 0
    for key in ("id", "name", "version", "author", "description", "language", "created"):
        print(f"{key}: {info[key]}")
    print(tr("min app version: {min_app_version}", min_app_version=info["min_app_version"]))
    print(
        tr(
            "snippets: {snippets} ({locked} locked) in {categories}",
            snippets=info["snippets"],
            locked=info["locked"],
            categories=tr_n("{count} category", "{count} categories", len(info["categories"])),
        )
    )
    for category in info["categories"]:
        print(f"  {category['name']}: {category['snippets']}")
    if info["assets"]:
        print(tr("assets: {join}", join=", ".join(info["assets"])))
    signature = info["signature"]
    print(
        f"signature: key {signature['key_id']}, intact (signed {signature['signed']})"
        if signature
        else "signature: none"
    )
    if info["sha256"]:
        print(tr("sha256: {sha256}  ({size} bytes)", sha256=info["sha256"], size=info["size"]))
    return 0


def _info(read: PackFile) -> dict[str, Any]:
    m = read.pack.manifest
    counts: dict[str, int] = {}
    for snippet in read.pack.snippets:
        counts[snippet.category] = counts.get(snippet.category, 0) + 1
    return {
        **m.to_dict(),
        "snippets": len(read.pack.snippets),
        "locked": sum(s.locked for s in read.pack.snippets),
        "categories": [
            {"id": c.id, "name": c.name, "snippets": counts.get(c.id, 0)}
            for c in read.pack.categories
        ],
        "assets": sorted(read.assets),
        "signature": (
            {"key_id": read.signature.key_id, "signed": read.signature.signed}
            if read.signature
            else None
        ),
        "sha256": read.sha256,
        "size": read.size,
    }


def cmd_diff(args: argparse.Namespace) -> int:
    """Print what updating from OLD to NEW would change."""
    new = read_pack_source(Path(args.new)).pack
    old: Pack | None
    if Path(args.old).exists():
        old = read_pack_source(Path(args.old)).pack
    else:
        old = installed_pack(_open(), args.old)
        if old is None:
            raise QuickReplyError(
                tr("{old} is neither a pack file nor an installed pack id", old=args.old)
            )
    if old.id != new.id:
        raise QuickReplyError(
            tr("these are different packs ('{id}' and '{id2}')", id=old.id, id2=new.id)
        )
    diff = diff_packs(old, new)
    if args.json:
        print_json(diff.to_dict())
    else:
        _print_diff(diff)
    return 0


def _print_diff(diff: PackDiff) -> None:
    print(f"{diff.pack_id} {diff.old_version or '(none)'} → {diff.new_version}: {diff.summary()}")
    for snippet in diff.added:
        print(f"  + {snippet.id}  {snippet.title}")
    for change in diff.changed:
        print(f"  ~ {change.id}  {change.title}  ({', '.join(change.fields)})")
    for snippet in diff.removed:
        print(f"  - {snippet.id}  {snippet.title}")
    for name in diff.categories_added:
        print(tr("  + category {name}", name=name))
    for name in diff.categories_removed:
        print(tr("  - category {name}", name=name))
    for before, after in diff.categories_renamed:
        print(tr("  ~ category {before} → {after}", before=before, after=after))
    for ref, snippet_id in diff.images_added:
        print(tr("  + image {ref}  ({id})", ref=ref, id=snippet_id))
    for ref, snippet_id in diff.images_removed:
        print(tr("  - image {ref}  ({id})", ref=ref, id=snippet_id))


# -- agents: installing, updating, listing, removing -------------------------------------------


def cmd_install(args: argparse.Namespace) -> int:
    """Install a pack; URLs, indexes and shared paths become subscriptions."""
    store = _open()
    report = install_from(
        store,
        args.source,
        pack_id=args.pack_id,
        subscribe=args.subscribe,
        replace=args.replace,
        force=args.force,
    )
    if args.json:
        print_json(report.to_dict())
    else:
        _print_report(report)
    return 0


def cmd_update(args: argparse.Namespace) -> int:
    """Check every subscription now; print what changed."""
    reports = check_subscriptions(_open())
    failed = [r for r in reports if r.status in ("failed", "offline")]
    if args.json:
        print_json([r.to_dict() for r in reports])
    else:
        if not reports:
            print(tr("no subscriptions (install from a URL or a shared folder to subscribe)"))
        for report in reports:
            _print_report(report)
    for report in failed:
        reason = translate_message(report.message or report.status)
        print(
            tr(
                "quickreply: {pack_id}: not updated: {reason}",
                pack_id=report.pack_id,
                reason=reason,
            ),
            file=sys.stderr,
        )
    return EXIT_ERROR if failed else 0


def _print_report(report: UpdateReport) -> None:
    print(f"{report.pack_id}: {report.status}: {report.notification()}")
    if report.diff and report.changed:
        for snippet in report.diff.added:
            print(f"  + {snippet.title}")
        for change in report.diff.changed:
            print(f"  ~ {change.title}")
        for snippet in report.diff.removed:
            print(f"  - {snippet.title}")
    for warning in report.warnings:
        print(tr("  note: {warning}", warning=translate_message(warning)))


def cmd_list(args: argparse.Namespace) -> int:
    """Print installed packs with their subscription state."""
    rows = pack_rows(_open())
    if args.json:
        print_json(rows)
        return 0
    print_table(
        ("ID", "NAME", "VERSION", "SNIPPETS", "SOURCE", "CHECKED"),
        [
            (
                r["id"],
                r["name"],
                r["version"],
                str(r["snippets"]),
                r["source"] or "",
                _checked(r),
            )
            for r in rows
        ],
    )
    return 0


def _checked(row: dict[str, Any]) -> str:
    if not row["subscribed"]:
        return tr("not subscribed")
    checked = _local(row["last_checked"])
    if row["last_error"]:
        return f"{checked} failed (last ok {_local(row['last_success'])}; see --json)"
    return checked


def _local(iso: str | None) -> str:
    """Show a stored UTC time in the computer's time zone."""
    return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M") if iso else "never"


def cmd_remove(args: argparse.Namespace) -> int:
    """Uninstall a pack."""
    change = remove_pack(_open(), args.pack_id)
    print(
        tr("removed {pack_id}: {count} snippets", pack_id=args.pack_id, count=len(change.removed))
    )
    return 0


# -- publishing ---------------------------------------------------------------------------------


def cmd_index(args: argparse.Namespace) -> int:
    """Write index.json for a folder of packs."""
    entries = build_index(Path(args.dir), args.title)
    if args.json:
        print_json([e.__dict__ for e in entries])
        return 0
    print(tr("{value}: {count} packs", value=Path(args.dir) / INDEX_NAME, count=len(entries)))
    for e in entries:
        print(f"  {e.id} {e.version}  {e.file}  {e.sha256[:12]}…")
    return 0


def cmd_browse(args: argparse.Namespace) -> int:
    """List the packs an index offers."""
    if source_kind(args.source) != "index":
        raise QuickReplyError(
            tr(
                "{source} is not an {INDEX_NAME}, a folder URL or a folder with one",
                source=args.source,
                INDEX_NAME=INDEX_NAME,
            )
        )
    location = args.source
    if location.endswith("/"):
        location += INDEX_NAME
    elif Path(location).is_dir():
        location = str(Path(location) / INDEX_NAME)
    deadline = load_settings(_open()).download_deadline_s
    got = fetch(location, max_bytes=MAX_INDEX_BYTES, deadline=deadline)
    entries = parse_index(got.data, location)
    if args.json:
        print_json([e.__dict__ for e in entries])
        return 0
    print_table(
        ("ID", "NAME", "VERSION", "AUTHOR", "SIGNED BY"),
        [(e.id, e.name, e.version, e.author, e.key_id or "") for e in entries],
    )
    if entries:
        print(tr("subscribe with: quickreply pack install {source} --pack ID", source=args.source))
    return 0


# -- trust ----------------------------------------------------------------------------------------


def cmd_trust_add(args: argparse.Namespace) -> int:
    """Trust a lead key."""
    key: PublicKey = read_public_key(args.pub)
    trusted = TrustStore().add(key, args.name)
    print(
        tr(
            "trusted {key_id} ({name}); only packs signed by trusted keys install now",
            key_id=trusted.key.key_id,
            name=trusted.name,
        )
    )
    return 0


def cmd_trust_list(args: argparse.Namespace) -> int:
    """List trusted keys."""
    keys = TrustStore().trusted()
    if args.json:
        print_json(
            [
                {"key_id": t.key.key_id, "name": t.name, "public_key": t.key.b64, "added": t.added}
                for t in keys
            ]
        )
        return 0
    if not keys:
        print(tr("no trusted keys: any intact pack installs (signed or not)"))
        return 0
    print_table(("KEY ID", "NAME", "ADDED"), [(t.key.key_id, t.name, t.added) for t in keys])
    return 0


def cmd_trust_remove(args: argparse.Namespace) -> int:
    """Stop trusting a key."""
    removed = TrustStore().remove(args.key_id)
    print(tr("no longer trusted: {key_id} ({name})", key_id=removed.key.key_id, name=removed.name))
    return 0


# -- team report ----------------------------------------------------------------------------------


def cmd_team_report(args: argparse.Namespace) -> int:
    """Write a team report from agents' usage exports (in the interface language)."""
    output = Path(args.output)
    fmt = args.format or ("csv" if output.suffix.lower() == ".csv" else "html")
    if args.drop:
        from quickreply.commands.team_report_drop import drop_report

        return drop_report(args, load_settings(_open()), fmt)
    if args.since or args.agent:
        raise ValidationError(tr("--since and --agent go with --from FOLDER|URL"))
    report = write_team_report([Path(p) for p in args.inputs], output, fmt, args.title)
    for note in report.notes:
        print(tr("quickreply: note: {note}", note=translate_message(note)), file=sys.stderr)
    print(
        tr_n(
            "{output}: {count} agent, {total_uses} uses, {total_saved_min:.0f} minutes saved",
            "{output}: {count} agents, {total_uses} uses, {total_saved_min:.0f} minutes saved",
            len(report.agents),
            output=args.output,
            total_uses=report.total_uses,
            total_saved_min=report.total_saved_min,
        )
    )
    if report.skipped_lines:
        skipped = tr(
            "skipped {count} malformed export lines (first: {problem})",
            count=report.skipped_lines,
            problem=report.skip_problems[0],
        )
        print(tr("quickreply: {message}", message=skipped), file=sys.stderr)
    return 0
