"""Build the project's wheel from a clean copy of the working tree (no stale build/ folder)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_SKIP = shutil.ignore_patterns(
    ".git", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis", "artifacts"
)


def build_wheel(workdir: Path) -> Path:
    """Copy the tree into `workdir`, run `pip wheel --no-deps` there and return the wheel's path."""
    source = workdir / "src"
    shutil.copytree(ROOT, source, ignore=_SKIP)
    out = workdir / "wheelhouse"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", str(source), "-w", str(out)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (wheel,) = out.glob("quickreply-*.whl")
    return wheel
