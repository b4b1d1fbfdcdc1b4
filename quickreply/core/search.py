"""Finding snippets by what the agent types: substrings, pinyin (full and initials), typos.

Each snippet is analysed once (its pinyin is the costly part) and kept by id, so a library change
re-analyses only the changed snippets. For querying, the analysed text of every snippet is laid out
as one string per field, one record per snippet in library order; a query word is then a few
C-level ``str.find`` scans, and the sets of matching snippets are Python ints used as bit sets
(bit i = i-th snippet), so several words, tiers and the category filter combine by ``&``.

Ranking: a snippet whose abbreviation is the whole query comes first; then tiers of match quality
(the weakest word decides: exact field, prefix, word start, anywhere, typo); within a tier, how
often and how recently the agent used the snippet; then library order.
"""

from __future__ import annotations

import time
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from quickreply.core.model import Category, Snippet
from quickreply.core.pinyin import has_cjk, readings, spellings
from quickreply.core.store import Change, LibraryStore

# snippet id -> (use count, last used UTC epoch ms): UsageLog.snippet_stats has this shape
UsageStats = Callable[[], Mapping[str, tuple[int, int]]]

ABBREV, EXACT, PREFIX, WORD, CONTAINS, FUZZY = range(6)
TIER_SCORES = {ABBREV: 100.0, EXACT: 90.0, PREFIX: 80.0, WORD: 60.0, CONTAINS: 40.0, FUZZY: 20.0}
FUZZY_MIN_LENGTH = 5  # below this one typo leaves too little of the word to recognise
FUZZY_CUTOFF = 80.0  # rapidfuzz ratio: one typo in a word of five or more letters
FUZZY_READINGS = 4  # pinyin readings of a polyphonic title kept for typo matching
HALF_LIFE_DAYS = 14.0  # a use counts half as much after two weeks
_WORD_CACHE = 64
_VERIFY_MAX = 1000  # candidates up to which checking each beats scanning a whole column
_DAY_MS = 86_400_000
_SEP = "\x00"  # between entries of one record
_END = "\x01"  # between records (snippets)

# (column, needle kind) per tier; the needle kinds: whole entry, entry start, anywhere
_TIER_SCANS: dict[int, tuple[tuple[str, str], ...]] = {
    EXACT: (
        ("title", "exact"),
        ("pinyin", "exact"),
        ("tags", "exact"),
        ("tag_pinyin", "exact"),
        ("abbrev", "exact"),
    ),
    PREFIX: (("title", "prefix"), ("pinyin", "prefix"), ("abbrev", "prefix")),
    WORD: (
        ("title_words", "prefix"),
        ("pinyin_words", "prefix"),
        ("tags", "prefix"),
        ("tag_pinyin", "prefix"),
    ),
    CONTAINS: (("title", "any"), ("tags", "any"), ("abbrev", "any"), ("body", "any")),
}
_FIELD = {
    "title": "title",
    "title_words": "title",
    "pinyin": "pinyin",
    "pinyin_words": "pinyin",
    "tags": "tags",
    "tag_pinyin": "tags",
    "abbrev": "abbrev",
    "body": "body",
    "fuzzy": "fuzzy",
}
COLUMNS = tuple(_FIELD)[:-1]


@dataclass(frozen=True)
class SearchHit:
    """One result: the snippet, a score (higher is better) and the field the query matched in
    ("abbrev", "title", "pinyin", "tags", "body", "fuzzy"; "" for an empty query)."""

    snippet: Snippet
    score: float
    field: str


@dataclass
class _Doc:
    """One snippet, analysed: a record string per column and its typo-matching vocabulary."""

    snippet: Snippet
    records: dict[str, str]
    vocabulary: tuple[str, ...]


def _record(entries: Iterable[str]) -> str:
    unique = [e for e in dict.fromkeys(entries) if e]
    return _SEP + _SEP.join(unique) + _SEP if unique else _SEP


def _clean(text: str) -> str:
    """Lower-case `text` and drop the control characters the layout uses as separators."""
    return "".join(c for c in text.lower() if c >= " " or c == "\n")


