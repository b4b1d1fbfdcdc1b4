"""Finding snippets by what the agent types: substrings, pinyin (full and initials), typos.

Each snippet is analysed once (its pinyin is the costly part) and kept by id, so a library change
re-analyses only the changed snippets. For querying, the analysed text of every snippet is laid out
as one string per column, one record per snippet in library order: a query word is then a dict
lookup or a C-level ``str.find`` scan, and sets of matching snippets are Python ints used as bit
sets (bit i = i-th snippet), so words, tiers and the category filter combine by ``&``. What each
word matched is remembered, so the next keystroke checks only what the previous one left.

Ranking: a snippet whose abbreviation is the whole query comes first; then tiers of match quality
(the weakest word decides: exact field, prefix, word start, anywhere, typo); within a tier, how
often and how recently the agent used the snippet; then library order.
"""

from __future__ import annotations

import re
import time
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, compress

from rapidfuzz import fuzz, process

from quickreply.core.library.model import Category, Snippet
from quickreply.core.library.store import Change, LibraryStore
from quickreply.core.search.hit import SearchHit
from quickreply.core.search.pinyin import has_cjk, readings, spellings

# snippet id -> (use count, last used UTC epoch ms): UsageLog.snippet_stats has this shape
UsageStats = Callable[[], Mapping[str, tuple[int, int]]]

ABBREV, EXACT, PREFIX, WORD, CONTAINS, FUZZY = range(6)
TIER_SCORES = {ABBREV: 100.0, EXACT: 90.0, PREFIX: 80.0, WORD: 60.0, CONTAINS: 40.0, FUZZY: 20.0}
FUZZY_MIN_LENGTH = 5  # below this one typo leaves too little of the word to recognise
FUZZY_CUTOFF = 80.0  # rapidfuzz ratio: one typo in a word of five or more letters
FUZZY_READINGS = 4  # pinyin readings of a polyphonic title kept for typo matching
LATER_READINGS = 4  # readings whose later syllables count as word starts (最重要: zhongyao)
HALF_LIFE_DAYS = 14.0  # a use counts half as much after two weeks
FIELDS = ("abbrev", "title", "pinyin", "tags", "body")  # SearchHit.field values, best first
_WORD_CACHE = 64
_VERIFY_MAX = 4000  # candidates up to which checking each beats scanning a whole column
_DENSE = 400  # set bits from which a C-level pass over every bit beats finding each one
_DAY_MS = 86_400_000
_SEP = "\x00"  # between entries of one record
_END = "\x01"  # between records (snippets)

# The layout's columns, each one record per snippet of entries separated by _SEP:
#   heads: the title, its pinyin spellings (full and initials) and the abbreviation
#   words: the title from each later word or syllable on; the tags, also from each syllable on
#   text:  title, tags, abbreviation and body (a placeholder as the label the agent sees)
# Whole entries of heads and the tags are looked up in a dict instead (the EXACT tier).
# (column, needle kind) per tier; the kinds: an entry's start, anywhere.
_TIER_SCANS: dict[int, tuple[tuple[str, str], ...]] = {
    EXACT: (),
    PREFIX: (("heads", "prefix"),),
    WORD: (("words", "prefix"),),
    CONTAINS: (("text", "any"),),
}
COLUMNS = ("heads", "words", "text")
WIDE, NARROW = "wide", "narrow"  # which entries of a column: see analyse()


@dataclass
class _Doc:
    """One snippet, analysed: its record per column, its whole entries and typo vocabulary, and
    a record per field (to tell which field a hit matched in)."""

    snippet: Snippet
    records: dict[tuple[str, str], str]  # (column, which entries) -> record
    entries: tuple[str, ...]
    vocabulary: tuple[str, ...]
    fields: dict[str, str]


def _record(entries: Iterable[str]) -> str:
    return _joined([e for e in dict.fromkeys(entries) if e])


def _joined(entries: list[str]) -> str:
    return _SEP + _SEP.join(entries) + _SEP if entries else _SEP


def _clean(text: str) -> str:
    """Lower-case `text` and turn the control characters the layout uses into spaces."""
    return text.lower().translate(_CONTROL_TO_SPACE)


_CONTROL_TO_SPACE = {code: " " for code in range(32)}


def _words_after_first(text: str) -> list[str]:
    """Return `text` from each later word start: 'refund policy' -> ['policy']."""
    return [text[match.start() :] for match in _LATER_WORD.finditer(text)]


_PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*(?::([^}]*))?\}\}")


def _placeholder_words(match: re.Match[str]) -> str:
    """A placeholder as searchable text: the label and options an agent sees, nothing else."""
    if match.group(1) in ("input", "choice") and match.group(2):
        return " " + match.group(2).replace("|", " ") + " "
    return " "


