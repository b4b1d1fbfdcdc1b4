"""The controller: wires library, hotkeys, injector and usage log; every trigger ends in `insert`.

Hook threads only emit `_fired` (a queued Qt signal); everything else runs on the Qt main thread.
Insertions are queued and done one at a time, so rapid triggers insert every snippet, in order.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from quickreply.core.errors import QuickReplyError
from quickreply.core.hotkey import parse_hotkey
from quickreply.core.i18n import tr
from quickreply.core.library.model import Snippet
from quickreply.core.library.opening import snippet_language
from quickreply.core.library.settings import Settings, load_settings
from quickreply.core.library.store import Change, LibraryStore
from quickreply.core.render import Field, missing_fields, render
from quickreply.core.usage.event import UsageEvent, UsageRecorder
from quickreply.core.usage.metrics import char_classes
from quickreply.platform.errors import HotkeyError
from quickreply.platform.hotkeys import HotkeyBackend
from quickreply.platform.inject import Injector, InsertRequest, wait_until
from quickreply.platform.window import WindowInfo, WindowTracker

log = logging.getLogger(__name__)
_FOCUS_WAIT_MS = 300


@dataclass
class _Job:
    snippet: Snippet
    text: str
    caret_left: int
    send: bool
    trigger: str
    trigger_ns: int
    pick_ms: float | None
    keys_typed: int
    target: WindowInfo | None
    rank: int | None = None


@dataclass
class HotkeyAction:
    """What a registered hotkey does: insert a snippet, pop a category menu, or open the palette."""

    kind: str  # "snippet", "category", "palette" or "suggest"
    target_id: str = ""
    label: str = ""


@dataclass
class HotkeyStatus:
    """Registered hotkeys and the ones that could not be registered, with the reason."""

    active: dict[str, HotkeyAction] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


class Controller(QObject):
    """Owns the insertion path and the hotkeys; the UI calls it and listens to its signals."""

    palette_requested = Signal()
    suggest_requested = Signal(str)  # the buyer's message (in memory only; may be empty)
    category_menu_requested = Signal(str)  # category id
    fields_needed = Signal(object, object, str, object)  # snippet, list[Field], trigger, target
    paused_changed = Signal(bool)
    library_changed = Signal(object)  # core.store.Change
    error = Signal(str)  # a message for the agent
    inserted = Signal(str)  # snippet id, after the text went out
    _fired = Signal(
        str, object
    )  # hotkey (canonical), perf_counter_ns at the hook: hook -> main thread

    def __init__(
        self,
        store: LibraryStore,
        injector: Injector,
        recorder: UsageRecorder,
        hotkeys: HotkeyBackend | None,
        windows: WindowTracker | None,
    ) -> None:
        super().__init__()
        self.store = store
        self.injector = injector
        self.recorder = recorder
        self.hotkeys = hotkeys
        self.windows = windows
        self.settings: Settings = load_settings(store)
        self.session_id = uuid.uuid4().hex[:12]
        self.status = HotkeyStatus()
        self.paused = False
        self._queue: deque[_Job] = deque()
        self._busy = False
        self._fired.connect(self._on_fired)
        store.add_listener(self._on_library_change)
        self._watcher = QFileSystemWatcher([str(store.path.parent)])
        self._reload_timer = QTimer(singleShot=True, interval=150)
        self._reload_timer.timeout.connect(self._refresh_from_disk)
        self._watcher.directoryChanged.connect(lambda _path: self._reload_timer.start())

    # -- hotkeys -----------------------------------------------------------------------------

    def wanted_hotkeys(self) -> dict[str, HotkeyAction]:
        """Return every hotkey the library and settings ask for (canonical combo -> action)."""
        wanted = {self.settings.palette_hotkey: HotkeyAction("palette", label=tr("Search palette"))}
        wanted.setdefault(
            self.settings.suggest_hotkey, HotkeyAction("suggest", label=tr("Suggest replies"))
        )
        for category in self.store.categories():
            if category.hotkey:
                wanted.setdefault(
                    category.hotkey, HotkeyAction("category", category.id, category.name)
                )
        for snippet in self.store.snippets():
            if snippet.hotkey:
                wanted.setdefault(
                    snippet.hotkey, HotkeyAction("snippet", snippet.id, snippet.title)
                )
        return wanted

    def register_hotkeys(self) -> HotkeyStatus:
        """Register what the library wants, releasing what it no longer wants; return the status."""
        if self.hotkeys is None:
            return self.status
        wanted = self.wanted_hotkeys()
        for combo in list(self.status.active):
            if combo not in wanted:
                self.hotkeys.unregister(parse_hotkey(combo))
                del self.status.active[combo]
        problems = []
        for combo, action in wanted.items():
            if combo in self.status.active:
                self.status.active[combo] = action
                continue
            try:
                self.hotkeys.register(parse_hotkey(combo), self._hook_callback(combo))
            except (HotkeyError, QuickReplyError) as exc:
                problems.append(f"{action.label}: {exc}")
                continue
            self.status.active[combo] = action
        self.status.problems = problems
        for problem in problems:
            self.error.emit(problem)
        return self.status

    def _hook_callback(self, combo: str) -> Callable[[], None]:
        fired = self._fired

        def on_hotkey() -> None:
            # runs on the hook thread: hand off and return at once
            fired.emit(combo, time.perf_counter_ns())

        return on_hotkey

    def probe_hotkey(self, combo: str) -> str | None:
        """Return why the system refuses `combo` as a global hotkey, or None if it accepts it.

        Registers the combination for a moment and releases it again; combinations QuickReply
        holds already, and systems without global hotkeys, report None.
        """
        if self.hotkeys is None or self.paused or combo in self.status.active:
            return None
        hotkey = parse_hotkey(combo)
        try:
            self.hotkeys.register(hotkey, lambda: None)
        except (HotkeyError, QuickReplyError) as exc:
            return str(exc)
        self.hotkeys.unregister(hotkey)
        return None

    def set_paused(self, paused: bool) -> None:
        """Pause or resume every global hotkey."""
        if paused == self.paused:
            return
        self.paused = paused
        if self.hotkeys is not None:
            if paused:
                self.hotkeys.pause()
            else:
                self.hotkeys.resume()
        self.paused_changed.emit(paused)

    def _on_fired(self, combo: str, fired_ns: int) -> None:
        action = self.status.active.get(combo)
        log.info(
            "hotkey %s fired (action %s, paused %s, busy %s)",
            combo,
            action,
            self.paused,
            self._busy,
        )
        if action is None or self.paused:
            return
        if action.kind == "palette":
            self.palette_requested.emit()
        elif action.kind == "suggest":
            self.suggest_requested.emit(self.buyer_message())
        elif action.kind == "category":
            self.category_menu_requested.emit(action.target_id)
        else:
            snippet = self.store.find(action.target_id)
            if snippet is not None:
                self.insert(snippet, "hotkey", trigger_ns=fired_ns)

    # -- insertion ---------------------------------------------------------------------------

    def language_of(self, snippet: Snippet) -> str:
        """Return the language the snippet is written in (its pack's, else the UI's)."""
        return snippet_language(self.store, snippet, self.settings.ui_language())

    def values_for(self, snippet: Snippet, given: dict[str, str] | None = None) -> dict[str, str]:
        """Return placeholder values: shop facts and defaults, the clipboard if used, then `given`."""
        values = self.settings.values_for(self.language_of(snippet))
        if "{{clipboard" in snippet.body:
            values["clipboard"] = self.injector.clipboard.text()
        values.update(given or {})
        return values

    def missing_fields(self, snippet: Snippet, given: dict[str, str] | None = None) -> list[Field]:
        """Return what the agent must still fill in before `snippet` can be inserted."""
        return missing_fields(
            snippet.body, self.values_for(snippet, given), self.language_of(snippet)
        )

    def render_text(self, snippet: Snippet, given: dict[str, str] | None = None) -> str:
        """Return the snippet's filled text (for previews and copy-only)."""
        values = self.values_for(snippet, given)
        return render(snippet.body, values, language=self.language_of(snippet)).text

    def buyer_message(self) -> str:
        """Return the buyer's message the agent selected (or just copied); empty when none.

        Never logged or stored: it lives only as long as the suggestion needs it.
        """
        from quickreply.platform.selection import SelectionReader

        try:
            return SelectionReader(self.injector.clipboard, self.injector.keys).read().text
        except Exception:  # noqa: BLE001 - a failed read opens an empty suggest palette
            log.exception("reading the selection failed")
            return ""

    def active_window(self) -> WindowInfo | None:
        """Return the window that has focus now (None when the platform cannot tell)."""
        if self.windows is None:
            return None
        try:
            return self.windows.active_window()
        except Exception:  # noqa: BLE001 - window info is best effort, never blocks an insert
            log.exception("active window lookup failed")
            return None

    def insert(
        self,
        snippet: Snippet,
        trigger: str,
        *,
        values: dict[str, str] | None = None,
        send: bool | None = None,
        pick_ms: float | None = None,
        keys_typed: int = 0,
        target: WindowInfo | None = None,
        trigger_ns: int | None = None,
        rank: int | None = None,
    ) -> None:
        """Insert `snippet` into `target` (or the focused window): render, queue, inject, record.

        `rank` is the place at which a suggestion showed the snippet (trigger "suggest").

        When the snippet needs values that were not given, `fields_needed` is emitted instead and
        the UI calls insert again with them.
        """
        trigger_ns = trigger_ns or time.perf_counter_ns()
        missing = self.missing_fields(snippet, values)
        if missing:
            self.fields_needed.emit(snippet, missing, trigger, target)
            return
        try:
            rendered = render(
                snippet.body, self.values_for(snippet, values), language=self.language_of(snippet)
            )
        except QuickReplyError as exc:
            self.error.emit(f"{snippet.title}: {exc}")
            return
        self._queue.append(
            _Job(
                snippet,
                rendered.text,
                rendered.caret_left_presses,
                snippet.auto_send if send is None else send,
                trigger,
                trigger_ns,
                pick_ms,
                keys_typed,
                target,
                rank,
            )
        )
        self._drain()

    def _drain(self) -> None:
        # The injector runs a nested event loop while the target reads the clipboard; triggers
        # arriving meanwhile are queued here and done in order once the current one is complete.
        if self._busy:
            return
        self._busy = True
        try:
            while self._queue:
                self._run(self._queue.popleft())
        finally:
            self._busy = False

    def _run(self, job: _Job) -> None:
        start_ns = time.perf_counter_ns()
        window = self._focus(job.target)
        request = InsertRequest(
            text=job.text,
            caret_left=job.caret_left,
            send_enter=job.send,
            mode=self.settings.insert_mode,
            paste_keys=self.settings.paste_keys_for(window.process_name if window else None),
        )
        try:
            outcome = self.injector.insert(request)
            # ids and timings only; perf_counter_ns is CLOCK_MONOTONIC, comparable across processes
            log.info(
                "inserted %s trigger_ns=%d sent_ns=%d queued_ms=%.1f read_by_target=%s",
                job.snippet.id,
                job.trigger_ns,
                outcome.sent_ns,
                (start_ns - job.trigger_ns) / 1e6,
                outcome.read_by_target,
            )
        except Exception as exc:  # noqa: BLE001 - an insertion failure must reach the agent, not kill the app
            log.exception("insertion failed")
            self.error.emit(
                tr("Could not insert “{title}”: {error}", title=job.snippet.title, error=exc)
            )
            return
        cjk_chars, latin_chars = char_classes(job.text)
        self.recorder.record(
            UsageEvent(
                ts_ms=int(datetime.now(timezone.utc).timestamp() * 1000),
                snippet_id=job.snippet.id,
                trigger=job.trigger,
                chars=len(job.text),
                inject_ms=(outcome.sent_ns - job.trigger_ns) / 1e6,
                pack_id=job.snippet.pack_id,
                pack_version=job.snippet.pack_version,
                category=job.snippet.category or None,
                keys_typed=job.keys_typed,
                pick_ms=job.pick_ms,
                target_app=window.process_name if window else None,
                target_title=window.title
                if window and self.settings.record_window_titles
                else None,
                session_id=self.session_id,
                cjk_chars=cjk_chars,
                latin_chars=latin_chars,
                rank=job.rank,
            )
        )
        self.inserted.emit(job.snippet.id)

    def _focus(self, target: WindowInfo | None) -> WindowInfo | None:
        """Give focus back to `target` (palette, dialogs) and return the window we insert into."""
        if target is None or self.windows is None:
            return self.active_window()
        current = self.active_window()
        if current is None or current.handle != target.handle:
            self.windows.focus(target)
            wait_until(
                lambda: (w := self.active_window()) is not None and w.handle == target.handle,
                _FOCUS_WAIT_MS,
            )
        return target

    # -- library -----------------------------------------------------------------------------

    def _refresh_from_disk(self) -> None:
        try:
            self.store.refresh()
        except QuickReplyError as exc:
            self.error.emit(str(exc))

    def _on_library_change(self, change: Change) -> None:
        if change.settings or change.reloaded:
            self.settings = load_settings(self.store)
        self.register_hotkeys()
        self.library_changed.emit(change)

    def shutdown(self) -> None:
        """Release hotkeys and key-sending connections; flush the usage log."""
        if self.hotkeys is not None:
            self.hotkeys.close()
        self.injector.keys.close()
        self.injector.clipboard.release()
        close = getattr(self.recorder, "close", None)
        if close is not None:
            close()
