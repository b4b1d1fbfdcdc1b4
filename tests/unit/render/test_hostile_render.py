"""Hostile bodies: the placeholder scan is linear with a short report; filled text is capped."""

from __future__ import annotations

import re
import tracemalloc

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quickreply.core.errors import ValidationError
from quickreply.core.library.model import MAX_BODY, Snippet, clean_snippet
from quickreply.core.render import MAX_REPORTED_PROBLEMS, parse, placeholder_problems, render
from tests.hostile import tried


def _quadratic_scan(body: str) -> list[tuple[str, int, int]]:
    """The scan as it was before issue 13 (find per marker): the reference for the linear one."""
    marker = re.compile(r"\{\{|\}\}")
    found, pos = [], 0
    while (match := marker.search(body, pos)) is not None:
        if match.group() == "}}":
            found.append(("stray", match.start(), 0))
            pos = match.end()
            continue
        close, nested = body.find("}}", match.end()), body.find("{{", match.end())
        if close == -1 or (nested != -1 and nested < close):
            found.append(("unclosed", match.start(), 0))
            pos = match.end()
            continue
        found.append(("ph", match.start(), close + 2))
        pos = close + 2
    return found


@settings(max_examples=300)
@given(st.text(alphabet="{}:ab\n", max_size=40))
def test_linear_scan_finds_what_the_old_scan_found(body):
    tried("render")
    parsed = parse(body)
    expected = _quadratic_scan(body)
    assert [(p.start, p.end) for p in parsed.placeholders] == [
        (s, e) for kind, s, e in expected if kind == "ph"
    ]
    problems = len(parsed.syntax_problems) + parsed.more_syntax_problems
    assert problems == sum(1 for kind, _, _ in expected if kind != "ph")


@pytest.mark.parametrize("unit", ["}}", "{{", "{{x}}", "{{input}}", "{{date:%Q}}"])
def test_200000_bad_markers_give_a_short_report(unit):
    tried("render")
    body = unit * 200_000
    problems = placeholder_problems(body)
    assert len(problems) <= MAX_REPORTED_PROBLEMS + 1
    assert problems[-1].startswith("and ") and "more placeholder problem" in problems[-1]
    assert sum(len(p) for p in problems) < 2_000


def test_an_overlong_body_is_refused_for_its_length_without_a_scan():
    tried("render")
    with pytest.raises(ValidationError) as info:
        clean_snippet(Snippet(id="a", title="t", body="}}" * (MAX_BODY // 2 + 1)))
    assert info.value.problems == [f"snippet 'a': body is longer than {MAX_BODY} characters"]


def test_clipboard_amplification_is_refused_before_anything_is_built():
    tried("render")
    body = "{{clipboard}}" * (MAX_BODY // len("{{clipboard}}"))
    tracemalloc.start()
    with pytest.raises(ValidationError, match="max_rendered_chars"):
        render(body, {"clipboard": "x" * 1_000_000})
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 50_000_000  # the 1.5 GB result is never assembled


def test_the_rendered_size_cap_is_a_setting():
    assert render("{{clipboard}}", {"clipboard": "abc"}, max_chars=3).text == "abc"
    with pytest.raises(ValidationError, match="longer than 2 characters"):
        render("{{clipboard}}", {"clipboard": "abc"}, max_chars=2)


def test_prepare_caps_the_filled_text_with_the_setting(tmp_path):
    from quickreply.core.library.settings import Settings, validate_settings
    from quickreply.core.library.store import LibraryStore
    from quickreply.core.prepare import prepare

    tried("render")
    store = LibraryStore(tmp_path / "library.json")
    snippet = Snippet(id="s-1", title="t", body="{{clipboard}}" * 1_538)
    huge = prepare(snippet, Settings(), store, clipboard_text=lambda: "x" * 1_000_000)
    with pytest.raises(ValidationError, match="100,000 characters"):
        huge.render()
    with pytest.raises(ValidationError, match="100,000 characters"):
        huge.preview()
    small = prepare(snippet, Settings(max_rendered_chars=2_000), store, clipboard_text=lambda: "x")
    assert len(small.render().text) == 1_538
    with pytest.raises(ValidationError, match="max_rendered_chars"):
        validate_settings(Settings(max_rendered_chars=0))
