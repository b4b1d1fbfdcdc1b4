"""Global hotkeys of the running app: what each combination does, registering them, dispatching.

The hook thread only emits `fired` (a queued Qt signal) with the canonical combination and a
`perf_counter_ns` stamp; `HotkeyRegistry` decides on the Qt main thread what that press means.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from PySide6.QtCore import QObject, Signal

from quickreply.core.errors import QuickReplyError
from quickreply.core.hotkey import parse_hotkey
from quickreply.core.i18n import tr
from quickreply.core.library.settings import Settings
from quickreply.core.library.store import LibraryStore
from quickreply.core.packs.visibility import hidden_packs
from quickreply.platform.errors import HotkeyError
from quickreply.platform.hotkeys import HotkeyBackend

ActionKind = Literal["snippet", "category", "palette", "suggest"]


@dataclass(frozen=True)
class HotkeyAction:
    """What a registered hotkey does: insert a snippet, pop a category menu, or open the palette."""

    kind: ActionKind
    target_id: str = ""
    label: str = ""


@dataclass
class HotkeyStatus:
    """Registered hotkeys and the ones that could not be registered, with the reason."""

    active: dict[str, HotkeyAction] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def wanted_hotkeys(store: LibraryStore, settings: Settings) -> dict[str, HotkeyAction]:
    """Return every hotkey the library and settings ask for (canonical combo -> action)."""
    wanted = {settings.palette_hotkey: HotkeyAction("palette", label=tr("Search palette"))}
    wanted.setdefault(settings.suggest_hotkey, HotkeyAction("suggest", label=tr("Suggest replies")))
    hidden = hidden_packs(store)  # a pack hidden from the menu binds no hotkeys either
    for category in store.categories():
        if category.hotkey and category.pack_id not in hidden:
            wanted.setdefault(category.hotkey, HotkeyAction("category", category.id, category.name))
    for snippet in store.snippets():
        if snippet.hotkey and snippet.pack_id not in hidden:
            wanted.setdefault(snippet.hotkey, HotkeyAction("snippet", snippet.id, snippet.title))
    return wanted


class HotkeyRegistry(QObject):
    """Keeps the backend's registrations equal to what the library wants; reports each press."""

    fired = Signal(str, object)  # canonical combination, perf_counter_ns at the hook

    def __init__(self, backend: HotkeyBackend | None) -> None:
        super().__init__()
        self.backend = backend
        self.status = HotkeyStatus()
        self.paused = False
        self.suspended = False  # while the hotkey recorder has focus (not the agent's pause)

    @property
    def backend_name(self) -> str | None:
        """The backend in use ('x11', 'keyboard' ...), or None without global hotkeys."""
        return self.backend.name if self.backend else None

    def action(self, combo: str) -> HotkeyAction | None:
        """Return what `combo` does now, or None (unknown, or hotkeys paused)."""
        return None if self.paused or self.suspended else self.status.active.get(combo)

    def grab_keys(self, trigger: str | None = None) -> frozenset[str]:
        """The keys of the registered combinations, except the key of `trigger` (the combination
        that started the current insertion, which the agent may still hold)."""
        keys = {parse_hotkey(combo).key for combo in self.status.active}
        if trigger:
            keys.discard(parse_hotkey(trigger).key)
        return frozenset(keys)

    def sync(self, wanted: dict[str, HotkeyAction]) -> HotkeyStatus:
        """Register `wanted`, releasing what is no longer wanted; return the status."""
        if self.backend is None:
            return self.status
        for combo in list(self.status.active):
            if combo not in wanted:
                self.backend.unregister(parse_hotkey(combo))
                del self.status.active[combo]
        problems = []
        for combo, action in wanted.items():
            if combo in self.status.active:
                self.status.active[combo] = action
                continue
            try:
                self.backend.register(parse_hotkey(combo), self._hook_callback(combo))
            except (HotkeyError, QuickReplyError) as exc:
                problems.append(f"{action.label}: {exc}")
                continue
            self.status.active[combo] = action
        self.status.problems = problems
        return self.status

    def _hook_callback(self, combo: str) -> Callable[[], None]:
        fired = self.fired

        def on_hotkey() -> None:
            # runs on the hook thread: hand off and return at once
            try:
                fired.emit(combo, time.perf_counter_ns())
            except Exception:  # noqa: BLE001 - a hook thread must survive; the crash guard reports
                sys.excepthook(*sys.exc_info())

        return on_hotkey

    def probe(self, combo: str) -> str | None:
        """Return why the system refuses `combo` as a global hotkey, or None if it accepts it.

        Registers the combination for a moment and releases it again; combinations QuickReply
        holds already, and systems without global hotkeys, report None.
        """
        if self.backend is None or self.paused or combo in self.status.active:
            return None
        hotkey = parse_hotkey(combo)
        try:
            self.backend.register(hotkey, lambda: None)
        except (HotkeyError, QuickReplyError) as exc:
            return str(exc)
        self.backend.unregister(hotkey)
        return None

    def set_paused(self, paused: bool) -> bool:
        """Pause or resume every global hotkey; return whether anything changed."""
        if paused == self.paused:
            return False
        before = self.paused or self.suspended
        self.paused = paused
        self._follow(before)
        return True

    def set_suspended(self, suspended: bool) -> None:
        """Release every grab while the hotkey recorder records; grab again afterwards.

        Kept apart from the agent's pause: ending a recording never resumes paused hotkeys.
        """
        before = self.paused or self.suspended
        self.suspended = suspended
        self._follow(before)

    def _follow(self, released_before: bool) -> None:
        """Release or grab again when paused-or-suspended changed."""
        released = self.paused or self.suspended
        if self.backend is None or released == released_before:
            return
        if released:
            self.backend.pause()
        else:
            self.backend.resume()

    def close(self) -> None:
        """Release every registration."""
        if self.backend is not None:
            self.backend.close()
