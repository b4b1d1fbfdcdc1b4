"""Languages: the two QuickReply speaks (zh-CN first, English) and telling Chinese text apart."""

from __future__ import annotations

import re
from typing import Literal

Language = Literal["zh-CN", "en"]
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def is_chinese(language: str) -> bool:
    """True for any Chinese language tag ('zh', 'zh-CN', 'zh_TW', 'chinese' ...)."""
    return language.lower().startswith(("zh", "chinese"))


def normalize_language(language: str) -> Language:
    """Return 'zh-CN' for any Chinese tag, else 'en'."""
    return "zh-CN" if is_chinese(language) else "en"


def has_cjk(text: str) -> bool:
    """True when `text` holds at least one CJK ideograph."""
    return _CJK.search(text) is not None
