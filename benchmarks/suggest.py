"""Suggestion figures: accuracy on the labelled buyer messages, speed at 10,000 snippets, memory of
the segmenter and the index, the segmenter candidates side by side, and hotkey -> palette shown.

Accuracy: tests/fixtures/suggest_messages.yaml against the default packs (top-1 / top-3, by
category and by snippet, per category, the worst misses). Speed: every labelled message suggested
against 10,000 snippets (the default packs' snippets, with their questions, repeated under new
titles: the long posting lists are the slow case), median of 5 rounds per message.
Run: python benchmarks/suggest.py [--misses N]
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from offscreen import quiet_offscreen_warnings  # noqa: E402 - benchmarks/ is on sys.path

from benchmarks.stand_ins import NoKeys, NoLog  # noqa: E402
from quickreply.core.library.model import Category, Snippet  # noqa: E402
from quickreply.core.packs.defaults import default_pack_dirs  # noqa: E402
from quickreply.core.packs.format import load_pack  # noqa: E402
from quickreply.core.suggest.evaluate import evaluate, load_labelled  # noqa: E402
from quickreply.core.suggest.index import SuggestIndex  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
LABELLED = FIXTURES / "suggest_messages.yaml"
# written later, each measured once before any change it prompted (see their headers)
OTHER_SETS = [FIXTURES / f"suggest_messages_{name}.yaml" for name in ("holdout", "blind", "fresh")]
COUNT = 10_000
LIMIT = 9  # suggestions the palette lists
ROUNDS = 5
SCENES = ["", "（淘宝）", "（京东）", "（拼多多）", "（抖店）", "老客", "新客", "大促", "夜间",
          "周末", " VIP", " holiday", " night", " sale", " bulk", " overseas"]  # fmt: skip

# each candidate segmenter, measured in a fresh interpreter: import + dictionary load, one cut
_SEGMENTER_PROBE = r"""
import json, sys, time
def rss():
    with open("/proc/self/status") as f:
        return next(int(l.split()[1]) for l in f if l.startswith("VmRSS")) / 1024
name, messages = sys.argv[1], json.loads(sys.stdin.read())
before, start = rss(), time.perf_counter()
if name == "rjieba":
    import rjieba
    cut = rjieba.Jieba().cut_for_search
elif name == "jieba":
    import jieba
    jieba.setLogLevel(60)
    jieba.initialize()
    cut = jieba.lcut_for_search
elif name == "jieba-fast":
    import jieba_fast
    jieba_fast.setLogLevel(60)
    jieba_fast.initialize()
    cut = jieba_fast.lcut_for_search
loaded = time.perf_counter()
cut(messages[0])
spent = []
for _ in range(20):
    t = time.perf_counter()
    for m in messages:
        cut(m)
    spent.append((time.perf_counter() - t) / len(messages))
print(json.dumps({"load_ms": (loaded - start) * 1000, "us": sorted(spent)[10] * 1e6,
                  "rss_mb": rss() - before}))
"""

_MEMORY_PROBE = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
sys.path.insert(0, sys.argv[1] + "/benchmarks")
def rss():
    with open("/proc/self/status") as f:
        return next(int(l.split()[1]) for l in f if l.startswith("VmRSS")) / 1024
from suggest import large_library
from quickreply.core.suggest.analyzer import default_segmenter
from quickreply.core.suggest.index import SuggestIndex
snippets, categories = large_library()
base = rss()
default_segmenter().cut_for_search("预热")
segmenter = rss()
index = SuggestIndex(snippets, categories)
built = rss()
print(json.dumps({"segmenter_mb": segmenter - base, "index_mb": built - segmenter}))
"""


# the BM25 libraries considered, on the same terms of the same 10,000 snippets (fresh process)
_LIBRARY_PROBE = r"""
import json, sys, time
sys.path.insert(0, sys.argv[2])
sys.path.insert(0, sys.argv[2] + "/benchmarks")
def rss():
    with open("/proc/self/status") as f:
        return next(int(l.split()[1]) for l in f if l.startswith("VmRSS")) / 1024
from suggest import LABELLED, large_library
from quickreply.core.suggest.analyzer import Analyzer
from quickreply.core.suggest.evaluate import load_labelled
snippets, _ = large_library()
analyzer = Analyzer()
docs = [[t.key for t in analyzer.terms(" ".join((*s.questions, s.title, *s.tags, s.body)))]
        for s in snippets]
queries = [[t.key for t in analyzer.terms(i.message)] for i in load_labelled(LABELLED)]
before, start = rss(), time.perf_counter()
if sys.argv[1] == "rank-bm25":
    from rank_bm25 import BM25Okapi
    bm = BM25Okapi(docs)
    score = bm.get_scores
else:
    import bm25s
    vocab = {}
    ids = [[vocab.setdefault(k, len(vocab)) for k in d] for d in docs]
    bm = bm25s.BM25()
    bm.index(bm25s.tokenization.Tokenized(ids=ids, vocab=vocab), show_progress=False)
    score = lambda q: bm.get_scores([vocab[k] for k in q if k in vocab] or [0])
built = time.perf_counter()
spent = []
for q in queries:
    t = time.perf_counter()
    score(q)
    spent.append((time.perf_counter() - t) * 1000)
spent.sort()
print(json.dumps({"build_s": built - start, "p95_ms": spent[round(0.95 * (len(spent) - 1))],
                  "rss_mb": rss() - before}))
"""


