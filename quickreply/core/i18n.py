"""The one translation helper: English source strings, a zh-CN catalogue in resources/i18n.

`tr("Quit")` returns "退出" when the interface language is zh-CN. Missing entries fall back to
English, so an untranslated string is never blank.
"""

from __future__ import annotations

import json
from functools import lru_cache

from quickreply.core.language import normalize_language
from quickreply.core.library import paths

_language = "en"


def set_language(language: str) -> None:
    """Choose the interface language: 'zh-CN' or 'en'."""
    global _language
    _language = normalize_language(language)


def language() -> str:
    """Return the current interface language."""
    return _language


def catalogue(lang: str) -> dict[str, str]:
    """Return the translations of `lang` (English text -> translated), empty for English."""
    return _catalogue(lang)


@lru_cache(maxsize=4)
def _catalogue(lang: str) -> dict[str, str]:
    path = paths.resources_dir() / "i18n" / f"{lang}.json"
    if not path.exists():
        return {}
    data: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return data


def tr(text: str, **values: object) -> str:
    """Translate `text` into the interface language and fill ``{name}`` fields from `values`."""
    translated = text if _language == "en" else _catalogue(_language).get(text, text)
    return translated.format(**values) if values else translated


def tr_n(one: str, many: str, count: int, **values: object) -> str:
    """Translate the singular or plural English text for `count` ("1 agent", "3 agents"); the
    text gets ``{count}`` as well as `values`. Chinese has one form: both keys map to it."""
    return tr(one if count == 1 else many, count=count, **values)
