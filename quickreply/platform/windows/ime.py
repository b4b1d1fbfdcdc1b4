"""Whether an IME composition is open in the focused window (ImmGetCompositionString).

The IMM answers only for windows of the calling thread, so for another program's window the
answer is usually "cannot tell" (None); then an Enter counts as a send, as before.
"""

from __future__ import annotations

from typing import Any


def composition_open(api: Any) -> bool | None:
    """Return True/False for the focused window's IME composition, None when unknown."""
    foreground = api.foreground_window()
    if not foreground:
        return None
    thread, _pid = api.window_thread_process(foreground)
    focused = api.focused_window(thread) if thread else 0
    length = api.composition_length(focused or foreground)
    return None if length is None else length > 0
