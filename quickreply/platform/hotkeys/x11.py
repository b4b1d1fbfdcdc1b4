"""Global hotkeys on X11: passive key grabs on the root window, served by one listener thread.

The listener thread owns its own X connection. Calls from the Qt thread travel to it through a
queue and a wake-up pipe, and come back as a Future so that register() can raise.
"""

from __future__ import annotations

import logging
import os
import queue
import select
import threading
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeoutError
from dataclasses import dataclass
from typing import Any, TypeVar

from Xlib import XK, X
from Xlib import error as xerror
from Xlib.display import Display

from quickreply.core.hotkey import Hotkey
from quickreply.platform.errors import BackendUnavailableError, HotkeyError, HotkeyTakenError
from quickreply.platform.x11 import MODIFIER_MASKS, key_is_down, keycode_for_key, open_display

log = logging.getLogger(__name__)

T = TypeVar("T")

_MATCHED_MASK = X.ControlMask | X.ShiftMask | X.Mod1Mask | X.Mod4Mask
_COMMAND_TIMEOUT = 5.0
_HELD_POLL = 0.02


def probe(display_name: str | None = None) -> tuple[bool, str]:
    """Return whether X11 hotkeys can work here, with a one-line reason."""
    name = display_name or os.environ.get("DISPLAY")
    if not name:
        if os.environ.get("WAYLAND_DISPLAY") or os.environ.get("XDG_SESSION_TYPE") == "wayland":
            return False, (
                "Wayland session without XWayland: global hotkeys need X11; "
                "log in to an 'Xorg' session or run under Xvfb"
            )
        return False, "no X display; set DISPLAY or run under Xvfb: xvfb-run quickreply"
    try:
        display = open_display(name)
    except BackendUnavailableError as exc:
        return False, str(exc)
    try:
        if not display.has_extension("XTEST"):
            return False, f"X display {name} lacks the XTEST extension needed to send keys"
        display.screen().root.get_geometry()
    finally:
        display.close()
    if os.environ.get("WAYLAND_DISPLAY"):
        return True, f"X display {name} (XWayland: hotkeys fire only while an X11 window has focus)"
    return True, f"X display {name}"


def lock_mask_variants(display: Display) -> tuple[int, ...]:
    """Return the CapsLock/NumLock mask combinations a grab must cover to work with locks on."""
    numlock_keycodes = {code for code, _ in display.keysym_to_keycodes(XK.XK_Num_Lock)}
    numlock = X.Mod2Mask
    for index, keycodes in enumerate(display.get_modifier_mapping()):
        if numlock_keycodes & set(keycodes):
            numlock = 1 << index
    return tuple(sorted({0, X.LockMask, numlock, X.LockMask | numlock}))


def modifier_mask(hotkey: Hotkey) -> int:
    """Return the X modifier mask of the hotkey's modifiers."""
    mask = 0
    for modifier in hotkey.modifiers:
        mask |= MODIFIER_MASKS[modifier]
    return mask


@dataclass
class _Grab:
    keycode: int
    modifiers: int
    callback: Callable[[], None]


