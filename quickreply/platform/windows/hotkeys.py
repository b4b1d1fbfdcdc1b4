"""Global hotkeys through RegisterHotKey (the Windows HotkeyBackend).

A message-only window on the backend's own thread receives WM_HOTKEY. Unlike a low-level hook:
no key is withheld from other programs (Ctrl+Shift, Alt+Shift and Shift keep working in every
application and IME), there is no hook timeout that silently kills every hotkey, MOD_NOREPEAT
stops a held key from firing again, Windows tells us when another program holds the combination
(ERROR_HOTKEY_ALREADY_REGISTERED), and the WM_HOTKEY gives our process the right to bring its
palette to the foreground.

RegisterHotKey only works for a window of the calling thread, so register/unregister are posted
to the backend's thread as commands and their result is waited for.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from quickreply.core.hotkey import Hotkey
from quickreply.platform.errors import BackendUnavailableError, HotkeyError, HotkeyTakenError
from quickreply.platform.windows import win32
from quickreply.platform.windows.constants import (
    ERROR_HOTKEY_ALREADY_REGISTERED,
    WM_APP,
    WM_HOTKEY,
)
from quickreply.platform.windows.vkeys import hotkey_modifiers, vk_for_key

log = logging.getLogger(__name__)
WM_RUN_COMMANDS = WM_APP + 1
_COMMAND_TIMEOUT_S = 5.0


def probe() -> tuple[bool, str]:
    """Return whether RegisterHotKey can be used here, with a one-line reason."""
    try:
        win32.load()
    except BackendUnavailableError as exc:
        return False, str(exc)
    return True, "RegisterHotKey (no keys withheld from other programs)"


@dataclass
class _Command:
    run: Callable[[], Any]
    done: threading.Event = field(default_factory=threading.Event)
    result: Any = None
    error: BaseException | None = None


class Win32HotkeyBackend:
    """HotkeyBackend on RegisterHotKey; callbacks run on the backend's thread."""

    name = "win32"

    def __init__(self, api: Any = None) -> None:
        """Start the message thread; raises BackendUnavailableError if its window fails."""
        self._api = api if api is not None else win32.load()
        self._ids: dict[Hotkey, int] = {}
        self._callbacks: dict[int, Callable[[], None]] = {}
        self._registered: set[int] = set()
        self._paused = False
        self._next_id = 1
        self._commands: queue.Queue[_Command] = queue.Queue()
        self._hwnd = 0
        self._thread_id = 0
        self._startup_error: str | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="quickreply-hotkeys", daemon=True)
        self._thread.start()
        self._ready.wait(_COMMAND_TIMEOUT_S)
        if self._startup_error or not self._hwnd:
            raise BackendUnavailableError(
                self._startup_error or "the hotkey thread did not start in time"
            )

    def register(self, hotkey: Hotkey, callback: Callable[[], None]) -> None:
        """Register `hotkey`; raises HotkeyTakenError when another program holds it."""
        vk = vk_for_key(hotkey.key)
        hotkey_id = self._ids.get(hotkey)
        if hotkey_id is None:
            hotkey_id = self._ids[hotkey] = self._next_id
            self._next_id += 1
        self._callbacks[hotkey_id] = callback
        if self._paused:
            return
        error = self._call(lambda: self._register(hotkey_id, hotkey_modifiers(hotkey), vk))
        if error:
            del self._callbacks[hotkey_id]
            del self._ids[hotkey]
            if error == ERROR_HOTKEY_ALREADY_REGISTERED:
                raise HotkeyTakenError(hotkey)
            raise HotkeyError(f"{hotkey.display()} cannot be registered (Windows error {error})")

    def unregister(self, hotkey: Hotkey) -> None:
        """Release `hotkey`, if registered."""
        hotkey_id = self._ids.pop(hotkey, None)
        if hotkey_id is None:
            return
        self._callbacks.pop(hotkey_id, None)
        self._call(lambda: self._unregister(hotkey_id))

    def pause(self) -> None:
        """Release every combination (so other programs get them) until resume()."""
        self._paused = True
        for hotkey_id in list(self._registered):
            self._call(partial(self._unregister, hotkey_id))

    def resume(self) -> None:
        """Register the combinations again; one taken meanwhile is logged and skipped."""
        self._paused = False
        for hotkey, hotkey_id in list(self._ids.items()):
            error = self._call(
                partial(self._register, hotkey_id, hotkey_modifiers(hotkey), vk_for_key(hotkey.key))
            )
            if error:
                log.warning("%s could not be registered again (error %s)", hotkey, error)

    def close(self) -> None:
        """Release everything and end the thread; safe to call twice."""
        if not self._thread.is_alive():
            return
        self._api.post_quit(self._thread_id)
        self._thread.join(_COMMAND_TIMEOUT_S)

    # -- the backend thread ------------------------------------------------------------------

    def _run(self) -> None:
        api = self._api
        try:
            self._thread_id = api.current_thread_id()
            self._hwnd = api.create_message_window()
            if not self._hwnd:
                self._startup_error = (
                    f"cannot create the hotkey window (Windows error {api.last_error()})"
                )
        finally:
            self._ready.set()
        if not self._hwnd:
            return
        try:
            while (message := api.get_message()) is not None:
                _hwnd, kind, wparam, _lparam = message
                if kind == WM_HOTKEY:
                    self._fire(wparam)
                elif kind == WM_RUN_COMMANDS:
                    self._run_commands()
        finally:
            for hotkey_id in list(self._registered):
                self._unregister(hotkey_id)
            api.destroy_window(self._hwnd)
            self._fail_pending()

    def _fire(self, hotkey_id: int) -> None:
        callback = self._callbacks.get(hotkey_id)
        if callback is None or self._paused:
            return
        try:
            callback()
        except Exception:
            log.exception("hotkey callback failed")

    def _register(self, hotkey_id: int, modifiers: int, vk: int) -> int:
        if hotkey_id in self._registered:
            # Windows keeps an old registration with the same window and id alongside a new one
            self._unregister(hotkey_id)
        error = int(self._api.register_hotkey(self._hwnd, hotkey_id, modifiers, vk))
        if not error:
            self._registered.add(hotkey_id)
        return error

    def _unregister(self, hotkey_id: int) -> None:
        if hotkey_id in self._registered:
            self._api.unregister_hotkey(self._hwnd, hotkey_id)
            self._registered.discard(hotkey_id)

    def _run_commands(self) -> None:
        while True:
            try:
                command = self._commands.get_nowait()
            except queue.Empty:
                return
            try:
                command.result = command.run()
            except Exception as exc:  # noqa: BLE001 - handed back to the calling thread
                command.error = exc
            command.done.set()

    def _fail_pending(self) -> None:
        while not self._commands.empty():
            command = self._commands.get_nowait()
            command.error = BackendUnavailableError("the hotkey thread has stopped")
            command.done.set()

    def _call(self, run: Callable[[], Any]) -> Any:
        """Run `run` on the backend thread and return its result (re-raising its error)."""
        if threading.get_ident() == self._thread.ident:
            return run()
        if not self._thread.is_alive():
            raise BackendUnavailableError("the hotkey thread has stopped")
        command = _Command(run)
        self._commands.put(command)
        self._api.post_message(self._hwnd, WM_RUN_COMMANDS)
        if not command.done.wait(_COMMAND_TIMEOUT_S):
            raise BackendUnavailableError("the hotkey thread does not answer")
        if command.error is not None:
            raise command.error
        return command.result
