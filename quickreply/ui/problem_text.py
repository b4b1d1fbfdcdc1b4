"""Core's checks worded for the agent: no internal ids, and in the interface language.

Core reports problems in English with the snippet's id in front (`snippet 's-0111fc94': title is
empty`), which suits the CLI and logs; widgets show them through `shown_problem` (the editor's
problems, without the id) and `shown_error` (any error caught in a widget).
"""

from __future__ import annotations

import re

from quickreply.core.errors import ValidationError
from quickreply.core.i18n import tr
from quickreply.core.message_translation import translate_message

_OWNER = re.compile(r"^(snippet|category) '[^']*': ")
# core's worded problems with values in them: (pattern, English template for tr)
_PATTERNS = (
    (
        re.compile(r"^'}}' without an opening '\{\{' at line (?P<line>\d+), column (?P<column>\d+)$"),
        "'}}}}' without an opening '{{{{' at line {line}, column {column}",
    ),
    (
        re.compile(r"^'\{\{' is never closed at line (?P<line>\d+), column (?P<column>\d+)$"),
        "'{{{{' is never closed at line {line}, column {column}",
    ),
    (
        re.compile(r"^unknown placeholder (?P<marker>\{\{.*?\}\}) (?P<where>at line \d+, column \d+)"
                   r"(?: \(did you mean (?P<hint>\{\{\w+\}\})\?\))?$"),
        "unknown placeholder {marker}",
    ),
)  # fmt: skip


def shown_problem(problem: str) -> str:
    """Return `problem` without the owner's id, translated when the catalogue knows it."""
    text = _OWNER.sub("", problem)
    for pattern, template in _PATTERNS:
        match = pattern.match(text)
        if match:
            shown = tr(
                template, **{k: v for k, v in match.groupdict().items() if v and k != "hint"}
            )
            hint = match.groupdict().get("hint")
            return shown + (tr(" (did you mean {hint}?)", hint=hint) if hint else "")
    return translate_message(text)


def shown_error(exc: BaseException) -> str:
    """Return an error for a widget: each of a ValidationError's problems on its own line, core's
    English wording in the interface language (core/message_translation.py)."""
    if isinstance(exc, ValidationError):
        return "\n".join(translate_message(problem) for problem in exc.problems)
    return translate_message(str(exc))
