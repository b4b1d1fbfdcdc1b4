"""Other programs on the agent's clipboard, for the paste-safety tests (issue 18 rule 13 on X11).

``python clipboard_peers.py monitor``: a clipboard manager that reads every new clipboard at once
(TARGETS, then the text), as clipboard managers and history tools do; prints ``read`` per text read.

``python clipboard_peers.py thief TEXT``: owns the clipboard with TEXT and takes it back within a
millisecond whenever another program sets it (it checks the owner every 0.5 ms), so setting the
clipboard fails for everyone else.

Both print ``ready`` once they watch the clipboard; closing stdin (or SIGTERM) ends them.
"""

from __future__ import annotations

import select
import sys
from collections.abc import Iterator

from Xlib import X, Xatom
from Xlib.display import Display
from Xlib.ext import xfixes
from Xlib.protocol import event as xevent


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _watch_owner(display: Display, clipboard: int) -> None:
    display.xfixes_query_version()
    display.xfixes_select_selection_input(
        display.screen().root, clipboard, xfixes.XFixesSetSelectionOwnerNotifyMask
    )


def _owner_changed(event: object) -> bool:
    """True for an XFixes SetSelectionOwnerNotify event."""
    return getattr(event, "selection_timestamp", None) is not None


def _events(display: Display, poll: float | None = None) -> Iterator[object]:
    """Yield X events until stdin closes; None every `poll` seconds without one."""
    while True:
        while display.pending_events():
            yield display.next_event()
        readable, _, _ = select.select([display.fileno(), sys.stdin], [], [], poll)
        if sys.stdin in readable and not sys.stdin.buffer.read1(1024):
            return
        if not readable:
            yield None


def monitor() -> None:
    """Read each new clipboard the moment its owner changes."""
    display = Display()
    clipboard = display.intern_atom("CLIPBOARD")
    utf8 = display.intern_atom("UTF8_STRING")
    prop = display.intern_atom("QR_MONITOR")
    window = display.screen().root.create_window(0, 0, 1, 1, 0, X.CopyFromParent)
    _watch_owner(display, clipboard)
    display.sync()
    _say("ready")
    for event in _events(display):
        if _owner_changed(event) and event.owner:
            window.convert_selection(clipboard, utf8, prop, event.selection_timestamp)
            display.flush()
        elif event.type == X.SelectionNotify and event.property:
            window.get_full_property(prop, X.AnyPropertyType)
            window.delete_property(prop)
            _say("read")


def thief(text: str) -> None:
    """Own the clipboard with `text` and take it back whenever someone else sets it."""
    display = Display()
    clipboard = display.intern_atom("CLIPBOARD")
    targets = display.intern_atom("TARGETS")
    utf8 = display.intern_atom("UTF8_STRING")
    window = display.screen().root.create_window(0, 0, 1, 1, 0, X.CopyFromParent)
    _watch_owner(display, clipboard)
    window.set_selection_owner(clipboard, X.CurrentTime)
    display.sync()
    _say("ready")
    for event in _events(display, poll=0.0005):
        if event is None or _owner_changed(event):
            if display.get_selection_owner(clipboard) != window:
                window.set_selection_owner(clipboard, X.CurrentTime)
                display.flush()
                _say("retaken")
        elif event.type == X.SelectionRequest:
            prop = event.property or event.target
            if event.target == targets:
                event.requestor.change_property(prop, Xatom.ATOM, 32, [targets, utf8])
            elif event.target in (utf8, Xatom.STRING):
                event.requestor.change_property(prop, event.target, 8, text.encode("utf-8"))
            else:
                prop = X.NONE
            notify = xevent.SelectionNotify(
                time=event.time,
                requestor=event.requestor,
                selection=event.selection,
                target=event.target,
                property=prop,
            )
            event.requestor.send_event(notify)
            display.flush()


if __name__ == "__main__":
    if sys.argv[1] == "monitor":
        monitor()
    else:
        thief(sys.argv[2])
