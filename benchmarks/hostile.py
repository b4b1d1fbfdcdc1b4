"""Issue 13 figures: each hostile input, before (the tree before the fix) and after (this tree).

Every case runs in its own process with a memory cap and a time limit, so the "before" side can
hang or balloon without taking the machine with it; the parent reports seconds, peak memory and
what happened (refused with a clear message, crashed, accepted, cut off).

Run: python benchmarks/hostile.py [--before-rev 0813354] [--cap-mb 3000] [--limit-s 40]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BEFORE_REV = "0813354"  # main as the red team tested it

CASES: dict[str, Callable[[Path], str]] = {}


def case(name: str) -> Callable[[Callable[[Path], str]], Callable[[Path], str]]:
    def register(func: Callable[[Path], str]) -> Callable[[Path], str]:
        CASES[name] = func
        return func

    return register


def _outcome(run: Callable[[], Any]) -> str:
    from quickreply.core.errors import QuickReplyError

    try:
        result = run()
    except QuickReplyError as exc:
        return f"refused: {str(exc)[:90]}"
    except Exception as exc:  # noqa: BLE001 - a crash is what the "before" side may show
        return f"CRASH {type(exc).__name__}: {str(exc)[:60]}"
    return f"accepted ({str(result)[:60]})" if result is not None else "accepted"


def _pack(**snippet: Any) -> dict[str, Any]:
    return {
        "id": "team",
        "name": "Team",
        "version": "1.0.0",
        "created": "2026-01-01T00:00:00+00:00",
        "categories": [{"id": "c1", "name": "售前"}],
        "snippets": [{"id": "s1", "category": "c1", "title": "t", "body": "您好", **snippet}],
    }


# -- the cases (run in the child) ------------------------------------------------------------


@case("7 pack verify: one body of '}}' x 200,000")
def _braces_pack(tmp: Path) -> str:
    from quickreply.core.packs.format import parse_pack

    return _outcome(lambda: parse_pack(_pack(body="}}" * 200_000)))


@case("7 placeholder check: 20,000-char body of '}}'")
def _braces_body(tmp: Path) -> str:
    from quickreply.core.render import placeholder_problems

    problems = placeholder_problems("}}" * 10_000)
    return f"{len(problems)} problems, {sum(map(len, problems)):,} chars of message"


@case("8 YAML billion laughs pack source (~700 bytes)")
def _laughs(tmp: Path) -> str:
    from quickreply.core.packs.file import read_pack_source

    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]"
        for i in range(8)
    ]
    lines += ["id: team", "name: Team", "version: 1.0.0", "categories: [{id: c1, name: x}]"]
    lines += ["snippets: [{id: s1, category: c1, title: t, body: *i}]"]
    source = tmp / "laughs.yaml"
    source.write_text("\n".join(lines))
    return _outcome(lambda: read_pack_source(source))


@case("8 JSON pack nested 100,000 deep")
def _deep_json(tmp: Path) -> str:
    from quickreply.core.packs.file import read_pack_source

    source = tmp / "deep.json"
    source.write_text("[" * 100_000 + "]" * 100_000)
    return _outcome(lambda: read_pack_source(source))


@case("9 pack with a 60 MB description")
def _big_description(tmp: Path) -> str:
    from quickreply.core.packs.format import parse_pack

    data = _pack()
    data["description"] = "长" * 60_000_000
    return _outcome(lambda: parse_pack(data).manifest.id)


@case("9 pack with 300,000 categories")
def _many_categories(tmp: Path) -> str:
    from quickreply.core.packs.format import parse_pack

    data = _pack()
    data["categories"] = [{"id": f"c{i}", "name": f"分类{i}"} for i in range(300_000)]
    data["snippets"][0]["category"] = "c1"
    return _outcome(lambda: len(parse_pack(data).categories))


@case('10 "auto_send": "false"')
def _wrong_type(tmp: Path) -> str:
    from quickreply.core.packs.format import parse_pack

    return _outcome(
        lambda: f"auto_send={parse_pack(_pack(auto_send='false')).snippets[0].auto_send}"
    )


@case("11 install 2.0.0-rc1 over 2.0.0 (no --force)")
def _prerelease(tmp: Path) -> str:
    from quickreply.core.library.store import LibraryStore
    from quickreply.core.packs.manage import install_from
    from quickreply.core.packs.subscriptions import SubscriptionBook

    store = LibraryStore(tmp / "library.json")
    book = SubscriptionBook(tmp / "subscriptions.json")
    source = tmp / "team.json"
    source.write_text(json.dumps({**_pack(), "version": "2.0.0"}))
    install_from(store, str(source), book=book, trusted=[])
    source.write_text(json.dumps({**_pack(body="新"), "version": "2.0.0-rc1"}))
    return _outcome(lambda: install_from(store, str(source), book=book, trusted=[]).status)


@case("12 source folder with assets -> a secret folder")
def _symlink(tmp: Path) -> str:
    from quickreply.core.packs.file import read_pack_source

    secret = tmp / "ssh"
    secret.mkdir()
    (secret / "id_ed25519").write_text("PRIVATE KEY")
    folder = tmp / "src"
    folder.mkdir()
    (folder / "manifest.json").write_text(
        json.dumps({k: v for k, v in _pack().items() if k != "snippets"})
    )
    (folder / "snippets.json").write_text(json.dumps({"snippets": _pack()["snippets"]}))
    os.symlink(secret, folder / "assets")
    return _outcome(lambda: sorted(read_pack_source(folder).assets))


@case("15 download from a server dripping 1 byte / 0.5 s")
def _drip(tmp: Path) -> str:
    import inspect

    from quickreply.core.packs.sources import fetch

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)

    def drip() -> None:
        conn, _ = server.accept()
        conn.recv(4096)
        with contextlib.suppress(OSError):
            for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"x" * 10_000:
                conn.sendall(bytes([byte]))
                time.sleep(0.5)

    threading.Thread(target=drip, daemon=True).start()
    url = f"http://127.0.0.1:{server.getsockname()[1]}/team.qrpack"
    kwargs: dict[str, Any] = {"max_bytes": 1 << 20}
    if "deadline" in inspect.signature(fetch).parameters:
        kwargs["deadline"] = 5.0  # the setting download_deadline_s (default 60) set to 5 here
    return _outcome(lambda: fetch(url, **kwargs))


@case("16 eight malformed HTTP answers")
def _malformed_http(tmp: Path) -> str:
    from quickreply.core.errors import QuickReplyError
    from quickreply.core.packs.sources import fetch

    answers = [
        b"GARBAGE\r\n\r\n",
        b"<html>",
        b"\x00\xff binary\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nX: " + b"a" * 100_000 + b"\r\n\r\n",
        b"HTTP/1.1 200 OK\r\n" + b"".join(b"X%d: v\r\n" % i for i in range(150)) + b"\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nabc",
        b"",
    ]
    clear = crashes = 0
    for answer in answers:
        server = socket.socket()
        server.bind(("127.0.0.1", 0))
        server.listen(1)

        def serve(server: socket.socket = server, answer: bytes = answer) -> None:
            conn, _ = server.accept()
            conn.recv(4096)
            conn.sendall(answer)
            conn.close()

        threading.Thread(target=serve, daemon=True).start()
        try:
            fetch(f"http://127.0.0.1:{server.getsockname()[1]}/p", max_bytes=1 << 20)
        except QuickReplyError:
            clear += 1
        except Exception:  # noqa: BLE001
            crashes += 1
    return f"{clear} clear messages, {crashes} crashes, {len(answers) - clear - crashes} accepted"


@case("3 malformed library.json variants (27)")
def _library_variants(tmp: Path) -> str:
    from quickreply.core.errors import CorruptFileError, QuickReplyError
    from quickreply.core.library.store import LibraryStore

    snippet = {"id": "s-1", "title": "t", "body": "b", "tags": []}
    variants = [
        {"meta": {"1": {"app": "quickreply"}}},
        {"meta": {"1": {"app": "quickreply", "schema": 0}}},
        {"meta": {"1": {"app": "quickreply", "schema": -1}}},
        {"meta": {"1": {"app": "quickreply", "schema": "x"}}},
        {"meta": {"1": {"app": "quickreply", "schema": 1.5}}},
        {"meta": {"1": ["quickreply"]}},
        {"snippets": {"1": "hello"}},
        {"snippets": {"1": {"title": "t"}}},
        {"snippets": {"1": {**snippet, "id": 5}}},
        {"snippets": {"1": {**snippet, "tags": "a"}}},
        {"snippets": {"1": {**snippet, "tags": [1]}}},
        {"snippets": {"1": {**snippet, "hotkey": 12}}},
        {"snippets": {"1": {**snippet, "hotkey": ["ctrl"]}}},
        {"snippets": {"1": {**snippet, "title": {"a": 1}}}},
        {"snippets": {"1": {**snippet, "auto_send": "false"}}},
        {"categories": {"1": {"id": "c-1", "name": "n", "order": "abc"}}},
        {"categories": {"1": {"id": "c-1", "name": "n", "order": True}}},
        {"categories": {"1": {"id": "c-1", "name": 3}}},
        {"packs": {"1": {"name": "p", "version": "1"}}},
        {"packs": {"1": {"id": "p"}}},
        {"settings": {"1": ["x"]}},
        {"settings": {"1": {"language": 5}}},
        {"settings": {"1": {"usage_retention_months": "12"}}},
        {"settings": {"1": {"shop_facts": ["shop"]}}},
        {"settings": {"1": {"reply_speed_tracking": "yes"}}},
        {"snippets": []},
        {},  # an empty file: see below
    ]
    kept = clear = unexpected = silent = 0
    for number, variant in enumerate(variants):
        path = tmp / f"lib{number}" / "library.json"
        path.parent.mkdir()
        doc = {"meta": {"1": {"app": "quickreply", "schema": 1}}, **variant}
        path.write_text(json.dumps(doc) if variant else "  \n")
        try:
            store = LibraryStore(path)
            store.snippets(), store.categories(), store.pack_records()
            [store.category(c.id) for c in store.categories()]
            from quickreply.core.library.settings import load_settings

            load_settings(store).ui_language()
            if store.recovered is not None:
                kept += 1
            else:
                silent += 1
        except CorruptFileError:
            kept += 1
        except QuickReplyError:
            clear += 1
        except Exception:  # noqa: BLE001
            unexpected += 1
    return f"{kept} kept aside, {clear} clear errors, {unexpected} unexpected errors, {silent} used as is"


@case("4 60 stale temp files (1 MB each) beside library.json")
def _temp_files(tmp: Path) -> str:
    from quickreply.core.library.store import LibraryStore

    path = tmp / "library.json"
    LibraryStore(path)
    old = time.time() - 3600
    for n in range(60):
        tmp_file = tmp / f".library.json.{n:08x}.tmp"
        tmp_file.write_bytes(b"x" * 1_000_000)
        os.utime(tmp_file, (old, old))
    LibraryStore(path)
    left = list(tmp.glob(".library.json.*.tmp"))
    return (
        f"{len(left)} left after the next open ({sum(f.stat().st_size for f in left) / 1e6:.0f} MB)"
    )


@case("6 data dir and usage log modes under umask 000")
def _modes(tmp: Path) -> str:
    os.umask(0)
    os.environ["QUICKREPLY_HOME"] = str(tmp / "home")
    from quickreply.core.library.paths import data_dir
    from quickreply.core.usage.log import open_usage_log

    folder = data_dir()
    log = open_usage_log(folder)
    log.close()
    return f"dir {folder.stat().st_mode & 0o777:o}, usage.sqlite3 {(folder / 'usage.sqlite3').stat().st_mode & 0o777:o}"


@case("18 team report: agent '<!--<script>' in the page data")
def _report_script(tmp: Path) -> str:
    import re

    from quickreply.core.library.settings import Settings
    from quickreply.core.usage.export import export_meta
    from quickreply.core.usage.team_report import AgentExport, build_report
    from quickreply.core.usage.team_report_html import render_html

    agent = "<!--<script>"
    page = render_html(
        build_report([AgentExport(agent, export_meta([], [], Settings(), agent, None), [])])
    )
    payload = re.search(r'id="report-data">(.*?)</script>', page, re.S)
    raw = payload.group(1) if payload else ""
    return "raw '<!--<script>' in the script data (charts break)" if "<!--" in raw else "escaped"


@case("18 export with 11 hostile lines among 2 good ones")
def _export_lines(tmp: Path) -> str:
    from quickreply.core.library.settings import Settings
    from quickreply.core.usage.event import UsageEvent
    from quickreply.core.usage.export import export_meta, write_jsonl
    from quickreply.core.usage.team_report import build_report, read_exports

    path = tmp / "a.jsonl"
    good = UsageEvent(
        ts_ms=1_767_225_600_000, snippet_id="p/a", trigger="hotkey", chars=5, inject_ms=1.0
    )
    write_jsonl(path, export_meta([], [], Settings(), "A", None), [good, good], [])
    base = '{"type":"use","snippet_id":"p/a","trigger":"hotkey","chars":1,"inject_ms":1,'
    bad = [
        base + '"ts_ms":1000000000000000000000000000000}',
        base + '"ts_ms":-1000000000000000}',
        '{"type":"use","ts_ms":' + "9" * 5000 + "}",
        '{"type":"use","x":' + "[" * 10_000 + "]" * 10_000 + "}",
        base + '"ts_ms":"now"}',
        "[1]",
        "{{",
        base + '"ts_ms":1,"pick_ms":1e999}',
        '{"type":"reply","ts_ms":1,"compose_ms":"x","used_snippet":true}',
        base + '"ts_ms":1,"pick_ms":NaN}',
        base + '"ts_ms":1,"keys_typed":true}',
    ]
    with path.open("a") as handle:
        handle.write("\n".join(bad) + "\n")

    def report() -> str:
        built = build_report(read_exports([path]))
        skipped = getattr(built, "skipped_lines", "?")
        return f"{built.total_uses} uses, {skipped} lines skipped"

    return _outcome(report)


@case("19 {{clipboard}} x 1,538 with a 1 MB clipboard")
def _clipboard(tmp: Path) -> str:
    from quickreply.core.render import render

    body = "{{clipboard}}" * 1_538
    return _outcome(lambda: f"{len(render(body, {'clipboard': 'x' * 1_000_000}).text):,} chars")


def _cli(*args: str, home: Path | str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QUICKREPLY_HOME=str(home))
    return subprocess.run(
        [sys.executable, "-m", "quickreply", *args],
        capture_output=True, text=True, errors="replace", env=env, timeout=60,
    )  # fmt: skip


@case("1 valid log of 5,000 uses opened on a full disk, then the disk freed")
def _full_disk(tmp: Path) -> str:
    from quickreply.core.usage.event import UsageEvent
    from quickreply.core.usage.log import UsageLog

    mount = tmp / "disk"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)]).returncode:
        return "skipped (needs permission to mount a tmpfs)"
    try:
        log = UsageLog(mount / "usage.sqlite3")
        log.append_many(
            UsageEvent(
                ts_ms=1_767_225_600_000 + n,
                snippet_id="s",
                trigger="hotkey",
                chars=1,
                inject_ms=1.0,
            )
            for n in range(5_000)
        )
        log.close()
        with contextlib.suppress(OSError), (mount / "filler").open("wb") as handle:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        _outcome(lambda: UsageLog(mount / "usage.sqlite3").close())
        (mount / "filler").unlink()
        log = UsageLog(mount / "usage.sqlite3")
        count = log.event_count()
        log.close()
        aside = len(list(mount.glob("*.corrupt-*")))
        return f"{count:,} uses after the disk is freed, {aside} files moved aside"
    finally:
        subprocess.run(["umount", "-l", str(mount)])


@case("2 a foreign SQLite file: header bytes changed by the check")
def _foreign_sqlite(tmp: Path) -> str:
    import sqlite3

    from quickreply.core.usage.log import UsageLog

    path = tmp / "usage.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE other (x)")
    db.commit()
    db.close()
    before = path.read_bytes()
    log = UsageLog(path)
    log.close()
    kept = Path(log.recovered.backup_path) if log.recovered and log.recovered.backup_path else path
    after = kept.read_bytes()
    changed = [i for i in range(min(len(before), len(after), 100)) if before[i] != after[i]]
    return f"{len(changed)} header bytes changed {changed[:4]}"


@case("5 three simultaneous `add --category X`, 4 trials")
def _category_race(tmp: Path) -> str:
    duplicates = 0
    TRIALS = 4  # noqa: N806 - a constant of this case
    for trial in range(TRIALS):
        home = tmp / f"home{trial}"
        _cli("list", home=home)
        env = dict(os.environ, QUICKREPLY_HOME=str(home))
        command = [
            sys.executable,
            "-m",
            "quickreply",
            "add",
            "--title",
            "t",
            "--body",
            "b",
            "--category",
            "X",
        ]
        workers = [
            subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for _ in range(3)
        ]
        for worker in workers:
            worker.wait(60)
        from quickreply.core.library.store import LibraryStore

        names = [c.name for c in LibraryStore(home / "library.json").categories()]
        duplicates += names.count("X") > 1
    return f"{duplicates} of {TRIALS} trials made two or more categories named X"


@case("13 pack name and snippet title with ESC[2J, OSC title, CSI")
def _escapes(tmp: Path) -> str:
    data = _pack(title="T \x1b]0;owned\x07 \x9b2J")
    data["name"] = "Evil \x1b[2J\x1b[31m"
    source = tmp / "evil.json"
    source.write_text(json.dumps(data))
    home = tmp / "home"
    outputs = [_cli("pack", "install", str(source), home=home)]
    outputs += [
        _cli(*c, home=home) for c in (["pack", "list"], ["list"], ["pack", "info", str(source)])
    ]
    raw = sum(o.stdout.count(c) + o.stderr.count(c) for o in outputs for c in "\x1b\x07\x9b")
    return f"{raw} raw control characters printed by install, pack list, list, pack info"


@case("14 forged `files` map with a tab in an entry name")
def _forged_map(tmp: Path) -> str:
    import base64
    import hashlib
    import io
    import zipfile

    from nacl.signing import SigningKey

    from quickreply.core.packs import file as pack_file
    from quickreply.core.packs.format import parse_pack
    from quickreply.core.packs.signing import PublicKey

    raw = zipfile.ZipFile(io.BytesIO(pack_file.pack_bytes(parse_pack(_pack()))))
    entries = {i.filename: raw.read(i) for i in raw.infolist()}
    digests = {n: hashlib.sha256(d).hexdigest() for n, d in entries.items()}
    key = SigningKey.generate()
    listing = "".join(f"{n}\t{digests[n]}\n" for n in sorted(digests))
    signature = key.sign(b"quickreply-pack-signature/1\n" + listing.encode()).signature
    forged_name = f"manifest.json\t{digests['manifest.json']}\nsnippets.json"
    document = {
        "format": "qrpack-signature/1",
        "public_key": PublicKey(bytes(key.verify_key)).b64,
        "files": {forged_name: digests["snippets.json"]},
        "signature": base64.b64encode(signature).decode(),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        for name, data in {**entries, "signature.json": json.dumps(document).encode()}.items():
            out.writestr(name, data)
    return _outcome(lambda: pack_file.read_pack_file(buffer.getvalue()))


@case("17 QUICKREPLY_HOME is a file: 10 commands")
def _home_is_file(tmp: Path) -> str:
    home = tmp / "home-file"
    home.write_text("x")
    commands = [["list"], ["show", "x"], ["add", "--title", "t", "--body", "b"], ["search", "a"],
                ["render", "x"], ["stats"], ["usage", "export", "-o", "-"], ["pack", "list"],
                ["pack", "update"], ["trust", "list"]]  # fmt: skip
    runs = [_cli(*c, home=home) for c in commands]
    tracebacks = sum("Traceback" in r.stderr for r in runs)
    one_line = sum(r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 for r in runs)
    return f"{tracebacks} tracebacks, {one_line} of 10 one clear line"


# -- the parent ------------------------------------------------------------------------------


def _run_child(tree: Path, name: str, cap_mb: int, limit_s: float) -> tuple[float, float, str]:
    env = dict(os.environ, PYTHONPATH=str(tree), QT_QPA_PLATFORM="offscreen")
    with tempfile.TemporaryDirectory() as tmp:
        env["QUICKREPLY_HOME"] = str(Path(tmp) / "home")

        def limit() -> None:
            resource.setrlimit(resource.RLIMIT_AS, (cap_mb << 20, cap_mb << 20))

        started = time.monotonic()
        child = subprocess.Popen(
            [sys.executable, __file__, "--child", name, "--tmp", tmp],
            env=env,
            cwd=tmp,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            preexec_fn=limit,
        )
        killed_peak: list[float] = []

        def cut_off() -> None:
            killed_peak.append(_vm_hwm_mb(child.pid))
            child.kill()

        timer = threading.Timer(limit_s, cut_off)
        timer.start()
        out, err = child.communicate()
        timer.cancel()
        seconds = time.monotonic() - started
    peak = killed_peak[0] if killed_peak else _peak_mb(out)
    text = out.decode("utf-8", "replace").strip().splitlines()
    if child.returncode == -9:
        return seconds, peak, f"CUT OFF after {limit_s:.0f} s (still running)"
    if child.returncode and not text:
        last = err.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
        if "MemoryError" in last[0]:
            return seconds, peak, f"MEMORY CAP of {cap_mb} MB hit (MemoryError)"
        return seconds, peak, f"CRASH: {last[0][:70]}"
    return seconds, peak, (text[0] if text else "?")


def _vm_hwm_mb(pid: int) -> float:
    """Peak resident memory of a running process (Linux), read just before it is cut off."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _peak_mb(out: bytes) -> float:
    for line in out.decode("utf-8", "replace").splitlines():
        if line.startswith("PEAK "):
            return float(line.split()[1])
    return float("nan")


