"""`quickreply import` / `import --undo` / `export`, run as real subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "importers"


def qr(*args: object, home: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if home is not None:
        env["QUICKREPLY_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "quickreply", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=60,
    )


def listing(category: str | None = None, home: Path | None = None) -> list[dict]:
    args = ["list", "--json"] + (["--category", category] if category else [])
    out = qr(*args, home=home)
    assert out.returncode == 0, out.stderr
    return [s for s in json.loads(out.stdout) if not s["pack_id"]]


def test_dry_run_prints_the_preview_and_writes_nothing(quickreply_home):
    qr("list")  # creates the library with the default packs
    library = quickreply_home / "library.json"
    before = library.read_bytes()
    out = qr("import", FIXTURES / "ahk" / "hotstrings.ahk", "--dry-run")
    assert out.returncode == 0, out.stderr
    assert "hotstrings.ahk (ahk): 7 to add, 0 already there (merged)" in out.stdout
    assert "runs code (option X); never run" in out.stdout
    assert "Nothing was written (--dry-run)." in out.stdout
    assert library.read_bytes() == before
    assert not (quickreply_home / "last_import.json").exists()


def test_import_then_undo_as_one_step(quickreply_home):
    out = qr("import", FIXTURES / "espanso", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["applied"] is True and len(data["added"]) == 11
    assert {
        "where": "match/base.yml: match 5 (:ip)",
        "reason": "variable 'ip' of type shell is not supported (never run)",
    } in data["skipped"]
    assert len(listing()) == 11
    again = json.loads(qr("import", FIXTURES / "espanso", "--json").stdout)
    assert again["applied"] is False and len(again["merged"]) == 11
    out = qr("import", "--undo")
    assert out.returncode == 0, out.stderr
    assert "11 removed" in out.stdout
    assert listing() == []
    out = qr("import", "--undo")
    assert (out.returncode, out.stderr.strip()) == (2, "quickreply: there is no import to undo")


def test_category_option_and_format_option(quickreply_home):
    out = qr(
        "import",
        FIXTURES / "beeftext" / "combos.csv",
        "--format",
        "beeftext",
        "--category",
        "旧短语",
    )
    assert out.returncode == 0, out.stderr
    assert sorted(s["abbrev"] for s in listing("旧短语")) == ["bye", "hy"]


@pytest.mark.parametrize("name", ["phrases.csv", "phrases.xlsx"])
def test_export_imports_back_unchanged(quickreply_home, tmp_path, name):
    assert qr("import", FIXTURES / "sheets" / "qianniu-gbk.csv").returncode == 0
    assert qr("import", FIXTURES / "sheets" / "jingmai-utf8-bom.csv").returncode == 0
    sheet = tmp_path / name
    out = qr("export", sheet, "--category", "售后", "--category", "售前")
    assert out.returncode == 0, out.stderr
    assert "4 phrases written" in out.stdout
    other = tmp_path / "other-home"
    other.mkdir()
    out = qr("import", sheet, home=other)
    assert out.returncode == 0, out.stderr

    def content(home):
        return sorted(
            (s["category_name"], s["abbrev"] or "", s["title"], s["body"])
            for s in listing(home=home)
            if s["category_name"] in ("售后", "售前")
        )

    assert content(other) == content(quickreply_home)
    assert len(content(other)) == 4


def test_bad_input_is_one_clear_line(quickreply_home, tmp_path):
    for args, message in [
        (["import", tmp_path / "nothere.csv"], "no such file or folder"),
        (["import"], "give the PATH to import"),
        (["import", tmp_path / "a.bin"], "cannot tell the format"),
        (["export", tmp_path / "x.txt"], "export writes .csv or .xlsx files"),
    ]:
        if str(args[-1]).endswith(".bin"):
            (tmp_path / "a.bin").write_bytes(b"\x00\x01")
        out = qr(*args)
        assert out.returncode == 2
        assert message in out.stderr and "Traceback" not in out.stderr
        assert len(out.stderr.strip().splitlines()) == 1
