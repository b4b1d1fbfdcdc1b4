"""The built wheel works on its own: installed into a fresh venv, run outside the checkout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from tests.packaging.wheel_build import ROOT, build_wheel


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_wheel(tmp_path_factory.mktemp("wheel"))


def _venv_python(path: Path) -> Path:
    return path / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")


def _venv_script(path: Path, name: str) -> Path:
    return path / (f"Scripts/{name}.exe" if sys.platform == "win32" else f"bin/{name}")


def test_wheel_lists_every_file_under_resources(wheel: Path) -> None:
    shipped = {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "resources").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        (record,) = [n for n in names if n.endswith(".dist-info/RECORD")]
        recorded = {line.split(",")[0] for line in archive.read(record).decode().splitlines()}
    expected = {f"quickreply/{name}" for name in shipped}
    assert shipped and expected <= names
    assert expected <= recorded


def test_wheel_installed_in_fresh_venv_lists_default_packs(
    wheel: Path, tmp_path: Path, quickreply_home: Path
) -> None:
    # nothing from the checkout: no PYTHONPATH (pip would think the package is installed already)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["QUICKREPLY_HOME"] = str(quickreply_home)
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = _venv_python(env_dir)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "-q",
            str(wheel),
        ],
        check=True,
        capture_output=True,
        env=env,
        timeout=300,
    )
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # dependencies come from this interpreter's site-packages, appended after the venv's own
    # (a plain path line: the editable install's finder there is not loaded)
    (Path(purelib) / "_deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    located = subprocess.run(
        [str(python), "-c", "import quickreply; print(quickreply.__file__)"],
        cwd=outside,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert Path(located).resolve().is_relative_to(env_dir.resolve())
    out = subprocess.run(
        [str(_venv_script(env_dir, "quickreply")), "list", "--json"],
        cwd=outside,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    packs = {row["pack_id"] for row in json.loads(out.stdout)}
    assert packs == {"qr-default-zh", "qr-default-en"}
