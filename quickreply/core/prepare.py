"""The one way to fill a snippet: choose its language, gather its values and parse its body once.

`prepare` is what `Controller.insert`, the palette preview, the fields form and `quickreply render`
share, so the app and the command line give the same text for the same snippet and values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from quickreply.core.errors import ValidationError
from quickreply.core.language import has_cjk
from quickreply.core.library.model import Snippet
from quickreply.core.library.settings import Settings
from quickreply.core.library.store import LibraryStore
from quickreply.core.render import (
    DEFAULT_MAX_RENDERED_CHARS,
    Field,
    MissingValuesError,
    Parsed,
    Rendered,
    fields,
    parse,
    placeholder_problems,
    render,
)


@dataclass(frozen=True)
class Prepared:
    """A snippet ready to fill: its language, values, parsed body, problems and missing fields."""

    snippet: Snippet
    language: str
    values: Mapping[str, str]
    parsed: Parsed
    problems: tuple[str, ...]
    fields: tuple[Field, ...]
    max_chars: int = DEFAULT_MAX_RENDERED_CHARS

    @property
    def missing(self) -> tuple[Field, ...]:
        """The fields the agent must still fill in."""
        return tuple(f for f in self.fields if f.key not in self.values)

    def with_values(self, given: Mapping[str, str]) -> Prepared:
        """Return the same preparation with more values given (nothing is read or parsed again)."""
        values = {**self.values, **given}
        return replace(
            self, values=values, problems=self.problems + _choice_problems(self.fields, given)
        )

    def render(self, now: datetime | None = None) -> Rendered:
        """Return the filled text; raises ValidationError or MissingValuesError when not ready."""
        if self.problems:
            raise ValidationError(list(self.problems))
        if self.missing:
            raise MissingValuesError(list(self.missing))
        return render(
            self.parsed, self.values, now=now, language=self.language, max_chars=self.max_chars
        )

    def preview(self) -> str:
        """Return the text with each missing value shown as ``[label]`` (for previews)."""
        shown = self.with_values({f.key: f"[{f.label}]" for f in self.missing})
        return render(
            shown.parsed, shown.values, language=self.language, max_chars=self.max_chars
        ).text


def snippet_language(store: LibraryStore, snippet: Snippet, fallback: str) -> str:
    """Return the language a snippet is written in: its pack's, else Chinese if its text has CJK
    characters, else `fallback`."""
    if snippet.pack_id:
        language = store.pack_language(snippet.pack_id)
        if language:
            return language
    if has_cjk(snippet.title + snippet.body):
        return "zh-CN"
    return fallback


def prepare(
    snippet: Snippet,
    settings: Settings,
    store: LibraryStore,
    given: Mapping[str, str] | None = None,
    clipboard_text: Callable[[], str] | None = None,
) -> Prepared:
    """Prepare `snippet` for filling: language once, values once, parse once.

    `clipboard_text` is called only when the body uses ``{{clipboard}}``. Given values for a
    ``{{choice:...}}`` outside its options are reported in `problems`.
    """
    language = snippet_language(store, snippet, settings.ui_language())
    parsed = parse(snippet.body)
    problems = tuple(placeholder_problems(parsed))
    body_fields = tuple(fields(parsed, language))
    values = settings.values_for(language)
    uses_clipboard = any(p.name == "clipboard" for p in parsed.placeholders)
    if clipboard_text is not None and uses_clipboard and "clipboard" not in (given or {}):
        values["clipboard"] = clipboard_text()
    values.update(given or {})
    problems += _choice_problems(body_fields, given or {})
    return Prepared(
        snippet, language, values, parsed, problems, body_fields, settings.max_rendered_chars
    )


def _choice_problems(body_fields: tuple[Field, ...], given: Mapping[str, str]) -> tuple[str, ...]:
    return tuple(
        f"'{f.key}' must be one of: {' | '.join(f.options)} (got '{given[f.key]}')"
        for f in body_fields
        if f.is_choice and f.key in given and given[f.key] not in f.options
    )