class X11HotkeyBackend:
    """Hotkeys as passive grabs on the root window: the combination is consumed, not typed."""

    name = "x11"

    def __init__(self, display_name: str | None = None) -> None:
        """Connect to the X server and start the listener thread.

        Raises BackendUnavailableError if the display cannot be opened.
        """
        self._display = open_display(display_name)
        self._display.set_error_handler(_log_x_error)
        self._root = self._display.screen().root
        self._lock_masks = lock_mask_variants(self._display)
        self._grabs: dict[Hotkey, _Grab] = {}  # touched only by the listener thread
        self._held: set[int] = set()  # keycodes of hotkeys fired and not yet released
        self._paused = False
        self._running = True
        self._closed = False
        self._commands: queue.SimpleQueue[tuple[Callable[[], Any], Future[Any]]] = (
            queue.SimpleQueue()
        )
        self._wake_read, self._wake_write = os.pipe()
        self._thread = threading.Thread(
            target=self._run, name="quickreply-x11-hotkeys", daemon=True
        )
        self._thread.start()

    def register(self, hotkey: Hotkey, callback: Callable[[], None]) -> None:
        """Grab `hotkey` on the root window; raises HotkeyTakenError or HotkeyError."""
        self._call(lambda: self._register(hotkey, callback))

    def unregister(self, hotkey: Hotkey) -> None:
        """Release the grab of `hotkey`, if registered."""
        self._call(lambda: self._unregister(hotkey))

    def pause(self) -> None:
        """Release all grabs so the combinations reach the focused window, until resume()."""
        self._call(self._pause)

    def resume(self) -> None:
        """Grab the registered hotkeys again.

        Raises HotkeyTakenError if another program took one meanwhile; that one is dropped.
        """
        self._call(self._resume)

    def close(self) -> None:
        """Release every grab, stop the listener thread and close the X connection."""
        if self._closed:
            return
        self._closed = True
        if self._thread.is_alive():
            try:
                self._call(self._stop)
            except BackendUnavailableError:
                log.warning("X11 hotkey listener did not answer the stop request")
        self._thread.join(timeout=_COMMAND_TIMEOUT)
        os.close(self._wake_read)
        os.close(self._wake_write)

    def _call(self, command: Callable[[], T]) -> T:
        """Run `command` on the listener thread and return its result or raise its exception."""
        if threading.current_thread() is self._thread:
            return command()  # called from a hotkey callback: queueing would deadlock
        if not self._thread.is_alive():
            raise BackendUnavailableError(
                "the X11 hotkey listener has stopped (closed, or the X server went away); "
                "restart QuickReply"
            )
        future: Future[T] = Future()
        self._commands.put((command, future))
        os.write(self._wake_write, b"!")
        try:
            return future.result(timeout=_COMMAND_TIMEOUT)
        except FutureTimeoutError as exc:
            raise BackendUnavailableError(
                "the X11 hotkey listener does not respond; restart QuickReply"
            ) from exc

    # Everything below runs on the listener thread.

    def _run(self) -> None:
        try:
            while self._running:
                self._dispatch_events()
                # While a hotkey is held, poll for its release: the release event goes elsewhere.
                timeout = _HELD_POLL if self._held else None
                sources = [self._display.fileno(), self._wake_read]
                readable, _, _ = select.select(sources, [], [], timeout)
                if self._held:
                    self._forget_released_keys()
                if self._wake_read in readable:
                    os.read(self._wake_read, 4096)
                    self._run_commands()
        except Exception:
            log.exception("X11 hotkey listener stopped")
        finally:
            self._shut_down()

    def _run_commands(self) -> None:
        while not self._commands.empty():
            command, future = self._commands.get()
            try:
                future.set_result(command())
            except Exception as exc:
                future.set_exception(exc)

    def _dispatch_events(self) -> None:
        while self._display.pending_events():
            event = self._display.next_event()
            if event.type == X.KeyPress and not self._paused:
                self._on_key_press(event)
            elif event.type == X.MappingNotify:
                self._display.refresh_keyboard_mapping(event)

    def _on_key_press(self, event: Any) -> None:
        state = event.state & _MATCHED_MASK
        for grab in self._grabs.values():
            if grab.keycode == event.detail and grab.modifiers == state:
                # End the grab the key press activated, so keys we send next reach the target.
                self._display.ungrab_keyboard(X.CurrentTime)
                self._display.flush()
                if grab.keycode in self._held:
                    return  # autorepeat of a hotkey still held down: fire once per press
                self._held.add(grab.keycode)
                try:
                    grab.callback()
                except Exception:
                    log.exception("hotkey callback failed")
                return

    def _forget_released_keys(self) -> None:
        keymap = self._display.query_keymap()
        self._held = {keycode for keycode in self._held if key_is_down(keymap, keycode)}

    def _register(self, hotkey: Hotkey, callback: Callable[[], None]) -> None:
        if hotkey in self._grabs:
            self._grabs[hotkey].callback = callback
            return
        grab = _Grab(keycode_for_key(self._display, hotkey.key), modifier_mask(hotkey), callback)
        self._grab(hotkey, grab)
        if self._paused:
            self._ungrab(grab)
        self._grabs[hotkey] = grab

    def _unregister(self, hotkey: Hotkey) -> None:
        grab = self._grabs.pop(hotkey, None)
        if grab is not None and not self._paused:
            self._ungrab(grab)

    def _pause(self) -> None:
        if not self._paused:
            for grab in self._grabs.values():
                self._ungrab(grab)
            self._paused = True

    def _resume(self) -> None:
        if not self._paused:
            return
        self._paused = False
        taken: HotkeyError | None = None
        for hotkey, grab in list(self._grabs.items()):
            try:
                self._grab(hotkey, grab)
            except HotkeyError as exc:
                del self._grabs[hotkey]
                taken = taken or exc
        if taken is not None:
            raise taken

    def _stop(self) -> None:
        self._running = False

    def _grab(self, hotkey: Hotkey, grab: _Grab) -> None:
        """Grab every lock variant of the combination, or none of them."""
        catchers = []
        for lock in self._lock_masks:
            catcher = xerror.CatchError()
            self._root.grab_key(
                grab.keycode,
                grab.modifiers | lock,
                False,
                X.GrabModeAsync,
                X.GrabModeAsync,
                onerror=catcher,
            )
            catchers.append(catcher)
        self._display.sync()
        errors = [c.get_error() for c in catchers if c.get_error() is not None]
        if not errors:
            return
        self._ungrab(grab)
        if any(isinstance(e, xerror.BadAccess) for e in errors):
            raise HotkeyTakenError(hotkey)
        raise HotkeyError(f"the X server refused {hotkey.display()}: {errors[0]}")

    def _ungrab(self, grab: _Grab) -> None:
        for lock in self._lock_masks:
            self._root.ungrab_key(grab.keycode, grab.modifiers | lock)
        self._display.sync()

    def _shut_down(self) -> None:
        self._running = False
        try:
            for grab in self._grabs.values():
                if not self._paused:
                    self._ungrab(grab)
            self._display.close()
        except Exception:
            log.debug("X connection already gone while closing", exc_info=True)
        while not self._commands.empty():
            _, future = self._commands.get()
            future.set_exception(BackendUnavailableError("the X11 hotkey listener stopped"))


def _log_x_error(error: Exception, request: Any) -> None:
    """Log X protocol errors nobody asked to catch, instead of printing them to stderr."""
    log.warning("X error: %s", error)
