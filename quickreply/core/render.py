"""Placeholders: Espanso-like ``{{name}}`` / ``{{name:argument}}`` markers filled at insertion time.

Only the names below exist; anything else is refused when a snippet is saved or imported, with its
position. Rendering is plain string substitution: no placeholder can run code or a shell command.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from quickreply.core.errors import ValidationError
from quickreply.core.language import is_chinese


@dataclass(frozen=True)
class Variable:
    """A named value: asked per insertion (`ask`) or a shop fact kept in settings."""

    name: str
    label_zh: str
    label_en: str
    default_zh: str = ""
    default_en: str = ""
    ask: bool = False


VARIABLES: dict[str, Variable] = {
    v.name: v
    for v in (
        Variable("customer", "顾客称呼", "Customer name", "亲", "there"),
        Variable("order", "订单号", "Order number", ask=True),
        Variable("product", "商品", "Product", ask=True),
        Variable("tracking", "快递单号", "Tracking number", ask=True),
        Variable("shop", "店铺名", "Shop name", "本店", "our shop"),
        Variable("agent", "客服名", "Agent name", "客服", "Customer Service"),
        Variable("return_days", "无理由退货天数", "No-reason return days", "7", "7"),
        Variable("refund_days", "退款到账天数", "Refund days", "3", "3"),
        Variable("price_protect_days", "补差价天数", "Price-protection days", "15", "15"),
        Variable(
            "close_hours", "未付款订单关闭小时数", "Unpaid order closes after (hours)", "24", "24"
        ),
        Variable("service_hours", "客服时间", "Service hours", "09:00-23:00", "09:00-23:00"),
        Variable(
            "return_shipping",
            "退货运费规则",
            "Return shipping rule",
            "七天无理由退货的寄回运费由您承担；如果是商品质量问题或我们发错了货，来回运费都由我们承担。",
            "For no-reason returns the return shipping is on you; if the item is faulty or we sent "
            "the wrong one, we cover all shipping.",
        ),
        Variable(
            "exchange_shipping",
            "换货运费规则",
            "Exchange shipping rule",
            "换货时，寄回的运费由您承担，给您寄出新货的运费由我们承担。",
            "For an exchange, you pay to send the item back and we pay to ship the replacement.",
        ),
    )
}
SHOP_FACTS = tuple(name for name, v in VARIABLES.items() if not v.ask and name != "customer")
BUILTINS = ("date", "time", "clipboard", "cursor", "input", "choice")
KNOWN_NAMES = tuple(VARIABLES) + BUILTINS

_MARKER = re.compile(r"\{\{|\}\}")
_NAME = re.compile(r"^[a-z_]+$")
_STRFTIME_DIRECTIVE = re.compile(r"%(.)")
_SAFE_DIRECTIVES = set("aAbBdHIjmMpSyYwWUzZeGuV%")
MAX_REPORTED_PROBLEMS = 5  # per body; the rest are counted ("and 199,995 more")
DEFAULT_MAX_RENDERED_CHARS = 100_000  # setting max_rendered_chars: {{clipboard}} x 1,500 stops here


@dataclass(frozen=True)
class Placeholder:
    """One ``{{...}}`` marker found in a body: its name, argument and span."""

    name: str
    argument: str | None
    start: int
    end: int


@dataclass(frozen=True)
class Field:
    """A value the agent must give at insertion time (input, choice, or an asked variable)."""

    key: str
    label: str
    options: tuple[str, ...] = ()

    @property
    def is_choice(self) -> bool:
        """True when the agent picks one of `options` rather than typing."""
        return bool(self.options)


@dataclass(frozen=True)
class Rendered:
    """Filled text, and where the caret should end (index into text) when {{cursor}} was used."""

    text: str
    cursor: int | None = None

    @property
    def caret_left_presses(self) -> int:
        """Left-arrow presses that move the caret from the end of the text to {{cursor}}."""
        return 0 if self.cursor is None else len(self.text) - self.cursor


class MissingValuesError(ValidationError):
    """Rendering needs values the caller did not give; `fields` says which."""

    def __init__(self, fields: list[Field]) -> None:
        self.fields = fields
        super().__init__("needs a value for " + ", ".join(f"'{f.key}'" for f in fields))


class _Lines:
    """Line/column of any index in one body, found by bisection (a scan per problem was quadratic)."""

    def __init__(self, text: str) -> None:
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, index: int) -> str:
        line = bisect.bisect_right(self._starts, index)
        return f"line {line}, column {index - self._starts[line - 1] + 1}"


@dataclass(frozen=True)
class Parsed:
    """A body read once: its placeholders in order and its syntax problems."""

    body: str
    placeholders: tuple[Placeholder, ...]
    syntax_problems: tuple[str, ...]
    more_syntax_problems: int = 0  # beyond those described in syntax_problems


def parse(body: str) -> Parsed:
    """Read `body` once: every placeholder marker and the unclosed or stray braces."""
    found, problems, extra = _scan(body)
    return Parsed(body, tuple(found), tuple(problems), extra)


def _scan(body: str) -> tuple[list[Placeholder], list[str], int]:
    """Find every marker in one pass; return them and the first syntax problems (unclosed or stray
    braces) plus a count of the rest, so a hostile body costs linear time and a short message."""
    found: list[Placeholder] = []
    bad: list[int] = []  # start of every unclosed '{{' (positive) or stray '}}' (as -1 - start)
    opened: int | None = None  # start of a '{{' still waiting for its '}}'
    for match in _MARKER.finditer(body):
        start = match.start()
        if match.group() == "{{":
            if opened is not None:
                bad.append(opened)
            opened = start
        elif opened is None:
            bad.append(-1 - start)
        else:
            name, sep, argument = body[opened + 2 : start].partition(":")
            found.append(
                Placeholder(name.strip(), argument.strip() if sep else None, opened, match.end())
            )
            opened = None
    if opened is not None:
        bad.append(opened)
    lines = _Lines(body) if bad else None
    problems = [
        f"'{{{{' is never closed at {lines.position(at)}"
        if at >= 0
        else f"'}}}}' without an opening '{{{{' at {lines.position(-1 - at)}"
        for at in sorted(bad, key=lambda i: i if i >= 0 else -1 - i)[:MAX_REPORTED_PROBLEMS]
        if lines is not None
    ]
    extra = len(bad) - len(problems)
    return found, problems, extra


def _more(count: int) -> str:
    return f"and {count:,} more placeholder problem{'s' if count > 1 else ''}"


def placeholder_problems(body: str | Parsed) -> list[str]:
    """Return the placeholder problems in `body`, each naming its position; empty when valid.

    At most MAX_REPORTED_PROBLEMS are described; a last entry counts the others.
    """
    parsed = body if isinstance(body, Parsed) else parse(body)
    body = parsed.body
    problems = list(parsed.syntax_problems)
    extra = parsed.more_syntax_problems
    lines = _Lines(body) if parsed.placeholders else None
    cursors = 0
    for ph in parsed.placeholders:
        if ph.name == "cursor":
            cursors += 1
        if _placeholder_ok(ph):
            continue
        if len(problems) >= MAX_REPORTED_PROBLEMS or lines is None:
            extra += 1
            continue
        problems.append(_placeholder_problem(ph, body[ph.start : ph.end], lines.position(ph.start)))
    if cursors > 1:
        problems.append("{{cursor}} may appear only once")
    if extra:
        problems.append(_more(extra))
    return problems


def _placeholder_ok(ph: Placeholder) -> bool:
    """Whether one marker is valid on its own (cheap: no message is built)."""
    if not _NAME.match(ph.name) or ph.name not in KNOWN_NAMES:
        return False
    if ph.name in ("input", "choice"):
        if not ph.argument:
            return False
        return ph.name == "input" or len([o for o in ph.argument.split("|")[1:] if o.strip()]) >= 2
    if ph.name in ("date", "time"):
        return not ph.argument or all(
            d in _SAFE_DIRECTIVES for d in _STRFTIME_DIRECTIVE.findall(ph.argument)
        )
    return ph.argument is None


def _placeholder_problem(ph: Placeholder, marker: str, position: str) -> str:
    """Describe what is wrong with one invalid marker."""
    where = f"at {position}"
    if not _NAME.match(ph.name) or ph.name not in KNOWN_NAMES:
        hint = difflib.get_close_matches(ph.name[:40], KNOWN_NAMES, n=1)
        suggestion = f" (did you mean {{{{{hint[0]}}}}}?)" if hint else ""
        return f"unknown placeholder {_shorten(marker)} {where}{suggestion}"
    if ph.name == "input" or (ph.name == "choice" and not ph.argument):
        return f"{marker} {where} needs a label, e.g. {{{{{ph.name}:订单号}}}}"
    if ph.name == "choice":
        return f"{_shorten(marker)} {where} needs a label and at least two options: {{{{choice:快递|顺丰|中通}}}}"
    if ph.name in ("date", "time"):
        bad = [
            d for d in _STRFTIME_DIRECTIVE.findall(ph.argument or "") if d not in _SAFE_DIRECTIVES
        ]
        return f"{_shorten(marker)} {where}: unsupported date format %{bad[0]}"
    return f"{_shorten(marker)} {where}: {{{{{ph.name}}}}} takes no argument"


def _shorten(marker: str, limit: int = 60) -> str:
    return marker if len(marker) <= limit else marker[: limit - 3] + "...}}"


def validate_body(body: str) -> None:
    """Raise ValidationError listing every placeholder problem in `body`."""
    problems = placeholder_problems(body)
    if problems:
        raise ValidationError(problems)


def default_values(language: str) -> dict[str, str]:
    """Return the built-in defaults of the non-asked variables for a language ('zh…' or other)."""
    chinese = is_chinese(language)
    return {
        name: (v.default_zh if chinese else v.default_en)
        for name, v in VARIABLES.items()
        if not v.ask
    }


def _field_for(ph: Placeholder, language: str) -> Field | None:
    if ph.name == "input":
        return Field(ph.argument or "", ph.argument or "")
    if ph.name == "choice":
        label, *options = (part.strip() for part in (ph.argument or "").split("|"))
        return Field(label, label, tuple(o for o in options if o))
    variable = VARIABLES.get(ph.name)
    if variable is not None:
        label = variable.label_zh if is_chinese(language) else variable.label_en
        return Field(ph.name, label)
    return None


def fields(body: str | Parsed, language: str = "zh-CN") -> list[Field]:
    """Return the values a body can take from the agent, in order of first use, without repeats."""
    parsed = body if isinstance(body, Parsed) else parse(body)
    seen: dict[str, Field] = {}
    for ph in parsed.placeholders:
        field = _field_for(ph, language)
        if field is not None and field.key not in seen:
            seen[field.key] = field
    return list(seen.values())


def missing_fields(
    body: str | Parsed, values: Mapping[str, str], language: str = "zh-CN"
) -> list[Field]:
    """Return the fields of `body` that `values` does not supply (the agent must be asked)."""
    return [f for f in fields(body, language) if f.key not in values]


def render(
    body: str | Parsed,
    values: Mapping[str, str],
    *,
    now: datetime | None = None,
    language: str = "zh-CN",
    max_chars: int = DEFAULT_MAX_RENDERED_CHARS,
) -> Rendered:
    """Fill every placeholder of `body` from `values` (plus date/time from `now`).

    Raises ValidationError for invalid placeholders or a result longer than `max_chars`, and
    MissingValuesError for values not given.
    """
    parsed = body if isinstance(body, Parsed) else parse(body)
    problems = placeholder_problems(parsed)
    if problems:
        raise ValidationError(problems)
    missing = missing_fields(parsed, values, language)
    if missing:
        raise MissingValuesError(missing)
    return _fill(parsed, values, now or datetime.now(), language, max_chars)


def _fill(
    parsed: Parsed, values: Mapping[str, str], moment: datetime, language: str, max_chars: int
) -> Rendered:
    """Substitute every placeholder of an already checked body, stopping past `max_chars`."""
    body = parsed.body
    found = parsed.placeholders
    out: list[str] = []
    cursor: int | None = None
    pos = 0
    length = 0
    for ph in found:
        literal = body[pos : ph.start]
        out.append(literal)
        length += len(literal)
        if ph.name == "cursor":
            cursor = length
            value = ""
        elif ph.name == "date":
            value = _strftime(moment, ph.argument or "%Y-%m-%d")
        elif ph.name == "time":
            value = _strftime(moment, ph.argument or "%H:%M")
        elif ph.name == "clipboard":
            value = values.get("clipboard", "")
        else:
            field = _field_for(ph, language)
            value = values[field.key] if field else ""
        out.append(value)
        length += len(value)
        if length > max_chars:
            raise _too_long(max_chars)
        pos = ph.end
    if length + len(body) - pos > max_chars:
        raise _too_long(max_chars)
    out.append(body[pos:])
    return Rendered("".join(out), cursor)


def _too_long(max_chars: int) -> ValidationError:
    return ValidationError(
        f"the filled text would be longer than {max_chars:,} characters (setting "
        "max_rendered_chars); nothing was pasted"
    )


def _strftime(moment: datetime, fmt: str) -> str:
    """strftime one directive at a time, so non-ASCII text (年月日) never reaches the C library."""
    return _STRFTIME_DIRECTIVE.sub(lambda m: moment.strftime("%" + m.group(1)), fmt)
