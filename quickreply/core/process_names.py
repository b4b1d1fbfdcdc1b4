"""Process names as rules see them: ``WeChat.exe``, ``C:\\...\\wechat.EXE`` and ``wechat`` are one app.

Windows reports image names with ``.exe`` and any case, Linux reports ``comm`` names; per-app
settings (paste keys, the reply-speed chat list) compare names through `normalize_process_name`.
"""

from __future__ import annotations

from collections.abc import Iterable


def normalize_process_name(name: str) -> str:
    """Return the comparable form of a process name: no folder, lower case, no ``.exe``."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip().lower()
    return base[: -len(".exe")] if base.endswith(".exe") else base


def same_process(first: str, second: str) -> bool:
    """True if two process names denote the same application."""
    return normalize_process_name(first) == normalize_process_name(second)


def normalized_names(names: Iterable[str]) -> frozenset[str]:
    """Return the set of normalised names, for membership tests."""
    return frozenset(normalize_process_name(n) for n in names if n.strip())
