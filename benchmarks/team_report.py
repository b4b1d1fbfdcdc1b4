"""Team report at scale (issue 17): 300 agents x 90 days = 27,000 day files, from a local folder
and from a WebDAV server (WsgiDAV) on this machine, with the peak memory of the report process;
then, with the reader's cache (core/team/day_cache.py) the first report filled, a second report
after every agent re-published their newest day (it reads 300 files, not 27,000).

    PYTHONPATH=$PWD python benchmarks/team_report.py [--agents 300] [--days 90] [--uses 40]

The drop is generated with the publisher's own day-file code (core/team/dayfile.py): each agent's
newest day lists the whole library, older days only the snippets they used, as the app writes
them. Each report runs in a fresh child process so its peak RSS and CPU time are its own (on a
shared machine the wall time includes waiting for a core; the CPU time does not, and for WebDAV it
leaves out the server's work).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from quickreply.core.library.settings import Settings
from quickreply.core.packs.defaults import default_pack_dirs
from quickreply.core.packs.format import load_pack
from quickreply.core.team.dayfile import day_bounds_ms, day_file
from quickreply.core.usage.event import ReplySample, UsageEvent
from quickreply.core.usage.export import export_meta
from quickreply.core.usage.metrics import char_classes

REPORT_CHILD = """
import json, resource, sys, time
from pathlib import Path
from quickreply.core.team.day_cache import DayCache
from quickreply.core.team.location import open_drop
from quickreply.core.team.report import write_drop_report
started = time.perf_counter()
cache = DayCache(Path(sys.argv[3]), sys.argv[1])
result = write_drop_report(open_drop(sys.argv[1]), sys.argv[2], "html", cache=cache)
cache.close()
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"seconds": time.perf_counter() - started,
                  "cpu_seconds": usage.ru_utime + usage.ru_stime,
                  "peak_rss_mb": usage.ru_maxrss / 1024,
                  "files": result.counts.read, "skipped": result.counts.skipped,
                  "fetched": result.counts.read - result.counts.cached,
                  "agents": len(result.report.agents), "uses": result.report.total_uses}))
"""


def generate(root: Path, agents: int, days: int, uses: int, seed: int = 17) -> tuple[int, int]:
    """Write the drop; return (files, bytes)."""
    rng = random.Random(seed)
    pack = load_pack(default_pack_dirs()[0])
    snippets = list(pack.snippets)
    classes = {s.id: char_classes(s.body) for s in snippets}
    today = date.today()
    files = size = 0
    for a in range(agents):
        agent_id = f"{rng.getrandbits(128):032x}"
        settings = Settings(typing_speed_cjk_cpm=rng.randint(35, 90))
        meta = export_meta(snippets, [], settings, f"坐席{a:03d}", None)
        folder = root / agent_id
        folder.mkdir(parents=True)
        for d in range(days):
            day = today - timedelta(days=days - 1 - d)
            start, _end = day_bounds_ms(day)
            events = []
            for _ in range(rng.randint(uses // 2, uses * 3 // 2)):
                s = rng.choice(snippets)
                cjk, latin = classes[s.id]
                events.append(
                    UsageEvent(
                        ts_ms=start + rng.randint(9 * 3_600_000, 21 * 3_600_000),
                        snippet_id=s.id,
                        trigger=rng.choice(("hotkey", "palette", "abbreviation")),
                        chars=cjk + latin,
                        inject_ms=rng.uniform(15, 60),
                        pack_id=s.pack_id,
                        pack_version=s.pack_version,
                        pick_ms=rng.uniform(600, 4000),
                        target_app="AliWorkBench",
                        cjk_chars=cjk,
                        latin_chars=latin,
                    )
                )
            replies = [
                ReplySample(start + 36_000_000 + n, rng.randint(3_000, 200_000), True)
                for n in range(uses // 2)
            ]
            used = {e.snippet_id for e in events}
            day_meta = (
                meta
                if d == days - 1
                else {
                    **meta,
                    "snippets": [x for x in meta["snippets"] if x["id"] in used],
                }
            )
            data, _ = day_file(day_meta, agent_id, day, events, replies)
            (folder / f"{day.isoformat()}.jsonl").write_bytes(data)
            files += 1
            size += len(data)
    return files, size


def republish_newest(root: Path) -> int:
    """Write every agent's newest day file again (a new mtime and ETag); return how many."""
    count = 0
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        newest = max(folder.glob("*.jsonl"))
        data = newest.read_bytes()
        time.sleep(0.001)  # a new mtime even on coarse clocks
        newest.write_bytes(data)
        count += 1
    return count


def run_report(location: str, output: Path, cache: Path) -> dict[str, float]:
    """Build the report in a child process (with the reader's cache at `cache`); its figures."""
    out = subprocess.run(
        [sys.executable, "-c", REPORT_CHILD, location, str(output), str(cache)],
        capture_output=True,
        text=True,
        check=True,
    )
    figures: dict[str, float] = json.loads(out.stdout)
    return figures


def main() -> int:
    """Generate the drop, time the report from the folder and from WebDAV, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=300)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--uses", type=int, default=40, help="mean uses per agent and day")
    parser.add_argument("--no-webdav", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="qr-team-bench-") as tmp:
        root = Path(tmp) / "drop"
        started = time.perf_counter()
        files, size = generate(root, args.agents, args.days, args.uses)
        print(
            f"generated {files} day files ({args.agents} agents x {args.days} days, "
            f"~{args.uses} uses/day), {size / 1e6:.0f} MB, in {time.perf_counter() - started:.1f} s"
        )
        sources = [("local folder", str(root), 10)]
        server = None
        if not args.no_webdav:
            sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
            from tests.davserver import DavServer

            server = DavServer(root).start()
            sources.append(("WebDAV (WsgiDAV, 127.0.0.1)", server.url, 60))
        try:
            first = [
                run_report(loc, Path(tmp) / "r.html", Path(tmp) / f"cache{n}.sqlite3")
                for n, (_name, loc, _t) in enumerate(sources)
            ]
            for (name, _loc, target), figures in zip(sources, first):
                print(_line(f"{name}, first report", figures, target))
            changed = republish_newest(root)
            print(f"re-published the newest day of {changed} agents")
            for n, (name, loc, target) in enumerate(sources):
                again = run_report(loc, Path(tmp) / "r.html", Path(tmp) / f"cache{n}.sqlite3")
                print(_line(f"{name}, second report (cache)", again, target))
        finally:
            if server is not None:
                server.stop()
    return 0


def _line(source: str, f: dict[str, float], target_s: int) -> str:
    return (
        f"{source}: {f['seconds']:.1f} s wall (target < {target_s} s), "
        f"{f['cpu_seconds']:.1f} s CPU of the report process, peak RSS "
        f"{f['peak_rss_mb']:.0f} MB; {int(f['files'])} files read ({int(f['fetched'])} from the "
        f"drop, the others from the cache), {int(f['skipped'])} skipped, "
        f"{int(f['agents'])} agents, {int(f['uses'])} uses"
    )


if __name__ == "__main__":
    sys.exit(main())
