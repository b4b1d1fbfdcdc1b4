"""Knowing when the focused X client has read every event sent to it so far (EWMH _NET_WM_PING).

A client answers a ping when its event loop reaches it, and it reaches it only after the key
events and keymap changes queued before it. Key sending uses this before it remaps a keycode
it typed with, so a busy target never translates a queued key with the next mapping.
"""

from __future__ import annotations

import select
import time
from itertools import count

from Xlib import X
from Xlib import error as xerror
from Xlib.display import Display
from Xlib.protocol import event as xevent
from Xlib.xobject.drawable import Window

_stamps = count(1)


class FocusedClientPing:
    """Pings the client owning the focused top-level window, on a connection of its own."""

    def __init__(self, display_name: str | None = None) -> None:
        """Open the connection that sends pings and receives the answers on the root window."""
        self._display = Display(display_name)
        self._root = self._display.screen().root
        # EWMH answers go to the root with SubstructureNotify; Qt sends them with StructureNotify.
        self._root.change_attributes(event_mask=X.SubstructureNotifyMask | X.StructureNotifyMask)
        self._protocols = self._display.intern_atom("WM_PROTOCOLS")
        self._ping = self._display.intern_atom("_NET_WM_PING")

    def caught_up(self, timeout_s: float) -> bool | None:
        """Wait until the focused client answered a ping: True if it did within `timeout_s`,
        False if it did not, None if no focused window answers pings (then nothing is known)."""
        window = self._pingable_focus()
        if window is None:
            return None
        stamp = next(_stamps)
        ping = xevent.ClientMessage(
            window=window,
            client_type=self._protocols,
            data=(32, [self._ping, stamp, window.id, 0, 0]),
        )
        window.send_event(ping, event_mask=0)
        self._display.flush()
        deadline = time.monotonic() + timeout_s
        while (left := deadline - time.monotonic()) > 0:
            if not self._display.pending_events():
                select.select([self._display.fileno()], [], [], left)
            while self._display.pending_events():
                if self._is_answer(self._display.next_event(), stamp):
                    return True
        return False

    def close(self) -> None:
        """Close the ping connection."""
        self._display.close()

    def _is_answer(self, event: object, stamp: int) -> bool:
        if getattr(event, "type", None) != X.ClientMessage:
            return False
        _, data = event.data  # type: ignore[attr-defined]
        return bool(data[0] == self._ping and data[1] == stamp)

    def _pingable_focus(self) -> Window | None:
        """The focused window or its nearest ancestor that lists _NET_WM_PING in WM_PROTOCOLS."""
        try:
            window = self._display.get_input_focus().focus
            while isinstance(window, Window) and window.id != self._root.id:
                protocols = window.get_full_property(self._protocols, X.AnyPropertyType)
                if protocols is not None and self._ping in protocols.value:
                    return window
                window = window.query_tree().parent
        except xerror.XError:
            return None  # the window went away while we looked
        return None
