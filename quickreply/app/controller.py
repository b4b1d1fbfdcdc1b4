"""The controller: the one insertion path. Every trigger (hotkey, tray, category menu, palette)
ends in `Controller.insert`, which prepares the snippet once, queues the job, focuses the target,
hands one `InsertRequest` to the injector and gives the outcome to core/usage.

Hook threads only emit a queued Qt signal (see app/hotkeys.py); everything else runs on the Qt
main thread. Insertions are queued and done one at a time, so rapid triggers insert every snippet,
in order. Widgets call this class's methods, never its parts.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from quickreply.app.hotkeys import HotkeyAction, HotkeyRegistry, HotkeyStatus, wanted_hotkeys
from quickreply.app.snippet_images import missing_notice, plan_images, typing_notice
from quickreply.core.app_rules import AppBehaviour
from quickreply.core.errors import QuickReplyError
from quickreply.core.i18n import tr
from quickreply.core.library.model import Category, Snippet
from quickreply.core.library.settings import Settings, load_settings, save_settings
from quickreply.core.library.store import Change, LibraryStore
from quickreply.core.packs.overrides import is_edited, revert_to_pack
from quickreply.core.packs.visibility import (
    DefaultPack,
    add_default_pack,
    hidden_packs,
    missing_default_packs,
    prefer_default_pack,
    set_pack_hidden,
)
from quickreply.core.prepare import Prepared, prepare
from quickreply.core.render import Field
from quickreply.core.usage.event import (
    Insertion,
    Trigger,
    UsageEvent,
    UsageRecorder,
    insertion_event,
    undone_event,
)
from quickreply.core.usage.metrics import char_classes
from quickreply.platform.clipboard_image import ClipboardImage, rich_copy
from quickreply.platform.event_loop import wait_until
from quickreply.platform.foreground import ForegroundMemory
from quickreply.platform.hotkeys import HotkeyBackend
from quickreply.platform.inject import Injector, InsertRequest
from quickreply.platform.window import WindowInfo, WindowTracker

log = logging.getLogger(__name__)
_T = TypeVar("_T")
_FOCUS_WAIT_MS = 300
_STALE_NOTICE_GAP_NS = 5_000_000_000  # one "was busy" message per burst of dropped presses
_BURST_GAP_MS = 400  # a press this soon after the last one is part of a burst (_wait_keys)
UNDO_WINDOW_MS = 3000  # BackSpace this soon after an abbreviation expansion undoes it


@dataclass
class _Job:
    snippet: Snippet
    text: str
    caret_left: int
    send: bool
    trigger: Trigger
    trigger_ns: int
    pick_ms: float | None
    keys_typed: int
    target: WindowInfo | None
    erase: int = 0
    rank: int | None = None


@dataclass(frozen=True)
class LastInsertion:
    """The last insertion, for the tray tooltip and the abbreviation watcher's undo."""

    snippet_id: str
    trigger: Trigger
    rule: str | None
    chars: int
    caret_left: int
    auto_send: bool


