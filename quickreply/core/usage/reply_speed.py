"""Reply speed: turning key presses (never which keys) into compose times of replies.

A reply is composed from the first key press after the previous Enter to the Enter that sends it.
The OS hook (platform/keycount) reports only "a key" or "Enter"; this state machine is pure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from quickreply.core.process_names import normalize_process_name, normalized_names

MAX_COMPOSE_MS = 15 * 60_000  # longer than this the agent was away, not composing: not a sample


@dataclass(frozen=True)
class Composed:
    """One reply: when composing started and ended (the hook's ms clock), and if a snippet helped."""

    start_ms: int
    end_ms: int
    used_snippet: bool
    app: str | None = None

    @property
    def compose_ms(self) -> int:
        """Return how long the reply took to compose."""
        return self.end_ms - self.start_ms


class ComposeTracker:
    """The state machine: idle until a key press, composing until Enter.

    Feed it every key press (`key`) and every snippet insertion (`snippet_inserted`, called when
    the insertion starts, before its keys are sent). With `chat_apps`, keys in other applications
    are ignored (process names compared with core.process_names: any case, ``.exe`` optional).
    """

    def __init__(
        self, chat_apps: Iterable[str] | None = None, max_compose_ms: int = MAX_COMPOSE_MS
    ) -> None:
        self._chat_apps = normalized_names(chat_apps) if chat_apps else None
        self._max_compose_ms = max_compose_ms
        self._start_ms: int | None = None
        self._used_snippet = False

    @property
    def composing(self) -> bool:
        """Return whether a reply is being composed (a key was pressed since the last Enter)."""
        return self._start_ms is not None

    def key(self, is_enter: bool, t_ms: int, app: str | None = None) -> Composed | None:
        """Take one key press; return the finished reply when it is the Enter that sends one."""
        if self._chat_apps is not None and normalize_process_name(app or "") not in self._chat_apps:
            return None
        if not is_enter:
            if self._start_ms is None:
                self._start_ms, self._used_snippet = t_ms, False
            return None
        if self._start_ms is None:
            return None  # Enter in an empty box sends nothing
        composed = Composed(self._start_ms, t_ms, self._used_snippet, app)
        self.reset()
        return composed if 0 <= composed.compose_ms <= self._max_compose_ms else None

    def snippet_inserted(self, t_ms: int) -> None:
        """Mark the reply being composed as using a snippet (starting it, if idle)."""
        if self._start_ms is None:
            self._start_ms = t_ms
        self._used_snippet = True

    def reset(self) -> None:
        """Forget the reply in progress."""
        self._start_ms = None
        self._used_snippet = False
