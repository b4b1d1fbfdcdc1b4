"""Search figures with 10,000 snippets (half Chinese): index build, time per keystroke, palette.

Each query below is typed one keystroke at a time (Chinese arrives whole from the input method);
every keystroke is one `SearchIndex.search_text` call, as the palette makes it.
Run: python benchmarks/search.py
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from offscreen import quiet_offscreen_warnings  # benchmarks/ is on sys.path when run as a script

from benchmarks.stand_ins import NoKeys, NoLog  # noqa: E402
from quickreply.core.library.model import Category, Snippet  # noqa: E402
from quickreply.core.packs.defaults import default_pack_dirs
from quickreply.core.packs.format import load_pack  # noqa: E402
from quickreply.core.search.index import SearchIndex  # noqa: E402

COUNT = 10_000
LIMIT = 50  # results the palette asks for
ROUNDS = 5
TYPED = [
    "tky", "退款", "refund pol", "tuikuan", "cf", "cuifu", "wl cx", "物流 查询", "shipping delay",
    "retrun", "refnd policy", "tuikaun", "hhfy", "quality photo", "#退换 th", "7 day", "fapiao",
    "开发票", "coupon exp", "kc jz", "address change", "xgdz", "thank", "好评", "size guide",
    "cmtj", "zhongxin", "chongxin fahuo", "发错 补发", "wrong item", "price protect", "bcj",
]  # fmt: skip
ZH_TOPICS = [
    "退款", "催付", "物流", "发货", "换货", "尺码", "优惠", "质量", "售后", "发票", "地址", "库存",
    "好评", "补差价", "赠品", "会员", "预售", "包邮", "退货", "签收", "重新发货", "重量",
]  # fmt: skip
ZH_KINDS = [
    "说明", "提醒", "进度", "规则", "流程", "时效", "处理", "安抚", "确认", "咨询", "政策", "问题",
    "方案", "申请", "补偿",
]  # fmt: skip
ZH_SCENES = ["", "（淘宝）", "（京东）", "（拼多多）", "（抖店）", "老客", "新客", "大促", "夜间",
             "周末", "节假日", "加急", "海外", "批量", "直播", "团购", "企业"]  # fmt: skip
EN_TOPICS = [
    "Refund", "Return", "Shipping", "Exchange", "Size", "Coupon", "Quality", "Invoice", "Address",
    "Stock", "Review", "Price match", "Gift", "Member", "Presale", "Delivery", "Tracking",
    "Warranty", "Payment", "Discount",
]  # fmt: skip
EN_KINDS = [
    "policy", "reminder", "status", "rules", "steps", "timeline", "apology", "confirmation",
    "question", "options", "request", "compensation", "delay", "update", "help",
]  # fmt: skip
EN_SCENES = ["", "(Taobao)", "(JD)", "for VIP", "new buyer", "holiday", "weekend", "night",
             "sale", "bulk", "overseas", "repeat buyer", "live stream", "group buy", "business",
             "urgent", "gift"]  # fmt: skip
ZH_TAGS = ["退款", "催付", "物流", "售后", "售前", "投诉", "安抚", "质量", "优惠", "发票"]
EN_TAGS = ["refund", "payment", "shipping", "after-sales", "pre-sales", "complaint", "quality"]


def library() -> tuple[list[Snippet], list[Category]]:
    """Return 10,000 snippets (half Chinese) with bodies from the default packs, 40 categories."""
    rng = random.Random(4)
    packs = [load_pack(folder) for folder in default_pack_dirs()]
    zh_bodies = [s.body for p in packs if p.manifest.language.startswith("zh") for s in p.snippets]
    en_bodies = [
        s.body for p in packs if not p.manifest.language.startswith("zh") for s in p.snippets
    ]
    zh_titles = [t + k + s for s in ZH_SCENES for t in ZH_TOPICS for k in ZH_KINDS]
    en_titles = [f"{t} {k} {s}".strip() for s in EN_SCENES for t in EN_TOPICS for k in EN_KINDS]
    categories = [Category(id=f"c-{i}", name=f"{ZH_TOPICS[i % 20]}{i}", order=i) for i in range(40)]
    snippets = []
    for i in range(COUNT):
        chinese = i % 2 == 1
        titles, bodies, tags = (
            (zh_titles, zh_bodies, ZH_TAGS) if chinese else (en_titles, en_bodies, EN_TAGS)
        )
        snippets.append(
            Snippet(
                id=f"s-{i:05d}",
                title=titles[(i // 2) % len(titles)],
                body=rng.choice(bodies),
                category=f"c-{i % 40}",
                tags=tuple(rng.sample(tags, 2)),
                abbrev=f"q{i}" if i % 3 == 0 else None,
            )
        )
    return snippets, categories


def percentile(values: list[float], share: float) -> float:
    """Return the value below which `share` of `values` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def keystrokes(query: str) -> list[str]:
    """Return what the search box holds after each keystroke while typing `query`."""
    states: list[str] = []
    for i in range(1, len(query) + 1):
        if "\u4e00" <= query[i - 1] <= "\u9fff" or not states or states[-1] != query[:i]:
            states.append(query[:i])
    return states


