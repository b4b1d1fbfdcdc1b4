"""Measuring suggestions against labelled buyer messages: top-1 and top-3 accuracy by category and
by snippet, per category, and the worst misses (tests/fixtures/suggest_messages.yaml, the benchmark).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from quickreply.core.errors import ValidationError
from quickreply.core.suggest.index import SuggestIndex


@dataclass(frozen=True)
class Labelled:
    """One buyer message and the replies that answer it (pack-local category and snippet ids)."""

    message: str
    categories: tuple[str, ...]
    snippets: tuple[str, ...] = ()


@dataclass(frozen=True)
class Miss:
    """A message whose first right category was not first: where it came (0: not in the top 10)."""

    message: str
    expected: tuple[str, ...]
    got: tuple[str, ...]  # local category ids of the first three suggestions
    rank: int


@dataclass
class Accuracy:
    """Shares of messages with a right answer first (top-1) and among the first three (top-3)."""

    count: int = 0
    category_top1: float = 0.0
    category_top3: float = 0.0
    snippet_top1: float = 0.0
    snippet_top3: float = 0.0
    by_category: dict[str, tuple[int, float, float]] = field(default_factory=dict)
    misses: list[Miss] = field(default_factory=list)


def load_labelled(path: Path) -> list[Labelled]:
    """Read a labelled set (``messages:`` of message, categories, snippets); ValidationError if bad."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        return [
            Labelled(
                str(item["message"]),
                tuple(str(c) for c in item["categories"]),
                tuple(str(s) for s in item.get("snippets") or ()),
            )
            for item in data["messages"]
        ]
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise ValidationError(f"{path}: not a labelled message set ({exc})") from exc


def _local(library_id: str) -> str:
    return library_id.rsplit("/", 1)[-1]


def evaluate(index: SuggestIndex, labelled: list[Labelled], depth: int = 10) -> Accuracy:
    """Return how well `index` ranks the right replies for `labelled` messages."""
    result = Accuracy(count=len(labelled))
    if not labelled:
        return result
    totals = {"c1": 0, "c3": 0, "s1": 0, "s3": 0}
    per: dict[str, list[int]] = {}
    snippet_labelled = 0
    for item in labelled:
        found = index.suggest(item.message, depth)
        categories = [_local(s.snippet.category) for s in found]
        snippets = [_local(s.snippet.id) for s in found]
        rank = next((i + 1 for i, c in enumerate(categories) if c in item.categories), 0)
        totals["c1"] += rank == 1
        totals["c3"] += 0 < rank <= 3
        tally = per.setdefault(item.categories[0], [0, 0, 0])
        tally[0] += 1
        tally[1] += rank == 1
        tally[2] += 0 < rank <= 3
        if item.snippets:
            snippet_labelled += 1
            hit = next((i + 1 for i, s in enumerate(snippets) if s in item.snippets), 0)
            totals["s1"] += hit == 1
            totals["s3"] += 0 < hit <= 3
        if rank != 1:
            result.misses.append(Miss(item.message, item.categories, tuple(categories[:3]), rank))
    count = len(labelled)
    result.category_top1 = totals["c1"] / count
    result.category_top3 = totals["c3"] / count
    result.snippet_top1 = totals["s1"] / max(1, snippet_labelled)
    result.snippet_top3 = totals["s3"] / max(1, snippet_labelled)
    result.by_category = {c: (n, one / n, three / n) for c, (n, one, three) in sorted(per.items())}
    # worst first: not found at all, then found lowest
    result.misses.sort(key=lambda m: (m.rank != 0, -m.rank))
    return result
