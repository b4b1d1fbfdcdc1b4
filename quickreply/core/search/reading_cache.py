"""The pinyin readings of the library's characters, kept between starts.

Building the search index needs each Chinese character's readings; looking them up loads
pypinyin's tables (12 MB resident, about 50 ms). The readings looked up are stored here, so the
next start builds its index from this small file and loads pypinyin only for a character no
snippet had before. It is derived data: a damaged or foreign file is moved aside
(``<name>.corrupt-<time>``), logged, and the readings are looked up again.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path

from quickreply.core.errors import QuickReplyError, ValidationError
from quickreply.core.library.atomic import atomic_write_text
from quickreply.core.library.storage import move_aside
from quickreply.core.safe_load import load_json
from quickreply.core.search.pinyin import has_cjk

CACHE_NAME = "pinyin-readings.json"
_FORMAT = 1
_MAX_CHAR_READINGS = 16  # 了 has 3, the most any character has is under 10
_MAX_BYTES = 8_000_000  # every CJK character there is, with all its readings, is under 3 MB
log = logging.getLogger(__name__)


def load_reading_cache(path: Path) -> dict[str, list[str]]:
    """Return the readings stored at `path`: character -> readings ({} when there are none)."""
    try:
        if path.stat().st_size > _MAX_BYTES:
            raise ValidationError(f"{path.name}: larger than {_MAX_BYTES} bytes")
        readings = _checked(load_json(path.read_bytes(), path.name))
    except FileNotFoundError:
        return {}
    except ValidationError as exc:
        try:
            log.warning("%s", move_aside(path, str(exc)))
        except QuickReplyError as failed:
            log.warning("%s", failed)
        return {}
    except OSError as exc:
        log.warning("the pinyin readings in %s cannot be read (%s)", path, exc)
        return {}
    return readings


def save_reading_cache(path: Path, readings: Mapping[str, Sequence[str]]) -> None:
    """Store `readings` (character -> readings, the most common first) at `path`, atomically."""
    document = {
        "format": _FORMAT,
        "app": "QuickReply",
        "readings": {char: list(found) for char, found in sorted(readings.items())},
    }
    atomic_write_text(path, json.dumps(document, ensure_ascii=False, separators=(",", ":")))


def _checked(value: object) -> dict[str, list[str]]:
    if not isinstance(value, dict) or value.get("format") != _FORMAT:
        raise ValidationError("not a QuickReply pinyin reading file (format 1)")
    readings = value.get("readings")
    if not isinstance(readings, dict):
        raise ValidationError("its readings are not a table")
    for char, found in readings.items():
        if not (len(char) == 1 and has_cjk(char)):
            raise ValidationError(f"{char[:10]!r} is not one Chinese character")
        if not (isinstance(found, list) and 0 < len(found) <= _MAX_CHAR_READINGS):
            raise ValidationError(f"the readings of {char} are not a short list")
        if not all(
            isinstance(r, str) and (r == char or (r.isascii() and r.isalpha())) for r in found
        ):
            raise ValidationError(f"a reading of {char} is not pinyin")
    return readings