def search_figures(snippets: list[Snippet], categories: list[Category]) -> None:
    """Print index build time and per-keystroke query times."""
    start = time.perf_counter()
    SearchIndex(snippets, categories).prepare()
    cold = time.perf_counter() - start
    usage = {s.id: (random.Random(i).randint(1, 40), int(time.time() * 1000) - i * 60_000)
             for i, s in enumerate(snippets[::25])}  # fmt: skip
    typed = [state for query in TYPED for state in keystrokes(query)]
    rounds: list[list[float]] = []
    for _ in range(ROUNDS):
        index = SearchIndex(snippets, categories, usage=lambda: usage)
        index.prepare()
        spent = []
        for state in typed:
            start = time.perf_counter()
            index.search_text(state, LIMIT)
            spent.append((time.perf_counter() - start) * 1000)
        rounds.append(spent)
    # each keystroke's median over the rounds: one busy moment of the machine is not the search
    ms = [statistics.median(times) for times in zip(*rounds)]
    slowest = typed[ms.index(max(ms))]
    start = time.perf_counter()
    index.upsert(snippets[7].edited(title="退款加急说明"))
    index.prepare()  # the palette does this right after a library change
    update = time.perf_counter() - start
    print(f"snippets: {COUNT} ({COUNT // 2} Chinese), results per query: {LIMIT}")
    print(f"index build (analyse + lay out, first in this process): {cold * 1000:.0f} ms")
    print(
        f"per keystroke, {len(ms)} keystrokes of {len(TYPED)} typed queries "
        f"(median of {ROUNDS} rounds each): p50 {percentile(ms, 0.5):.2f} ms, "
        f"p95 {percentile(ms, 0.95):.2f} ms, max {max(ms):.2f} ms (slowest: {slowest!r})"
    )
    print(f"one snippet edited: re-analysed and laid out again in {update * 1000:.1f} ms")


def palette_figures(snippets: list[Snippet], categories: list[Category]) -> None:
    """Print the time from the controller's palette signal to the palette shown and focused."""
    from PySide6.QtWidgets import QApplication

    from quickreply.app.controller import Controller
    from quickreply.core.library.store import LibraryStore
    from quickreply.platform.clipboard import Clipboard
    from quickreply.platform.inject import Injector
    from quickreply.ui.palette import Palette

    app = QApplication.instance() or QApplication([])
    quiet_offscreen_warnings()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["QUICKREPLY_HOME"] = tmp
        store = LibraryStore(Path(tmp) / "library.json")
        store.replace_pack_content("bench", categories, snippets, {"name": "bench"})
        controller = Controller(store, Injector(NoKeys(), Clipboard()), NoLog(), None, None)
        palette = Palette(controller, SearchIndex.from_store(store))
        controller.palette_requested.connect(palette.open)
        shown = []
        for _ in range(30):
            start = time.perf_counter()
            controller.palette_requested.emit()
            while not palette.isVisible():
                app.processEvents()
            app.processEvents()  # the show, activation and paint events of the first frame
            shown.append((time.perf_counter() - start) * 1000)
            # the offscreen platform activates a window on its first show only (X11: every time)
            assert len(shown) > 1 or palette.search.hasFocus()
            palette.close_palette()
            app.processEvents()
        controller.shutdown()
    print(
        f"hotkey signal -> palette shown (offscreen, {COUNT} snippets, 30 opens): "
        f"first {shown[0]:.1f} ms, median {statistics.median(shown):.1f} ms, "
        f"max {max(shown):.1f} ms"
    )


def main() -> None:
    snippets, categories = library()
    search_figures(snippets, categories)
    palette_figures(snippets, categories)


if __name__ == "__main__":
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    main()