class Controller(QObject):
    """Owns the insertion path and the hotkeys; the UI calls it and listens to its signals."""

    palette_requested = Signal()
    suggest_requested = Signal(str)  # the buyer's message (in memory only; may be empty)
    category_menu_requested = Signal(str)  # category id
    fields_needed = Signal(object, object, str, object)  # snippet, list[Field], trigger, target
    paused_changed = Signal(bool)
    library_changed = Signal(object)  # core.library.store.Change
    error = Signal(str)  # a message for the agent
    # HotkeyStatus, after a registration (after a library change's, library_changed instead)
    hotkeys_changed = Signal(object)
    inserted = Signal(str)  # snippet id, after the text went out
    auto_sent = Signal(str)  # snippet id, after our own auto-send Enter went out (reply speed)

    def __init__(
        self,
        store: LibraryStore,
        injector: Injector,
        recorder: UsageRecorder,
        hotkeys: HotkeyBackend | None,
        windows: WindowTracker | None,
        foreground: ForegroundMemory | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.injector = injector
        self.recorder = recorder
        self.hotkeys = HotkeyRegistry(hotkeys)
        self.windows = windows
        self.foreground = foreground
        self.settings: Settings = load_settings(store)
        self.session_id = secrets.token_hex(6)  # 12 hex digits, as uuid4().hex[:12] were
        self.last_insertion: LastInsertion | None = None
        self._held_event: UsageEvent | None = None  # an abbreviation's, until it can't be undone
        self._queue: deque[_Job] = deque()
        self._previous_trigger_ns = 0  # the trigger time of the last job run (bursts: _wait_keys)
        self._busy = False
        self._stale_told_ns = -_STALE_NOTICE_GAP_NS
        self._typing_images_told = False  # "images are left out when typing": told once
        self.hotkeys.fired.connect(self._on_fired)
        store.add_listener(self._on_library_change)
        self._watcher = QFileSystemWatcher([str(store.path.parent)])
        self._reload_timer = QTimer(singleShot=True, interval=150)
        self._reload_timer.timeout.connect(self._refresh_from_disk)
        self._watcher.directoryChanged.connect(lambda _path: self._reload_timer.start())

    # -- hotkeys -----------------------------------------------------------------------------

    @property
    def status(self) -> HotkeyStatus:
        """The registered hotkeys and the problems of the last registration."""
        return self.hotkeys.status

    @property
    def busy(self) -> bool:
        """True while an insertion is under way (it may be waiting for the target to read)."""
        return self._busy

    @property
    def paused(self) -> bool:
        """Whether the global hotkeys are paused."""
        return self.hotkeys.paused

    def wanted_hotkeys(self) -> dict[str, HotkeyAction]:
        """Return every hotkey the library and settings ask for (canonical combo -> action)."""
        return wanted_hotkeys(self.store, self.settings)

    def register_hotkeys(self, *, announce: bool = True) -> HotkeyStatus:
        """Register what the library wants, releasing what it no longer wants; return the status.

        `announce=False` leaves out `hotkeys_changed` (a library change announces itself next).
        """
        before = list(self.hotkeys.status.problems)
        status = self.hotkeys.sync(self.wanted_hotkeys())
        new = [p for p in status.problems if p not in before]  # told once, listed until resolved
        if new:
            self.error.emit("\n".join([tr("Some hotkeys do not work:"), *new]))
        if announce:
            self.hotkeys_changed.emit(status)
        return status

    def probe_hotkey(self, combo: str) -> str | None:
        """Return why the system refuses `combo` as a global hotkey, or None if it accepts it."""
        return self.hotkeys.probe(combo)

    def set_paused(self, paused: bool) -> None:
        """Pause or resume every global hotkey."""
        if self.hotkeys.set_paused(paused):
            self.paused_changed.emit(paused)

    def suspend_hotkeys(self, suspended: bool) -> None:
        """Suspend our global hotkeys while a hotkey recorder has focus (not the agent's pause)."""
        try:
            self.hotkeys.set_suspended(suspended)
        except QuickReplyError as exc:
            self.error.emit(str(exc))

    def _on_fired(self, combo: str, fired_ns: int) -> None:
        action = self.hotkeys.action(combo)
        if action is None:
            return
        # a snippet's hotkey is checked against the application's rule in _run, after focus
        if action.kind == "category" and not self.app_behaviour(self.active_window()).hotkeys:
            log.info("hotkey %s ignored: hotkeys are off in this application", combo)
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

    # -- the library, read-only, for widgets ---------------------------------------------------

    def snippets(self) -> list[Snippet]:
        """Every snippet, in library order."""
        return self.store.snippets()

    def categories(self) -> list[Category]:
        """Every category, in menu order."""
        return self.store.categories()

    def category(self, category_id: str) -> Category:
        """The category `category_id`; raises NotFoundError."""
        return self.store.category(category_id)

    def find(self, snippet_id: str) -> Snippet | None:
        """The snippet `snippet_id`, or None."""
        return self.store.find(snippet_id)

    def pack_names(self) -> dict[str, str]:
        """Installed packs: id -> display name."""
        return {r.id: r.title for r in self.store.pack_records()}

    def agent_name(self) -> str:
        """The agent's name for team reports (the setting; empty when not set yet)."""
        return self.settings.agent_name

    def set_agent_name(self, name: str) -> None:
        """Store the agent's name (the welcome window and the settings dialog ask for it)."""
        save_settings(self.store, replace(load_settings(self.store), agent_name=name.strip()))

    def is_edited(self, snippet: Snippet) -> bool:
        """Whether `snippet` is a pack reply the agent changed (kept through pack updates)."""
        return is_edited(self.store, snippet)

    def revert_to_pack(self, snippet_id: str) -> Snippet:
        """Put the pack's version of an edited pack reply back; return it."""
        return revert_to_pack(self.store, snippet_id)

    def hidden_packs(self) -> set[str]:
        """Ids of installed packs hidden from the tray menu (their hotkeys are off too)."""
        return hidden_packs(self.store)

    def set_pack_hidden(self, pack_id: str, hidden: bool) -> None:
        """Hide an installed pack from the tray menu, or show it again."""
        set_pack_hidden(self.store, pack_id, hidden)

    def remove_pack(self, pack_id: str) -> None:
        """Uninstall a pack (a default one can be added again: `missing_default_packs`)."""
        from quickreply.core.packs.manage import remove_pack  # signing and HTTP code: not at start

        remove_pack(self.store, pack_id)

    def missing_default_packs(self) -> list[DefaultPack]:
        """The default packs not installed now."""
        return missing_default_packs(self.store)

    def add_default_pack(self, language: str) -> None:
        """Install the default pack of `language` again."""
        add_default_pack(self.store, language)

    def prefer_default_pack(self, language: str) -> None:
        """Show and bind the default pack of `language`, hide the other (a language choice)."""
        prefer_default_pack(self.store, language)

    # -- preparing ----------------------------------------------------------------------------

    def prepare(self, snippet: Snippet, given: Mapping[str, str] | None = None) -> Prepared:
        """Prepare `snippet` with the current settings (language, values, parse: once each)."""
        return prepare(snippet, self.settings, self.store, given, self.injector.clipboard.text)

    def missing_fields(
        self, snippet: Snippet, given: Mapping[str, str] | None = None
    ) -> list[Field]:
        """Return what the agent must still fill in before `snippet` can be inserted."""
        return list(self.prepare(snippet, given).missing)

    def render_text(self, snippet: Snippet, given: Mapping[str, str] | None = None) -> str:
        """Return the snippet's filled text (for previews and copy-only)."""
        return self.prepare(snippet, given).render().text

    # -- focus ---------------------------------------------------------------------------------

    def copy_text(self, text: str) -> None:
        """Leave `text` on the clipboard on purpose (copy-only, diagnostics), through the clipboard
        adapter; nothing is inserted."""
        self.injector.clipboard.copy(text)

    def copy_snippet(self, snippet: Snippet, text: str) -> None:
        """Copy-only of `snippet`: its first image (if it has one whose file exists) and `text`
        as one rich clipboard item; nothing is inserted."""
        path = self.image_path(snippet.images[0]) if snippet.images else None
        if path is None or not path.is_file():
            self.copy_text(text)
            return
        try:
            picture = ClipboardImage.load(path)
        except QuickReplyError as exc:
            self.error.emit(str(exc))
            self.copy_text(text)
            return
        self.injector.clipboard.copy_data(rich_copy(picture, text))

    def image_path(self, ref: str) -> Path:
        """Where the image asset `ref` of a snippet lives (for thumbnails; it may be missing)."""
        return self.store.assets.path_for(ref)

    def add_image_file(self, path: Path) -> str:
        """Store the picture file `path` as an asset; return its reference (QuickReplyError)."""
        return self.store.assets.add_file(path)

    def add_image_bytes(self, data: bytes) -> str:
        """Store a picture's bytes (e.g. pasted PNG) as an asset; return its reference
        (ValidationError when it is not a picture within the limits)."""
        return self.store.assets.add_bytes(data, tr("pasted picture"))

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
        return self._ask_windows(lambda windows: windows.active_window(), "active window")

    def _ask_windows(self, question: Callable[[WindowTracker], _T | None], what: str) -> _T | None:
        """Ask the window tracker; None without one, or when it fails (window information is
        best effort: it never blocks an insertion)."""
        if self.windows is None:
            return None
        try:
            return question(self.windows)
        except Exception:  # noqa: BLE001 - logged; the insertion goes on without it
            log.exception("%s lookup failed", what)
            return None

    def focus_back(self, target: WindowInfo | None) -> None:
        """Give the keyboard focus back to `target` (e.g. when the palette closes)."""
        if target is not None and self.windows is not None:
            self.windows.focus(target)

    def menu_target(self) -> WindowInfo | None:
        """Return the window a tray-menu, palette or form insertion goes to: the last other
        program's window that was in the foreground (a click on the tray activates the taskbar on
        Windows, and may activate one of our windows on X11), else the focused one."""
        remembered = self.foreground.last_foreground() if self.foreground else None
        if remembered is None and self.windows is not None:
            try:
                remembered = self.windows.last_foreground()
            except Exception:  # noqa: BLE001 - window info is best effort, never blocks an insert
                log.exception("last foreground window lookup failed")
        return remembered or self.active_window()

    def activate_own_window(self, handle: int) -> None:
        """Give one of our windows (palette, fields form, category menu) the keyboard focus."""
        if self.windows is not None:
            self.windows.activate_own(handle)

    # -- insertion -----------------------------------------------------------------------------

    def insert(
        self,
        snippet: Snippet,
        trigger: Trigger,
        *,
        values: Mapping[str, str] | None = None,
        send: bool | None = None,
        pick_ms: float | None = None,
        keys_typed: int = 0,
        target: WindowInfo | None = None,
        trigger_ns: int | None = None,
        prepared: Prepared | None = None,
        erase: int = 0,
        rank: int | None = None,
    ) -> None:
        """Insert `snippet` into `target` (or the focused window): prepare, queue, inject, record.

        `rank` is the place at which a suggestion showed the snippet (trigger "suggest").

        When the snippet needs values that were not given, `fields_needed` is emitted instead and
        the UI calls insert again with them. A caller that prepared the snippet already (the
        palette) passes `prepared` so nothing is read twice. `erase` BackSpace presses go first
        (a typed abbreviation is replaced); its usage event waits until it can no longer be undone.
        """
        trigger_ns = trigger_ns or time.perf_counter_ns()
        if prepared is None:
            prepared = self.prepare(snippet, values)
        elif values:
            prepared = prepared.with_values(values)
        if prepared.missing and not prepared.problems:
            self.fields_needed.emit(snippet, list(prepared.missing), trigger, target)
            return
        try:
            rendered = prepared.render()
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
                erase,
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

    def _wait_keys(self, job: _Job) -> frozenset[str] | None:
        """The keys the paste waits for (InsertRequest.wait_keys): all of them, modifiers too,
        while the agent presses hotkey after hotkey (jobs queued behind this one, or this one
        pressed soon after the last), else our grabbed keys except the trigger's own, which a
        person still holds for a few dozen milliseconds after the press."""
        previous, self._previous_trigger_ns = self._previous_trigger_ns, job.trigger_ns
        if self._queue or job.trigger_ns - previous < _BURST_GAP_MS * 1_000_000:
            return None
        return self.hotkeys.grab_keys(job.snippet.hotkey if job.trigger == "hotkey" else None)

    def _run(self, job: _Job) -> None:
        start_ns = time.perf_counter_ns()
        if self._is_stale(job, start_ns):
            return
        window = self._focus(job.target)
        if self._refused(window):
            return
        # the application's rule, looked up once, now that the focus is settled
        behaviour = self.app_behaviour(window)
        if job.trigger == "hotkey" and not behaviour.hotkeys:
            log.info("%s not inserted: hotkeys are off in this application", job.snippet.id)
            return
        images = plan_images(job.snippet, behaviour, self.store.assets)
        if images.skipped_for_typing and not self._typing_images_told:
            self._typing_images_told = True
            self.error.emit(typing_notice())
        request = InsertRequest(
            text=job.text,
            paste_keys=behaviour.paste_keys,
            send_keys=behaviour.send_keys,
            newline_keys=behaviour.newline_keys,
            caret_left=job.caret_left,
            auto_send=job.send,
            mode=behaviour.insert_mode,
            rule=behaviour.rule,
            erase_before=job.erase,
            target=window.handle if window else None,
            wait_keys=self._wait_keys(job),
            images=images.paths,
            image_order=job.snippet.image_order,
            combine_images=images.combine,
        )
        if images.missing:
            self.error.emit(missing_notice(job.snippet.title, images.missing))
        try:
            outcome = self.injector.insert(request, self._focused_handle)
            if not outcome.happened:  # no usage event for an insertion that did not happen
                log.info(
                    "not inserted %s: %s (target %s, foreign reads %d)",
                    job.snippet.id,
                    outcome.outcome.value,
                    request.target,
                    outcome.foreign_reads,
                )
                self.error.emit(outcome.message(job.snippet.title))
                return
            if outcome.problems:
                self.error.emit("\n".join(outcome.problems))
        except Exception as exc:  # noqa: BLE001 - an insertion failure must reach the agent, not kill the app
            log.exception("insertion failed")
            self.error.emit(
                tr("Could not insert “{title}”: {error}", title=job.snippet.title, error=exc)
            )
            return
        # ids and timings only; perf_counter_ns is CLOCK_MONOTONIC, comparable across processes
        log.info(
            "inserted %s rule=%s trigger_ns=%d sent_ns=%d queued_ms=%.1f read_by_target=%s "
            "images=%d",
            job.snippet.id,
            behaviour.rule,
            job.trigger_ns,
            outcome.sent_ns,
            (start_ns - job.trigger_ns) / 1e6,
            outcome.read_by_target,
            outcome.images,
        )
        cjk_chars, latin_chars = char_classes(job.text)
        self.last_insertion = LastInsertion(
            job.snippet.id, job.trigger, behaviour.rule, len(job.text), job.caret_left, job.send
        )
        insertion = Insertion(
            snippet_id=job.snippet.id,
            trigger=job.trigger,
            chars=len(job.text),
            cjk_chars=cjk_chars,
            latin_chars=latin_chars,
            inject_ms=(outcome.sent_ns - job.trigger_ns) / 1e6,
            pack_id=job.snippet.pack_id,
            pack_version=job.snippet.pack_version,
            category=job.snippet.category or None,
            keys_typed=job.keys_typed,
            pick_ms=job.pick_ms,
            target_app=window.process_name if window else None,
            target_title=window.title if window else None,
            session_id=self.session_id,
            rank=job.rank,
            images=outcome.images,
        )
        self._record(
            insertion_event(insertion, record_window_titles=self.settings.record_window_titles)
        )
        self.inserted.emit(job.snippet.id)
        if job.send:  # happened: typed, or read by the target, so the send keys went out
            self.auto_sent.emit(job.snippet.id)

    def _refused(self, window: WindowInfo | None) -> bool:
        """True if the platform says keys cannot reach `window` (telling the agent once)."""
        if window is None or self.windows is None:
            return False
        try:
            refused, message = self.windows.insert_problem(window)
        except Exception:  # noqa: BLE001 - a failed check must not block the insertion
            log.exception("insert check failed")
            return False
        if message:
            self.error.emit(message)
        return refused

    def _is_stale(self, job: _Job, now_ns: int) -> bool:
        """A press older than `trigger_fresh_ms` is dropped: pasted late it may land in another
        conversation, or twice when the agent pressed again. The agent is told once per burst."""
        age_ms = (now_ns - job.trigger_ns) / 1e6
        if age_ms <= self.settings.trigger_fresh_ms:
            return False
        log.info("dropped %s: %.0f ms after its trigger", job.snippet.id, age_ms)
        if now_ns - self._stale_told_ns > _STALE_NOTICE_GAP_NS:
            self._stale_told_ns = now_ns
            self.error.emit(tr("QuickReply was busy, press again"))
        return True

    def _record(self, event: UsageEvent) -> None:
        """Record `event`; an abbreviation's is held for UNDO_WINDOW_MS (undone: recorded marked
        undone, never counted as a use)."""
        self._release_held_event()
        if event.trigger != "abbreviation":
            self.recorder.record(event)
            return
        self._held_event = event
        QTimer.singleShot(UNDO_WINDOW_MS, lambda: self._release_held_event(event))

    def _release_held_event(self, only: UsageEvent | None = None) -> None:
        held = self._held_event
        if held is not None and (only is None or held is only):
            self._held_event = None
            self.recorder.record(held)

    def undo_abbreviation(self, typed: str, erase: int) -> bool:
        """Take back the last abbreviation expansion: `erase` BackSpace presses remove its text,
        then `typed` (the abbreviation) is typed back; its usage event is recorded marked undone.

        Returns False when the last insertion was not an abbreviation that can still be undone.
        """
        held = self._held_event
        if held is None or self._busy:
            return False
        self._held_event = None
        self.recorder.record(undone_event(held))
        window = self.active_window()
        behaviour = self.app_behaviour(window)
        self.injector.insert(
            InsertRequest(
                text=typed,
                paste_keys=behaviour.paste_keys,
                send_keys=behaviour.send_keys,
                newline_keys=behaviour.newline_keys,
                mode="type",
                rule=behaviour.rule,
                erase_before=erase,
            )
        )
        self.last_insertion = None
        return True

    def app_behaviour(self, window: WindowInfo | None) -> AppBehaviour:
        """Return the rule-resolved keys and switches for `window` (defaults when unknown)."""
        if window is None:
            return self.settings.app_behaviour(None)
        return self.settings.app_behaviour(window.process_name, window.window_class, window.title)

    def _focused_handle(self) -> int | None:
        return self._ask_windows(lambda windows: windows.focused_handle(), "focused window")

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
        self.register_hotkeys(announce=False)  # the tray's menu is rebuilt once, for both
        self.library_changed.emit(change)

    def shutdown(self) -> None:
        """Release hotkeys and key-sending connections; flush the usage log."""
        self._release_held_event()
        self.hotkeys.close()
        if self.foreground is not None:
            self.foreground.close()
        self.injector.keys.close()
        self.injector.flush()
        self.injector.clipboard.release()
        self.recorder.close()