def _words_after_first(text: str) -> list[str]:
    """Return `text` from each later word start: 'refund policy' -> ['policy']."""
    return [text[i + 1 :] for i, c in enumerate(text) if not c.isalnum() and text[i + 1 : i + 2]]


def _pinyin_entries(text: str) -> tuple[list[str], list[str]]:
    """Return (whole spellings, spellings from each later syllable) of `text`: for 退款说明
    (['tuikuanshuoming', 'tksm', ...], ['kuanshuoming', 'shuoming', 'ksm', 'sm', ...])."""
    whole: list[str] = []
    later: list[str] = []
    for syllables in spellings(text):
        whole.append("".join(syllables))
        later.extend("".join(syllables[i:]) for i in range(1, len(syllables)))
    return whole, later


def analyse(snippet: Snippet) -> _Doc:
    """Return the searchable form of one snippet (lower case, pinyin spellings, vocabulary)."""
    title = _clean(snippet.title)
    tags = [_clean(t) for t in snippet.tags]
    title_whole, title_later = _pinyin_entries(title)
    tag_whole: list[str] = []
    tag_later: list[str] = []
    for tag in tags:
        whole, later = _pinyin_entries(tag)
        tag_whole.extend(whole)
        tag_later.extend(later)
    abbrev = _clean(snippet.abbrev or "")
    records = {
        "title": _record([title]),
        "title_words": _record(_words_after_first(title)),
        "pinyin": _record(title_whole),
        "pinyin_words": _record(title_later),
        "tags": _record(tags),
        "tag_pinyin": _record(tag_whole + tag_later),
        "abbrev": _record([abbrev]),
        "body": _record([_clean(snippet.body).replace("\n", " ")]),
    }
    # typos are looked for in words as typed: Latin words of the title and tags, and the common
    # full pinyin of Chinese ones (a typo in initials cannot be told from other initials)
    latin = "".join(c if c.isascii() and c.isalnum() else " " for c in " ".join([title, *tags]))
    spelled = [_full_pinyin(text) for text in (title, *tags) if has_cjk(text)]
    vocabulary = [*latin.split(), *(p for readings in spelled for p in readings)]
    return _Doc(
        snippet,
        records,
        tuple(dict.fromkeys(w for w in vocabulary if len(w) >= FUZZY_MIN_LENGTH)),
    )


def _full_pinyin(text: str) -> list[str]:
    """Return the most common full-pinyin spellings of `text`, for typo matching."""
    return ["".join(r) for r in readings(text, FUZZY_READINGS)]


