"""The stored pinyin readings: the index built from them is the same, and pypinyin stays unloaded
when every character is known; a damaged file is moved aside and the readings looked up again."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

from quickreply.core.search.pinyin import char_readings, known_readings
from quickreply.core.search.reading_cache import (
    CACHE_NAME,
    load_reading_cache,
    save_reading_cache,
)


def test_stored_readings_read_back_the_same(tmp_path: Path):
    for char in "重退款行":
        char_readings(char)
    readings, _looked_up = known_readings()
    save_reading_cache(tmp_path / CACHE_NAME, readings)
    loaded = load_reading_cache(tmp_path / CACHE_NAME)
    assert {c: tuple(r) for c, r in loaded.items()} == readings
    assert loaded["重"][:2] == ["zhong", "chong"]


def test_a_damaged_or_foreign_file_is_moved_aside_and_reported(tmp_path: Path, caplog):
    path = tmp_path / CACHE_NAME
    for text in ('{"format": 1, "readings": {"ab": ["x"]}}', "not json", '{"readings": []}'):
        path.write_text(text, encoding="utf-8")
        with caplog.at_level(logging.WARNING):
            assert load_reading_cache(path) == {}
        assert not path.exists()
    assert len(list(tmp_path.glob(f"{CACHE_NAME}.corrupt-*"))) == 3
    assert "moved" in caplog.text or "corrupt" in caplog.text


def test_a_missing_file_is_no_readings(tmp_path: Path):
    assert load_reading_cache(tmp_path / CACHE_NAME) == {}


_BUILD = """
import json, sys
from quickreply.core.packs.defaults import open_library
from quickreply.core.search.index import SearchIndex
from quickreply.core.search.pinyin import add_known_readings, known_readings
from quickreply.core.search.reading_cache import load_reading_cache, save_reading_cache
path = sys.argv[1]
add_known_readings(load_reading_cache(__import__("pathlib").Path(path)))
store = open_library()
index = SearchIndex(store.snippets(), store.categories())
index.prepare()
readings, looked_up = known_readings()
if looked_up:
    save_reading_cache(__import__("pathlib").Path(path), readings)
hits = [h.snippet.id for q in ("tk", "tuikuan", "cuifu", "zhong", "chong") for h in index.query(q)]
print(json.dumps({"pypinyin": "pypinyin" in sys.modules, "looked_up": looked_up, "hits": hits}))
"""


def test_an_index_built_from_stored_readings_is_the_same_and_loads_no_pypinyin(tmp_path: Path):
    path = str(tmp_path / CACHE_NAME)

    def build() -> dict:
        out = subprocess.run(
            [sys.executable, "-c", _BUILD, path], capture_output=True, text=True, timeout=120
        )
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout)

    first, second = build(), build()
    assert first["pypinyin"] and first["looked_up"] > 100  # the default packs' characters
    assert not second["pypinyin"] and second["looked_up"] == 0
    assert second["hits"] == first["hits"] and first["hits"]
