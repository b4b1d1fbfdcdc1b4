from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quickreply.core.errors import ValidationError
from quickreply.core.render import (
    KNOWN_NAMES,
    MissingValuesError,
    default_values,
    fields,
    placeholder_problems,
    render,
)

NOW = datetime(2026, 11, 23, 9, 5)


@given(st.text().filter(lambda t: "{" not in t and "}" not in t))
def test_text_without_braces_renders_unchanged(text):
    assert render(text, {}, now=NOW).text == text


@given(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1).filter(
        lambda n: n not in KNOWN_NAMES
    )
)
def test_unknown_placeholders_always_rejected(name):
    problems = placeholder_problems(f"x {{{{{name}}}}} y")
    assert problems and "unknown placeholder" in problems[0]
    with pytest.raises(ValidationError):
        render(f"{{{{{name}}}}}", {}, now=NOW)


def test_single_braces_are_plain_text():
    assert render("{a} {b}", {}, now=NOW).text == "{a} {b}"


def test_variables_dates_and_cursor():
    out = render(
        "{{customer}}您好，订单{{order}}已于{{date:%m月%d日}} {{time}}发出，预计{{cursor}}送达",
        {"customer": "张三", "order": "123"},
        now=NOW,
    )
    assert out.text == "张三您好，订单123已于11月23日 09:05发出，预计送达"
    assert out.caret_left_presses == 2


def test_default_date_format():
    assert render("{{date}}", {}, now=NOW).text == "2026-11-23"


def test_input_and_choice_are_fields_and_must_be_given():
    body = "金额{{input:差价金额}}元，{{choice:快递|顺丰|中通}}"
    keys = [(f.key, f.options) for f in fields(body)]
    assert keys == [("差价金额", ()), ("快递", ("顺丰", "中通"))]
    with pytest.raises(MissingValuesError) as err:
        render(body, {"差价金额": "5"}, now=NOW)
    assert [f.key for f in err.value.fields] == ["快递"]
    assert render(body, {"差价金额": "5", "快递": "顺丰"}, now=NOW).text == "金额5元，顺丰"


def test_problems_name_position_and_suggest():
    problems = placeholder_problems("第一行\n你好{{custmer}}")
    assert problems == [
        "unknown placeholder {{custmer}} at line 2, column 3 (did you mean {{customer}}?)"
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{{customer", "never closed"),
        ("x }} y", "without an opening"),
        ("{{input}}", "needs a label"),
        ("{{choice:快递|顺丰}}", "at least two options"),
        ("{{date:%c}}", "unsupported date format %c"),
        ("{{cursor}}{{cursor}}", "only once"),
        ("{{shop:x}}", "takes no argument"),
    ],
)
def test_malformed_placeholders(body, message):
    assert any(message in p for p in placeholder_problems(body))


def test_no_placeholder_runs_code():
    # Python format fields, attribute access and shell-looking text are never evaluated
    body = "{0.__class__} $(rm -rf /) `id` {{shop}}"
    assert render(body, {"shop": "S"}, now=NOW).text == "{0.__class__} $(rm -rf /) `id` S"
    assert placeholder_problems("{{__import__}}")


def test_default_values_per_language():
    assert default_values("zh-CN")["customer"] == "亲"
    assert default_values("en")["customer"] == "there"
    assert "order" not in default_values("en")