def _child(name: str, tmp: Path) -> None:
    try:
        result = CASES[name](tmp)
    except MemoryError:
        result = "MEMORY CAP hit (MemoryError)"
    print(result)
    print(f"PEAK {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")
    sys.stdout.flush()
    os._exit(0)  # daemon threads (drip servers) must not hold the exit


def _before_tree(rev: str) -> Path:
    folder = Path(tempfile.gettempdir()) / f"quickreply-before-{rev}"
    if not (folder / "quickreply").is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", rev], capture_output=True, check=True
        )
        subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before-rev", default=BEFORE_REV)
    parser.add_argument("--cap-mb", type=int, default=3000, help="memory cap per case")
    parser.add_argument("--limit-s", type=float, default=40.0, help="time limit per case")
    parser.add_argument("--only", help="run only the cases whose name contains this")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--tmp", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, Path(args.tmp))
        return
    trees = {"before": _before_tree(args.before_rev), "after": ROOT}
    print(
        f"before = {args.before_rev}, after = this tree; cap {args.cap_mb} MB, {args.limit_s:.0f} s"
    )
    for name in CASES:
        if args.only and args.only not in name:
            continue
        print(f"\n{name}")
        for label, tree in trees.items():
            seconds, peak, outcome = _run_child(tree, name, args.cap_mb, args.limit_s)
            print(f"  {label:6} {seconds:7.2f} s  peak {peak:7.0f} MB  {outcome}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
