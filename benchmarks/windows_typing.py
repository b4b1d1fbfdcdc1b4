"""Type mode on Windows: OS input calls per snippet, `keyboard.write` against our SendInput sender.

Counts the calls each sender makes to type every default snippet (rendered with default
values), with a counting stand-in for the OS below both: `keyboard`'s Windows paths
(type_unicode = one SendInput per character, press/release = one keybd_event each) and our
Win32 layer (one SendInput per chord or 200-character chunk). Also times building our batches,
the Python work that runs the same on Windows. Counts, not Windows timings: those need a Windows
desktop (see docs/windows.md).

Run: PYTHONPATH=$PWD python benchmarks/windows_typing.py
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from types import SimpleNamespace

import keyboard

from quickreply.core.render import render
from quickreply.platform.windows.keys import SendInputKeySender, text_batches


def default_snippet_texts() -> list[str]:
    """Return every default snippet, rendered with the default values, in a temporary home."""
    with tempfile.TemporaryDirectory() as home:
        os.environ["QUICKREPLY_HOME"] = home
        from quickreply.core.library.settings import load_settings
        from quickreply.core.packs.defaults import open_library
        from quickreply.core.prepare import snippet_language

        store = open_library()
        settings = load_settings(store)
        texts = []
        for snippet in store.snippets():
            language = snippet_language(store, snippet, "zh-CN")
            values = settings.values_for(language)
            values.update({"order": "123456789", "product": "T恤", "clipboard": "SF1234567890"})
            try:
                texts.append(render(snippet.body, values, language=language).text)
            except Exception:  # noqa: BLE001 - a snippet needing a choice: type its body
                texts.append(snippet.body)
        return texts


def keyboard_write_calls(text: str) -> int:
    """OS input calls `keyboard.write` makes on Windows (exact=True) for `text`."""
    calls = [0]

    def count(*_args: object) -> None:
        calls[0] += 1

    fake_os = SimpleNamespace(
        type_unicode=count,
        press=count,
        release=count,
        map_name=lambda name: iter([(28, ())]) if name == "enter" else iter([(1, ())]),
    )
    real_os = keyboard._os_keyboard
    keyboard._os_keyboard = fake_os
    try:
        keyboard.write(text, exact=True)
    finally:
        keyboard._os_keyboard = real_os
    return calls[0]


class CountingWin32:
    """The two calls SendInputKeySender makes, counted."""

    def __init__(self) -> None:
        self.calls = 0
        self.events = 0

    def send_input(self, events: list[object]) -> int:
        self.calls += 1
        self.events += len(events)
        return len(events)

    def key_is_down(self, _vk: int) -> bool:
        return False


def main() -> None:
    texts = default_snippet_texts()
    chars = [len(t) for t in texts]
    ours = CountingWin32()
    sender = SendInputKeySender(ours)
    for text in texts:
        sender.type_text(text)
    # keyboard.write sends "\n" as a bare Enter (a send in chat apps): count it as a character
    theirs = sum(keyboard_write_calls(text.replace("\n", " ")) for text in texts)
    build_us = []
    for text in texts:
        start = time.perf_counter()
        for _ in range(20):
            text_batches(text)
        build_us.append((time.perf_counter() - start) / 20 * 1e6)
    print(
        f"{len(texts)} default snippets, {statistics.mean(chars):.0f} characters on average "
        f"(longest {max(chars)})"
    )
    print(
        f"keyboard.write:      {theirs} OS input calls "
        f"({theirs / len(texts):.1f} per snippet: one SendInput per character)"
    )
    print(
        f"SendInputKeySender:  {ours.calls} SendInput calls ({ours.calls / len(texts):.1f} per "
        f"snippet), {ours.events} key events, newlines as Shift+Enter in the same call"
    )
    print(
        f"building our batches: median {statistics.median(build_us):.0f} µs per snippet, "
        f"max {max(build_us):.0f} µs (Python, the same on Windows)"
    )


if __name__ == "__main__":
    main()
