"""The `quickreply` command line in its own process, as a script or an agent runs it."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping


def qr(
    *args: str, env: Mapping[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run `python -m quickreply ARGS` (UTF-8 output captured, no stdin); return the result."""
    return subprocess.run(
        [sys.executable, "-m", "quickreply", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        stdin=subprocess.DEVNULL,
        timeout=timeout,
        env=None if env is None else dict(env),
    )
