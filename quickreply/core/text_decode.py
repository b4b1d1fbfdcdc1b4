"""Decoding text an agent pipes in or points to: UTF-8 by default, or a named encoding.

A wrong byte is reported by position and value, in one line, instead of being smuggled into the
library as a lone surrogate that fails later when the library is written.
"""

from __future__ import annotations

import codecs

from quickreply.core.errors import QuickReplyError


def decode_text(data: bytes, source: str, encoding: str = "utf-8") -> str:
    """Return `data` decoded with `encoding` (a UTF-8 byte-order mark is dropped).

    Raises QuickReplyError naming `source`, the first bad byte and its position, and the
    `--encoding` way out; or naming an unknown encoding.
    """
    try:
        codec = codecs.lookup(encoding)
    except LookupError as exc:
        raise QuickReplyError(f"unknown encoding '{encoding}' (e.g. utf-8, gbk, gb18030)") from exc
    name = "utf-8-sig" if codec.name == "utf-8" else codec.name
    try:
        return data.decode(name)
    except UnicodeDecodeError as exc:
        byte = data[exc.start : exc.start + 1].hex()
        raise QuickReplyError(
            f"{source} is not valid {encoding} text: byte 0x{byte} at position {exc.start}; "
            "save it as UTF-8 or give its encoding with --encoding (e.g. --encoding gbk)"
        ) from exc