class _Column:
    """Every snippet's record of one field in one string, with each record's start offset."""

    def __init__(self, records: list[str]) -> None:
        self.records = records
        self.text = _END.join(records)
        self.starts: list[int] = []
        offset = 0
        for record in records:
            self.starts.append(offset)
            offset += len(record) + 1

    def scan(self, needle: str) -> int:
        """Return the bit set of records containing `needle` (one find per matching record)."""
        starts, find = self.starts, self.text.find
        count = len(starts)
        bits = bytearray((count + 7) // 8)
        at = find(needle)
        while at != -1:
            slot = bisect_right(starts, at) - 1
            bits[slot >> 3] |= 1 << (slot & 7)
            if slot + 1 >= count:
                break
            at = find(needle, starts[slot + 1])
        return int.from_bytes(bits, "little")

    def verify(self, needle: str, candidates: int) -> int:
        """Return the bit set of the `candidates` whose record contains `needle`."""
        records = self.records
        found = [slot for slot in _bit_list(candidates) if needle in records[slot]]
        return _bits_of(found, len(records))


@dataclass
class _WordMatch:
    """One query word and what it matched in the whole library, filled in as queries need it."""

    word: str
    sets: dict[tuple[str, str], int] = field(default_factory=dict)  # (column, needle kind) -> bits
    anywhere: bool | None = None  # whether it matches anything as typed (else typos are tried)
    fuzzy: dict[int, float] | None = None  # slot -> typo score


def _bit_list(bits: int) -> list[int]:
    """Return the positions of the set bits of `bits`, lowest first."""
    digits = bin(bits)[:1:-1]  # least significant first, without the '0b'
    found: list[int] = []
    at = digits.find("1")
    while at != -1:
        found.append(at)
        at = digits.find("1", at + 1)
    return found


def frecency(uses: int, last_ms: int, now_ms: int) -> float:
    """Return how strongly past use should lift a snippet: its uses, halved every two weeks."""
    if uses <= 0:
        return 0.0
    age_days = max(0.0, (now_ms - last_ms) / _DAY_MS)
    return float(uses) * 0.5 ** (age_days / HALF_LIFE_DAYS)


class SessionUsage:
    """Use counts of this session, kept in memory: the ranking signal when no usage log is given.

    Nothing is added to the library for this; connect `record` to Controller.inserted.
    """

    def __init__(self) -> None:
        self._stats: dict[str, tuple[int, int]] = {}
        self.changed: Callable[[], None] | None = None

    def record(self, snippet_id: str) -> None:
        """Count one use of `snippet_id` now."""
        uses, _ = self._stats.get(snippet_id, (0, 0))
        self._stats[snippet_id] = (uses + 1, int(time.time() * 1000))
        if self.changed is not None:
            self.changed()

    def stats(self) -> dict[str, tuple[int, int]]:
        """Return snippet id -> (use count, last used epoch ms), like UsageLog.snippet_stats."""
        return dict(self._stats)


class SearchIndex:
    """The palette's and the CLI's search: built once, then updated snippet by snippet."""

    def __init__(
        self,
        snippets: Iterable[Snippet] = (),
        categories: Iterable[Category] = (),
        usage: UsageStats | None = None,
    ) -> None:
        self._docs: dict[str, _Doc] = {}
        self._order: list[str] = []
        self._categories: list[Category] = []
        self._category_spellings: dict[str, list[str]] = {}
        self._usage = usage
        self._usage_stale = True
        self._frecency: dict[int, float] = {}
        self._used_bits = 0
        self._vocabulary: dict[str, set[str]] = {}
        self._dirty = True
        self._columns: dict[str, _Column] = {}
        self._slots: list[Snippet] = []
        self._position: dict[str, int] = {}
        self._category_bits: dict[str, int] = {}
        self._abbrevs: dict[str, int] = {}
        self._all_bits = 0
        self._fuzzy_choices: list[str] = []
        self._words: OrderedDict[str, _WordMatch] = OrderedDict()
        self.rebuild(snippets, categories)

    # -- building and updating -----------------------------------------------------------------

    @classmethod
    def from_store(cls, store: LibraryStore, usage: UsageStats | None = None) -> SearchIndex:
        """Build the index of `store`'s library and keep it up to date with the store's changes."""
        index = cls(store.snippets(), store.categories(), usage)
        store.add_listener(lambda change: index.apply(change, store))
        return index

    def rebuild(self, snippets: Iterable[Snippet], categories: Iterable[Category] = ()) -> None:
        """Analyse every snippet afresh (first build, or the library was reloaded from disk)."""
        self._docs.clear()
        self._order.clear()
        self._vocabulary.clear()
        for snippet in snippets:
            self.upsert(snippet)
        self.set_categories(categories)

    def upsert(self, snippet: Snippet) -> None:
        """Add a new snippet (at the end of the order) or re-analyse a changed one."""
        old = self._docs.get(snippet.id)
        if old is None:
            self._order.append(snippet.id)
        else:
            self._forget_vocabulary(old)
        doc = analyse(snippet)
        self._docs[snippet.id] = doc
        for word in doc.vocabulary:
            self._vocabulary.setdefault(word, set()).add(snippet.id)
        self._dirty = True

    def remove(self, snippet_id: str) -> None:
        """Drop a snippet; unknown ids are ignored."""
        doc = self._docs.pop(snippet_id, None)
        if doc is None:
            return
        self._forget_vocabulary(doc)
        self._order.remove(snippet_id)
        self._dirty = True

    def _forget_vocabulary(self, doc: _Doc) -> None:
        for word in doc.vocabulary:
            owners = self._vocabulary.get(word)
            if owners is not None:
                owners.discard(doc.snippet.id)
                if not owners:
                    del self._vocabulary[word]

    def set_order(self, snippet_ids: Sequence[str]) -> None:
        """Set the library order (ties rank in it); ids not indexed are skipped, missing appended."""
        known = [sid for sid in dict.fromkeys(snippet_ids) if sid in self._docs]
        seen = set(known)
        self._order = known + [sid for sid in self._order if sid not in seen]
        self._dirty = True

    def set_categories(self, categories: Iterable[Category]) -> None:
        """Replace the categories (for `#category` filters and the palette's Tab cycling)."""
        self._categories = list(categories)
        self._category_spellings = {
            c.id: ["".join(s) for s in spellings(c.name)] for c in self._categories
        }
        self._dirty = True

    def apply(self, change: Change, store: LibraryStore) -> None:
        """Follow one library change: re-analyse changed snippets, drop removed ones."""
        if change.reloaded:
            self.rebuild(store.snippets(), store.categories())
            return
        for snippet_id in change.removed:
            self.remove(snippet_id)
        for snippet_id in change.snippets:
            snippet = store.find(snippet_id)
            if snippet is None:
                self.remove(snippet_id)
            else:
                self.upsert(snippet)
        if change.categories:
            self.set_categories(store.categories())
        if change.categories or change.snippets or change.removed:
            self.set_order([s.id for s in store.snippets()])

    def refresh_usage(self) -> None:
        """Read the usage statistics again before the next query (after an insertion)."""
        self._usage_stale = True

    @property
    def categories(self) -> list[Category]:
        """The categories, in library order."""
        return list(self._categories)

    def __len__(self) -> int:
        return len(self._docs)

    # -- layout ----------------------------------------------------------------------------------

    def prepare(self) -> None:
        """Lay the analysed snippets out for querying if they changed (the first query does it)."""
        if self._dirty:
            self._layout()
        if self._usage_stale:
            self._load_usage()

    def _layout(self) -> None:
        docs = [self._docs[sid] for sid in self._order]
        self._slots = [d.snippet for d in docs]
        self._position = {s.id: i for i, s in enumerate(self._slots)}
        self._columns = {name: _Column([d.records[name] for d in docs]) for name in COLUMNS}
        self._all_bits = (1 << len(docs)) - 1
        by_category: dict[str, list[int]] = {}
        for slot, snippet in enumerate(self._slots):
            by_category.setdefault(snippet.category, []).append(slot)
        self._category_bits = {c: _bits_of(s, len(docs)) for c, s in by_category.items()}
        self._abbrevs = {s.abbrev: i for i, s in reversed(list(enumerate(self._slots))) if s.abbrev}
        self._fuzzy_choices = sorted(self._vocabulary)
        self._words.clear()
        self._dirty = False
        self._usage_stale = True

    def _load_usage(self) -> None:
        stats = self._usage() if self._usage is not None else {}
        now = int(time.time() * 1000)
        self._frecency = {}
        for snippet_id, (uses, last_ms) in stats.items():
            slot = self._position.get(snippet_id)
            score = frecency(uses, last_ms, now)
            if slot is not None and score > 0:
                self._frecency[slot] = score
        self._used_bits = _bits_of(self._frecency, len(self._slots))
        self._usage_stale = False

    # -- querying --------------------------------------------------------------------------------

    def query(self, text: str, limit: int = 20, category: str | None = None) -> list[SearchHit]:
        """Return the best `limit` snippets for `text` (all words must match), best first.

        `category` (an id) keeps only that category's snippets. An empty `text` lists the
        snippets by use, then in library order.
        """
        self.prepare()
        mask = self._all_bits if category is None else self._category_bits.get(category, 0)
        words = _clean(text).split()
        if limit <= 0 or not mask:
            return []
        if not words:
            return [self._hit(slot, ABBREV, "", None) for slot in self._take(mask, limit)]
        hits: list[SearchHit] = []
        taken = 0
        whole = self._abbrevs.get(words[0]) if len(words) == 1 else None
        if whole is not None and mask >> whole & 1:
            hits.append(self._hit(whole, ABBREV, "abbrev", None))
            taken = 1 << whole
        # the longest word first: it narrows the candidates the other words are checked against
        matches = sorted((self._word(w) for w in words), key=lambda m: -len(m.word))
        for tier in (EXACT, PREFIX, WORD, CONTAINS, FUZZY):
            found = mask & ~taken
            for match in matches:
                found &= self._tier_bits(match, tier, found)
                if not found:
                    break
            for slot in self._take(found, limit - len(hits)):
                hits.append(self._hit(slot, tier, self._field(words[0], slot, tier), matches))
            if len(hits) >= limit:
                break
            taken |= found
        return hits

    def search_text(self, text: str, limit: int = 20) -> list[SearchHit]:
        """Query with an optional leading ``#category`` filter, as typed in the palette or CLI."""
        category, rest = self.parse_category(text)
        return self.query(rest, limit, category)

    def parse_category(self, text: str) -> tuple[str | None, str]:
        """Split a leading ``#name`` off `text`: return (category id or None, the rest).

        The name may be the category's name, its pinyin or initials, or the start of one of them.
        """
        if not text.startswith("#"):
            return None, text
        name, _, rest = text[1:].partition(" ")
        key = _clean(name)
        if not key:
            return None, rest
        best: tuple[int, int] | None = None
        chosen: str | None = None
        for order, category in enumerate(self._categories):
            names = [_clean(category.name), *self._category_spellings.get(category.id, [])]
            rank = 0 if key in names else 1 if any(n.startswith(key) for n in names) else None
            if rank is not None and (best is None or (rank, order) < best):
                best, chosen = (rank, order), category.id
        return chosen, rest

    def _take(self, bits: int, count: int) -> list[int]:
        """Return up to `count` slots of `bits`: used ones by frecency, then in library order."""
        if count <= 0 or not bits:
            return []
        chosen: list[int] = []
        used = bits & self._used_bits
        if used:
            chosen = sorted(_bit_list(used), key=lambda s: (-self._frecency[s], s))[:count]
        rest = bits & ~self._used_bits
        while rest and len(chosen) < count:
            low = rest & -rest
            chosen.append(low.bit_length() - 1)
            rest ^= low
        return chosen

    def _hit(self, slot: int, tier: int, where: str, matches: list[_WordMatch] | None) -> SearchHit:
        score = TIER_SCORES[tier]
        if tier == FUZZY and matches:
            # the weakest word's typo score, scaled into the fuzzy tier's band
            typo = min((m.fuzzy or {}).get(slot, 100.0) for m in matches)
            score = TIER_SCORES[FUZZY] * typo / 100.0
        usage = self._frecency.get(slot, 0.0)
        # usage lifts a hit within its tier but never into the tier above (bands are 10 apart)
        return SearchHit(self._slots[slot], score + 9.0 * usage / (usage + 1.0), where)

    def _field(self, word: str, slot: int, tier: int) -> str:
        """Return the field in which `word` matched snippet `slot` at its best tier."""
        for level in range(EXACT, min(tier, CONTAINS) + 1):
            for column, kind in _scans(word, level):
                if _needle(word, kind) in self._columns[column].records[slot]:
                    return _FIELD[column]
        return "fuzzy"

    def _word(self, word: str) -> _WordMatch:
        match = self._words.get(word)
        if match is None:
            match = _WordMatch(word)
            self._words[word] = match
            if len(self._words) > _WORD_CACHE:
                self._words.popitem(last=False)
        else:
            self._words.move_to_end(word)
        return match

    def _tier_bits(self, match: _WordMatch, tier: int, within: int) -> int:
        """Return the snippets `match` matches at `tier` or better; exact inside `within` only."""
        bits = 0
        for level in range(EXACT, min(tier, CONTAINS) + 1):
            for column, kind in _scans(match.word, level):
                bits |= self._column_bits(match, column, kind, within)
        if tier == FUZZY:
            bits |= _bits_of(self._fuzzy(match), len(self._slots))
        return bits

    def _column_bits(self, match: _WordMatch, column: str, kind: str, within: int) -> int:
        """Return the snippets whose `column` holds the word (as `kind`), computed the cheapest
        way: checking the few candidates the previous keystroke left, or the other words left,
        or else scanning the whole column."""
        known = match.sets.get((column, kind))
        if known is not None:
            return known
        needle = _needle(match.word, kind)
        col = self._columns[column]
        parent = self._words.get(match.word[:-1])
        if parent is not None:
            # what the word matches, its shorter self matched too (as a prefix or anywhere)
            pool = parent.sets.get((column, "any" if kind == "any" else "prefix"))
            pool = parent.sets.get((column, "any")) if pool is None else pool
            if pool is not None and pool.bit_count() <= _VERIFY_MAX:
                match.sets[(column, kind)] = bits = col.verify(needle, pool)
                return bits
        if within.bit_count() <= _VERIFY_MAX:
            return col.verify(needle, within)  # valid inside `within` only: not kept
        match.sets[(column, kind)] = bits = col.scan(needle)
        return bits

    def _fuzzy(self, match: _WordMatch) -> dict[int, float]:
        """Return slot -> typo score for a word that matches nothing as typed (else nothing)."""
        if match.fuzzy is not None:
            return match.fuzzy
        word = match.word
        match.fuzzy = {}
        if len(word) < FUZZY_MIN_LENGTH or not self._fuzzy_choices or self._anywhere(match):
            return match.fuzzy
        # the first letter is taken as typed (typos there are rare), so only words starting with
        # it are compared, each cut to the typed length: a half-typed word against word starts
        low = bisect_left(self._fuzzy_choices, word[0])
        high = bisect_left(self._fuzzy_choices, chr(ord(word[0]) + 1), low)
        choices = [c[: len(word)] for c in self._fuzzy_choices[low:high]]
        for _, score, index in process.extract(
            word, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=None
        ):
            for snippet_id in self._vocabulary[self._fuzzy_choices[low + index]]:
                slot = self._position[snippet_id]
                match.fuzzy[slot] = max(score, match.fuzzy.get(slot, 0.0))
        return match.fuzzy

    def _anywhere(self, match: _WordMatch) -> bool:
        """Whether the word matches any snippet as typed (one C-level search per column)."""
        if match.anywhere is None:
            match.anywhere = any(
                _needle(match.word, kind) in self._columns[column].text
                for level in (EXACT, PREFIX, WORD, CONTAINS)
                for column, kind in _scans(match.word, level)
            )
        return match.anywhere


def _needle(word: str, kind: str) -> str:
    """Return what to look for in a record: the whole entry, an entry's start, or anywhere."""
    if kind == "exact":
        return _SEP + word + _SEP
    return _SEP + word if kind == "prefix" else word


def _scans(word: str, tier: int) -> tuple[tuple[str, str], ...]:
    """Return the (column, needle kind) pairs that make a match of `word` at `tier`."""
    if tier == CONTAINS and len(word) == 1 and not has_cjk(word):
        return ()  # one Latin letter or digit inside words and bodies is noise, not a match
    if tier == WORD and has_cjk(word):
        # Chinese has no spaces: a Chinese word inside a title is as good as a word start
        return (*_TIER_SCANS[WORD], ("title", "any"))
    return _TIER_SCANS[tier]


def _bits_of(slots: Iterable[int], size: int) -> int:
    """Return the bit set of the given positions (each below `size`)."""
    data = bytearray((size + 7) // 8)
    for slot in slots:
        data[slot >> 3] |= 1 << (slot & 7)
    return int.from_bytes(data, "little")


def search(snippets: Iterable[Snippet], query: str, limit: int = 20) -> list[Snippet]:
    """Return the snippets matching every word of `query`, best first (a one-off index)."""
    return [hit.snippet for hit in SearchIndex(snippets).search_text(query, limit)]
