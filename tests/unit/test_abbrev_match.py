"""The typed-abbreviation matcher: boundaries, BackSpace edits, prefixes, end keys (property tests)."""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st

from quickreply.core.abbrev_match import AbbrevMatch, AbbrevMatcher, is_boundary

ABBREVS = {"hy": "s-hy", ";hy": "s-semi", "/tk": "s-tk", "hyx": "s-hyx"}


def type_text(matcher: AbbrevMatcher, text: str) -> list[AbbrevMatch]:
    found = []
    for char in text:
        if char == " ":
            hit = matcher.end("space")
        elif char == "\t":
            hit = matcher.end("tab")
        elif char == "\b":
            matcher.backspace()
            hit = None
        else:
            hit = matcher.char(char)
        if hit:
            found.append(hit)
    return found


def test_space_after_an_abbreviation_fires_and_erases_it_with_the_space():
    hits = type_text(AbbrevMatcher(ABBREVS), "hy ")
    assert hits == [AbbrevMatch("hy", "s-hy", 3, 3)]


def test_it_does_not_fire_inside_a_longer_word():
    assert type_text(AbbrevMatcher(ABBREVS), "why ") == []
    assert type_text(AbbrevMatcher(ABBREVS), "ok hy ")[0].snippet_id == "s-hy"


def test_prefix_abbreviations_and_full_width_prefixes():
    assert type_text(AbbrevMatcher(ABBREVS), ";hy ")[0].snippet_id == "s-semi"
    assert type_text(AbbrevMatcher(ABBREVS), "；hy ")[0].snippet_id == "s-semi"
    assert type_text(AbbrevMatcher(ABBREVS), "亲／tk ")[0] == AbbrevMatch("/tk", "s-tk", 4, 4)


def test_backspace_edits_are_followed():
    assert type_text(AbbrevMatcher(ABBREVS), "hx\by ")[0].snippet_id == "s-hy"
    assert type_text(AbbrevMatcher(ABBREVS), "hy\b\b ") == []


def test_end_key_none_fires_immediately_and_tab_only_when_chosen():
    assert type_text(AbbrevMatcher(ABBREVS, "none"), ";hy")[0] == AbbrevMatch(";hy", "s-semi", 3, 3)
    assert type_text(AbbrevMatcher(ABBREVS, "tab"), "hy ") == []
    assert type_text(AbbrevMatcher(ABBREVS, "tab"), "hy\t")[0].erase == 3


def test_reset_forgets_what_was_typed():
    matcher = AbbrevMatcher(ABBREVS)
    type_text(matcher, "h")
    matcher.reset()
    assert type_text(matcher, "y ") == []


def test_the_longest_abbreviation_wins():
    assert type_text(AbbrevMatcher(ABBREVS), "hyx ")[0].snippet_id == "s-hyx"


words = st.text(alphabet=string.ascii_lowercase + "；;/ 亲\b", max_size=40)


@given(text=words)
def test_a_match_always_names_a_known_abbreviation_preceded_by_a_boundary(text):
    matcher = AbbrevMatcher(ABBREVS)
    for hit in type_text(matcher, text):
        assert ABBREVS[hit.abbrev] == hit.snippet_id
        assert hit.erase == len(hit.abbrev) + 1


@given(prefix=words, abbrev=st.sampled_from(sorted(ABBREVS)))
def test_an_abbreviation_after_a_space_always_fires(prefix, abbrev):
    matcher = AbbrevMatcher(ABBREVS)
    type_text(matcher, prefix)
    hits = type_text(matcher, " " + abbrev + " ")
    assert hits and hits[-1].abbrev == abbrev


@given(word=st.text(alphabet=string.ascii_lowercase, min_size=1, max_size=6))
def test_never_inside_a_word(word):
    matcher = AbbrevMatcher({"hy": "s"})
    hits = type_text(matcher, " " + word + "hy ")
    assert hits == []


@given(text=words, extra=st.text(alphabet="abc", max_size=5))
def test_typing_then_deleting_is_like_not_typing(text, extra):
    one, two = AbbrevMatcher(ABBREVS), AbbrevMatcher(ABBREVS)
    type_text(one, text.replace("\b", ""))
    type_text(two, text.replace("\b", "") + extra + "\b" * len(extra))
    assert type_text(one, " hy ") == type_text(two, " hy ")


def test_boundaries():
    assert is_boundary(" ") and is_boundary("亲") and is_boundary(";")
    assert not is_boundary("a") and not is_boundary("7")