def default_library() -> tuple[list[Snippet], list[Category]]:
    """Return the default packs' snippets and categories, as installed."""
    snippets: list[Snippet] = []
    categories: list[Category] = []
    for folder in default_pack_dirs():
        pack = load_pack(folder)
        snippets += pack.snippets
        categories += pack.categories
    return snippets, categories


def large_library() -> tuple[list[Snippet], list[Category]]:
    """Return 10,000 snippets: the default ones with their questions, repeated under new titles."""
    snippets, categories = default_library()
    large = [
        Snippet(
            id=f"s-{i:05d}",
            title=snippets[i % len(snippets)].title + SCENES[(i // len(snippets)) % len(SCENES)],
            body=snippets[i % len(snippets)].body,
            category=snippets[i % len(snippets)].category,
            tags=snippets[i % len(snippets)].tags,
            questions=snippets[i % len(snippets)].questions,
        )
        for i in range(COUNT)
    ]
    return large, categories


def percentile(values: list[float], share: float) -> float:
    """Return the value below which `share` of `values` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def accuracy_figures(misses: int) -> None:
    """Print top-1/top-3 accuracy on the labelled set, per category, and the worst misses."""
    labelled = load_labelled(LABELLED)
    result = evaluate(SuggestIndex(*default_library()), labelled)
    print(f"labelled buyer messages: {result.count} ({LABELLED.relative_to(ROOT)})")
    print(
        f"by category: top-1 {result.category_top1:.1%}, top-3 {result.category_top3:.1%}   "
        f"by snippet: top-1 {result.snippet_top1:.1%}, top-3 {result.snippet_top3:.1%}"
    )
    for category, (count, first, top3) in result.by_category.items():
        print(f"  {category:<15} {count:>3} messages   top-1 {first:6.1%}   top-3 {top3:6.1%}")
    print(f"worst misses (rank of the first right category; 0: not in the top 10), {misses} shown:")
    for miss in result.misses[:misses]:
        got = ", ".join(miss.got) or "nothing"
        print(f"  {miss.rank}  {miss.message}  (want {'/'.join(miss.expected)}; got {got})")
    for path in OTHER_SETS:
        if not path.exists():
            continue
        other = evaluate(SuggestIndex(*default_library()), load_labelled(path))
        print(
            f"{path.name} ({other.count} messages): by category top-1 {other.category_top1:.1%}, "
            f"top-3 {other.category_top3:.1%}; by snippet top-1 {other.snippet_top1:.1%}, "
            f"top-3 {other.snippet_top3:.1%}"
        )


def speed_figures() -> None:
    """Print index build time and per-suggestion times at 10,000 snippets."""
    snippets, categories = large_library()
    messages = [item.message for item in load_labelled(LABELLED)]
    start = time.perf_counter()
    index = SuggestIndex(snippets, categories)
    build = time.perf_counter() - start
    rounds, cpu_rounds = [], []
    for _ in range(ROUNDS):
        spent, cpu = [], []
        for message in messages:
            start, start_cpu = time.perf_counter(), time.thread_time()
            index.suggest(message, LIMIT)
            spent.append((time.perf_counter() - start) * 1000)
            cpu.append((time.thread_time() - start_cpu) * 1000)
        rounds.append(spent)
        cpu_rounds.append(cpu)
    ms = [statistics.median(times) for times in zip(*rounds)]
    cpu_ms = [statistics.median(times) for times in zip(*cpu_rounds)]
    slowest = messages[ms.index(max(ms))]
    print(f"\nsnippets: {len(snippets)}, suggestions per message: {LIMIT}")
    print(
        f"index build (segment, synonyms, postings; on a worker thread in the app): {build:.2f} s"
    )
    print(
        f"one suggestion, {len(ms)} messages (median of {ROUNDS} rounds each): "
        f"p50 {percentile(ms, 0.5):.2f} ms, p95 {percentile(ms, 0.95):.2f} ms, "
        f"max {max(ms):.2f} ms (slowest: {slowest!r}); CPU time: p50 "
        f"{percentile(cpu_ms, 0.5):.2f} ms, p95 {percentile(cpu_ms, 0.95):.2f} ms"
    )


def memory_figures() -> None:
    """Print the resident memory the segmenter and a 10,000-snippet index add (fresh process)."""
    out = subprocess.run(
        [sys.executable, "-c", _MEMORY_PROBE, str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    data = json.loads(out.stdout)
    print(
        f"memory added (resident, fresh process): segmenter (rjieba + dictionary) "
        f"{data['segmenter_mb']:.1f} MB, index of {COUNT} snippets {data['index_mb']:.1f} MB"
    )


def segmenter_figures() -> None:
    """Print the candidate segmenters side by side (those installed), each in a fresh process."""
    messages = [item.message for item in load_labelled(LABELLED)]
    print("\nsegmenter candidates (fresh process each; per message: median of 20 passes):")
    for name in ("rjieba", "jieba", "jieba-fast"):
        out = subprocess.run(
            [sys.executable, "-c", _SEGMENTER_PROBE, name],
            input=json.dumps(messages),
            capture_output=True,
            text=True,
            timeout=300,
        )
        if out.returncode != 0:
            print(f"  {name:<11} not installed")
            continue
        data = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"  {name:<11} import + dictionary {data['load_ms']:6.0f} ms   "
            f"per message {data['us']:6.1f} µs   resident memory +{data['rss_mb']:.1f} MB"
        )


def library_figures() -> None:
    """Print the BM25 libraries considered, on the same terms (those installed)."""
    print("\nBM25 libraries on the same terms of the same 10,000 snippets (fresh process each):")
    for name in ("bm25s", "rank-bm25"):
        out = subprocess.run(
            [sys.executable, "-c", _LIBRARY_PROBE, name, str(ROOT)],
            capture_output=True,
            text=True,
            timeout=600,
        )
        if out.returncode != 0:
            print(f"  {name:<10} not installed")
            continue
        data = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"  {name:<10} import + index {data['build_s']:.2f} s   one query p95 "
            f"{data['p95_ms']:.2f} ms   resident memory +{data['rss_mb']:.0f} MB"
        )


def palette_figures() -> None:
    """Print the time from the suggest hotkey's signal to the palette shown with suggestions."""
    from PySide6.QtWidgets import QApplication

    from quickreply.app.controller import Controller
    from quickreply.app.suggestions import Suggestions
    from quickreply.core.library.store import LibraryStore
    from quickreply.core.search.index import SearchIndex
    from quickreply.platform.clipboard import Clipboard
    from quickreply.platform.inject import Injector
    from quickreply.ui.palette import Palette

    app = QApplication.instance() or QApplication([])
    quiet_offscreen_warnings()
    snippets, categories = large_library()
    messages = [item.message for item in load_labelled(LABELLED)][:40]
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["QUICKREPLY_HOME"] = tmp
        store = LibraryStore(Path(tmp) / "library.json")
        store.replace_pack_content("bench", categories, snippets, {"name": "bench"})
        controller = Controller(store, Injector(NoKeys(), Clipboard()), NoLog(), None, None)
        suggestions = Suggestions(store)
        suggestions.rebuild()
        while suggestions.index is None:
            app.processEvents()
        palette = Palette(controller, SearchIndex.from_store(store), suggestions)
        controller.suggest_requested.connect(palette.open_suggest)
        clipboard = QApplication.clipboard()
        shown, cpu = [], []
        for message in messages:
            clipboard.setText(message)  # offscreen has no selection: the copied-message path
            app.processEvents()
            start, start_cpu = time.perf_counter(), time.process_time()
            controller.suggest_requested.emit(controller.buyer_message())
            while not palette.isVisible():
                app.processEvents()
            app.processEvents()  # the show and paint events of the first frame
            shown.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
            assert palette.hits(), message
            palette.close_palette()
            app.processEvents()
        controller.shutdown()
    print(
        f"\nsuggest hotkey signal -> palette shown with suggestions (offscreen, {COUNT} snippets, "
        f"{len(shown)} messages): first {shown[0]:.1f} ms, median "
        f"{statistics.median(shown):.1f} ms, p95 {percentile(shown, 0.95):.1f} ms, "
        f"max {max(shown):.1f} ms; CPU time of it (what a busy machine stretches): median "
        f"{statistics.median(cpu):.1f} ms, p95 {percentile(cpu, 0.95):.1f} ms"
    )


def main() -> None:
    misses = int(sys.argv[sys.argv.index("--misses") + 1]) if "--misses" in sys.argv else 12
    accuracy_figures(misses)
    speed_figures()
    memory_figures()
    segmenter_figures()
    library_figures()
    palette_figures()


if __name__ == "__main__":
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    main()
