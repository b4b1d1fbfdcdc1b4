"""Deterministic usage exports of a small team, for the team-report tests and the screenshot."""

from __future__ import annotations

import random
from pathlib import Path

from quickreply.core.library.settings import Settings
from quickreply.core.packs.defaults import default_pack_dirs
from quickreply.core.packs.format import load_pack
from quickreply.core.usage.event import UsageEvent
from quickreply.core.usage.export import export_meta, write_jsonl
from quickreply.core.usage.metrics import char_classes

AGENTS = (("小王", 400, 60), ("小李", 250, 45), ("小张", 120, 80))
START_MS = 1_767_225_600_000  # 2026-01-01 00:00 UTC


def write_sample_exports(folder: Path, seed: int = 7) -> list[Path]:
    """Write one JSON Lines export per sample agent into `folder`; return their paths.

    Uses follow a skewed distribution over the default zh-CN pack, so the ranking has a clear
    head and some snippets are never used.
    """
    rng = random.Random(seed)
    pack = load_pack(default_pack_dirs()[0])
    shuffled = list(pack.snippets)
    rng.shuffle(shuffled)
    popular = shuffled[: len(shuffled) * 2 // 3]  # the other third is never used
    weights = [1 / (rank + 1) for rank in range(len(popular))]
    paths = []
    for agent, count, cpm in AGENTS:
        settings = Settings(typing_speed_cjk_cpm=cpm)
        events = []
        for n in range(count):
            snippet = rng.choices(popular, weights)[0]
            cjk, latin = char_classes(snippet.body)
            trigger = rng.choice(("hotkey", "palette", "palette", "abbreviation"))
            events.append(
                UsageEvent(
                    ts_ms=START_MS + n * 1_500_000 + rng.randrange(600_000),
                    snippet_id=snippet.id,
                    trigger=trigger,
                    chars=len(snippet.body),
                    inject_ms=rng.uniform(30, 120),
                    pack_id=pack.id,
                    pack_version=pack.manifest.version,
                    category=snippet.category,
                    keys_typed=rng.randrange(1, 6),
                    pick_ms=rng.uniform(700, 4_000) if trigger == "palette" else None,
                    target_app="AliWorkBench.exe",
                    cjk_chars=cjk,
                    latin_chars=latin,
                )
            )
        meta = export_meta(pack.snippets, pack.categories, settings, agent, None)
        path = Path(folder) / f"usage-{len(paths) + 1}.jsonl"
        write_jsonl(path, meta, events, [])
        paths.append(path)
    return paths
