"""Shared pieces of the hostile-input fuzz tests: JSON-like values, mutations, and the bound every
parser must keep (a clear QuickReplyError or a result, in bounded time and memory)."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from quickreply.core.errors import QuickReplyError
from tests.hostile import tried

MAX_SECONDS = 10.0  # per input, on a loaded 2-core machine: "ends", not "fast"
MAX_PEAK_BYTES = 200_000_000

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(["", "}}", "{{", "{{clipboard}}", "\x1b[2J", "1e999", "../../x", "ctrl+alt+1"]),
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=12), inner, max_size=5)
    ),
    max_leaves=30,
)


def bounded(area: str, parse: Callable[[], Any]) -> Any:
    """Run `parse`; it must return or raise QuickReplyError, within the time and memory bound."""
    tried(area)
    started = time.monotonic()
    tracemalloc.start()
    try:
        return parse()
    except QuickReplyError:
        return None
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert time.monotonic() - started < MAX_SECONDS
        assert peak < MAX_PEAK_BYTES


@st.composite
def mutated(draw: st.DrawFn, base: Any) -> Any:
    """`base` (a JSON-like value) with a few of its values replaced by hostile ones."""
    value = _copy(base)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        value = _replace_one(draw, value)
    return value


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _replace_one(draw: st.DrawFn, value: Any) -> Any:
    if isinstance(value, dict) and value and draw(st.booleans()):
        key = draw(st.sampled_from(sorted(value)))
        value[key] = _replace_one(draw, value[key])
        return value
    if isinstance(value, list) and value and draw(st.booleans()):
        index = draw(st.integers(min_value=0, max_value=len(value) - 1))
        value[index] = _replace_one(draw, value[index])
        return value
    return draw(JSON_VALUES)