_LATER_WORD = re.compile(r"(?<=[\W_])[^\W_]")  # a letter or digit after anything else
_LATIN_WORD = re.compile(r"[0-9a-z]+")
_ASCII_CHAR = re.compile(r"[!-~]")  # a printable ASCII character other than the space


@lru_cache(maxsize=16_384)  # tags repeat across a library: analyse each once
def _pinyin_entries(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return (whole spellings, spellings from each later syllable) of `text`: for 退款说明
    (['tuikuanshuoming', 'tksm', ...], ['kuanshuoming', 'shuoming', 'ksm', 'sm', ...])."""
    full, firsts = spellings(text)
    whole = tuple("".join(s) for s in full + firsts)
    later = tuple(
        "".join(syllables[i:])
        for syllables in full[:LATER_READINGS] + firsts[:LATER_READINGS]
        for i in range(1, len(syllables))
    )
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
    body = _clean(_PLACEHOLDER.sub(_placeholder_words, snippet.body))
    title_words = _words_after_first(title)
    columns = {
        "heads": [title, *title_whole, abbrev],
        "words": [*title_words, *title_later, *tags, *tag_whole, *tag_later],
        "text": [title, *tags, abbrev, body],
    }
    # each column in two parts, by the words an entry can hold: a word with Chinese (or other
    # non-ASCII) characters only entries with such characters, any other word only entries with
    # ASCII characters; so a word scans only part of the text
    records = {}
    for name, entries in columns.items():
        unique = [e for e in dict.fromkeys(entries) if e]
        records[(name, WIDE)] = _joined([e for e in unique if not e.isascii()])
        ascii_entries = [e for e in unique if e.isascii() or _ASCII_CHAR.search(e)]
        records[(name, NARROW)] = _joined(ascii_entries)
    fields = {
        "abbrev": _record([abbrev]),
        "title": _record([title, *title_words]),
        "pinyin": _record([*title_whole, *title_later]),
        "tags": _record([*tags, *tag_whole, *tag_later]),
        "body": _record([body]),
    }
    # typos are looked for in words as typed: Latin words of the title and tags, and the common
    # full pinyin of Chinese ones (a typo in initials cannot be told from other initials)
    latin = _LATIN_WORD.findall(" ".join([title, *tags]))
    spelled = [_full_pinyin(text) for text in (title, *tags) if has_cjk(text)]
    vocabulary = [*latin, *(p for found in spelled for p in found)]
    return _Doc(
        snippet,
        records,
        tuple(e for e in dict.fromkeys([title, *title_whole, abbrev, *tags, *tag_whole]) if e),
        tuple(dict.fromkeys(w for w in vocabulary if len(w) >= FUZZY_MIN_LENGTH)),
        fields,
    )


@lru_cache(maxsize=16_384)
def _full_pinyin(text: str) -> tuple[str, ...]:
    """Return the most common full-pinyin spellings of `text`, for typo matching."""
    return tuple("".join(r) for r in readings(text, FUZZY_READINGS))


class _Column:
    """Every snippet's record of one column in one string, with each record's start offset."""

    def __init__(self, records: list[str]) -> None:
        self.records = records
        self.text = _END.join(records)
        self.starts = list(accumulate((len(r) + 1 for r in records), initial=0))[:-1]

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


class _Terms:
    """An inverted map from terms (whole entries, typo vocabulary) to the snippet ids having them."""

    def __init__(self) -> None:
        self.owners: dict[str, set[str]] = {}

    def add(self, snippet_id: str, terms: Iterable[str]) -> None:
        """Note that `snippet_id` has every one of `terms`."""
        for term in terms:
            self.owners.setdefault(term, set()).add(snippet_id)

    def discard(self, snippet_id: str, terms: Iterable[str]) -> None:
        """Forget `snippet_id` for every one of `terms`."""
        for term in terms:
            owners = self.owners.get(term)
            if owners is not None:
                owners.discard(snippet_id)
                if not owners:
                    del self.owners[term]


@dataclass
class _WordMatch:
    """One query word and what it matched in the library, filled in as queries need it."""

    word: str
    # (column, needle kind) -> (snippets checked, those of them that match), as bit sets
    sets: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)
    exact: int | None = None  # snippets with an entry equal to the word
    anywhere: bool | None = None  # whether it matches anything as typed (else typos are tried)
    fuzzy: dict[int, float] | None = None  # slot -> typo score


def _bit_list(bits: int) -> list[int]:
    """Return the positions of the set bits of `bits`, lowest first."""
    digits = bin(bits)[:1:-1]  # least significant first, without the '0b'
    if bits.bit_count() > _DENSE:
        return list(compress(range(len(digits)), digits.encode().translate(_DIGIT_BYTES)))
    found: list[int] = []
    at = digits.find("1")
    while at != -1:
        found.append(at)
        at = digits.find("1", at + 1)
    return found


_DIGIT_BYTES = bytes.maketrans(b"01", b"\x00\x01")


def _bits_of(slots: Iterable[int], size: int) -> int:
    """Return the bit set of the given positions (each below `size`)."""
    data = bytearray((size + 7) // 8)
    for slot in slots:
        data[slot >> 3] |= 1 << (slot & 7)
    return int.from_bytes(data, "little")


def frecency(uses: int, last_ms: int, now_ms: int) -> float:
    """Return how strongly past use should lift a snippet: its uses, halved every two weeks."""
    if uses <= 0:
        return 0.0
    age_days = max(0.0, (now_ms - last_ms) / _DAY_MS)
    return float(uses) * 0.5 ** (age_days / HALF_LIFE_DAYS)


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
        self._entries = _Terms()
        self._vocabulary = _Terms()
        self._categories: list[Category] = []
        self._category_spellings: dict[str, list[str]] = {}
        self._usage = usage
        self._usage_stale = True
        self._frecency: dict[int, float] = {}
        self._used_bits = 0
        self._dirty = True
        self._columns: dict[tuple[str, str], _Column] = {}
        self._slots: list[Snippet] = []
        self._position: dict[str, int] = {}
        self._category_bits: dict[str, int] = {}
        self._abbrevs: dict[str, int] = {}
        self._all_bits = 0
        self._fuzzy_choices: list[str] = []
        self._words: OrderedDict[str, _WordMatch] = OrderedDict()
        self.rebuild(snippets, categories)

    # -- building and updating -------------------------------------------------------------------

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
        self._entries = _Terms()
        self._vocabulary = _Terms()
        for snippet in snippets:
            self.upsert(snippet)
        self.set_categories(categories)

    def take_over(self, other: SearchIndex) -> None:
        """Become `other`, an index built elsewhere (a worker thread), in one step: whoever holds
        this index (palette, manager) searches the new content from now on."""
        vars(self).update(vars(other))

    def upsert(self, snippet: Snippet) -> None:
        """Add a new snippet (at the end of the order) or re-analyse a changed one."""
        old = self._docs.get(snippet.id)
        if old is None:
            self._order.append(snippet.id)
        else:
            self._forget(old)
        doc = analyse(snippet)
        self._docs[snippet.id] = doc
        self._entries.add(snippet.id, doc.entries)
        self._vocabulary.add(snippet.id, doc.vocabulary)
        self._dirty = True

    def remove(self, snippet_id: str) -> None:
        """Drop a snippet; unknown ids are ignored."""
        doc = self._docs.pop(snippet_id, None)
        if doc is None:
            return
        self._forget(doc)
        self._order.remove(snippet_id)
        self._dirty = True

    def _forget(self, doc: _Doc) -> None:
        self._entries.discard(doc.snippet.id, doc.entries)
        self._vocabulary.discard(doc.snippet.id, doc.vocabulary)

    def set_order(self, snippet_ids: Sequence[str]) -> None:
        """Set the library order (ties rank in it); unknown ids are skipped, missing ones last."""
        known = [sid for sid in dict.fromkeys(snippet_ids) if sid in self._docs]
        seen = set(known)
        self._order = known + [sid for sid in self._order if sid not in seen]
        self._dirty = True

    def set_categories(self, categories: Iterable[Category]) -> None:
        """Replace the categories (for `#category` filters and the palette's Tab cycling)."""
        self._categories = list(categories)
        self._category_spellings = {
            c.id: ["".join(s) for found in spellings(c.name) for s in found]
            for c in self._categories
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
        self._columns = {
            (name, part): _Column([d.records[(name, part)] for d in docs])
            for name in COLUMNS
            for part in (WIDE, NARROW)
        }
        self._all_bits = (1 << len(docs)) - 1
        by_category: dict[str, list[int]] = {}
        for slot, snippet in enumerate(self._slots):
            by_category.setdefault(snippet.category, []).append(slot)
        self._category_bits = {c: _bits_of(s, len(docs)) for c, s in by_category.items()}
        self._abbrevs = {s.abbrev: i for i, s in reversed(list(enumerate(self._slots))) if s.abbrev}
        self._fuzzy_choices = sorted(self._vocabulary.owners)
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
            return [self._hit(slot, ABBREV, "", []) for slot in self._take(mask, limit)]
        hits: list[SearchHit] = []
        taken = 0
        whole = self._abbrevs.get(words[0]) if len(words) == 1 else None
        if whole is not None and mask >> whole & 1:
            hits.append(self._hit(whole, ABBREV, "abbrev", []))
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

    def _hit(self, slot: int, tier: int, where: str, matches: list[_WordMatch]) -> SearchHit:
        score = TIER_SCORES[tier]
        if tier == FUZZY:
            # the weakest word's typo score, scaled into the fuzzy tier's band
            typo = min((m.fuzzy or {}).get(slot, 100.0) for m in matches)
            score = TIER_SCORES[FUZZY] * typo / 100.0
        usage = self._frecency.get(slot, 0.0)
        # usage lifts a hit within its tier but never into the tier above (bands are 10 apart)
        return SearchHit(self._slots[slot], score + 9.0 * usage / (usage + 1.0), where)

    def _field(self, word: str, slot: int, tier: int) -> str:
        """Return the field in which `word` matched snippet `slot` (best kind of match first)."""
        if tier == FUZZY:
            return "fuzzy"
        fields = self._docs[self._slots[slot].id].fields
        for needle in (_SEP + word + _SEP, _SEP + word, word):
            for name in FIELDS:
                if needle in fields[name]:
                    return name
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
        if match.exact is None:
            owners = self._entries.owners.get(match.word, ())
            match.exact = _bits_of((self._position[sid] for sid in owners), len(self._slots))
        bits = match.exact
        for level in range(PREFIX, min(tier, CONTAINS) + 1):
            for column, kind in _scans(match.word, level):
                bits |= self._column_bits(match, column, kind, within)
        if tier == FUZZY:
            bits |= _bits_of(self._fuzzy(match), len(self._slots))
        return bits

    def _column_bits(self, match: _WordMatch, column: str, kind: str, within: int) -> int:
        """Return the snippets whose `column` holds the word (as `kind`), exact inside `within`.

        Computed the cheapest way and remembered: snippets already checked are not checked again,
        the previous keystroke's word rules out what it did not match, a few candidates are
        checked one by one, and many are found by scanning the whole column.
        """
        checked, found = match.sets.get((column, kind), (0, 0))
        todo = within & ~checked
        if not todo:
            return found
        parent = self._words.get(match.word[:-1])
        parent_sets = parent.sets if parent is not None else {}
        for parent_kind in ("prefix", "any")[kind == "any" :]:
            parent_checked, parent_found = parent_sets.get((column, parent_kind), (0, 0))
            if not todo & ~parent_checked:
                # what the word matches, its shorter self matched too (as a prefix or anywhere)
                checked |= todo & ~parent_found
                todo &= parent_found
                break
        col = self._columns[(column, _part(match.word))]
        needle = _SEP + match.word if kind == "prefix" else match.word
        if todo.bit_count() > _VERIFY_MAX:
            checked, found = self._all_bits, col.scan(needle)
        elif todo:
            checked, found = checked | todo, found | col.verify(needle, todo)
        match.sets[(column, kind)] = (checked, found)
        return found

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
        owners = self._vocabulary.owners
        for _, score, index in process.extract(
            word, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=None
        ):
            for snippet_id in owners[self._fuzzy_choices[low + index]]:
                slot = self._position[snippet_id]
                match.fuzzy[slot] = max(score, match.fuzzy.get(slot, 0.0))
        return match.fuzzy

    def _anywhere(self, match: _WordMatch) -> bool:
        """Whether the word matches any snippet as typed (one C-level search per column)."""
        if match.anywhere is None:
            match.anywhere = bool(match.exact) or any(
                (_SEP + match.word if kind == "prefix" else match.word)
                in self._columns[(c, _part(match.word))].text
                for level in (PREFIX, WORD, CONTAINS)
                for c, kind in _scans(match.word, level)
            )
        return match.anywhere


def _part(word: str) -> str:
    """Return the part of a column whose entries can hold `word` (see analyse)."""
    return NARROW if word.isascii() else WIDE


def _scans(word: str, tier: int) -> tuple[tuple[str, str], ...]:
    """Return the (column, needle kind) pairs that make a match of `word` at `tier`."""
    if tier == CONTAINS and len(word) == 1 and not has_cjk(word):
        return ()  # one Latin letter or digit inside words and bodies is noise, not a match
    if tier == WORD and has_cjk(word):
        # Chinese has no spaces: a Chinese word inside a title is as good as a word start
        return (*_TIER_SCANS[WORD], ("heads", "any"))
    return _TIER_SCANS[tier]
