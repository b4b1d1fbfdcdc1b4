"""How Chromium reads the clipboard for one Ctrl+V, and what an owner change midway does (issue 19).

An X client of our own owns CLIPBOARD with "NEW", logs every SelectionRequest Chromium sends (ms
after `xdotool key ctrl+v`, the target asked for), and hands the clipboard to a second window
serving "OLD" a set time after Chromium's first or second text read: what a clipboard restore
does. It prints one line per trial with what the textarea got. No QuickReply, hotkey, keyboard
grab or modifier is involved.

Run: python benchmarks/chromium_clipboard_probe.py [--delays 0,1,5,20,50,200]
Needs Xvfb, xdotool, openbox and chromium.
"""

from __future__ import annotations

import argparse
import os
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from Xlib import X, Xatom  # noqa: E402
from Xlib.display import Display  # noqa: E402
from Xlib.protocol import event as xevent  # noqa: E402

from benchmarks.insert_latency import start_xvfb  # noqa: E402
from tests.e2e.chromium_target import ChromiumTarget, start_window_manager  # noqa: E402

TEXT_TARGETS = ("UTF8_STRING", "text/plain;charset=utf-8", "STRING", "TEXT", "text/plain")


class Owner:
    """Two windows that can own CLIPBOARD, one serving "NEW" and one "OLD"."""

    def __init__(self, display: str) -> None:
        self.display = Display(display)
        root = self.display.screen().root
        self.clipboard = self.display.intern_atom("CLIPBOARD")
        self.targets = self.display.intern_atom("TARGETS")
        self.new = root.create_window(0, 0, 1, 1, 0, X.CopyFromParent)
        self.old = root.create_window(0, 0, 1, 1, 0, X.CopyFromParent)
        self.texts = {self.new.id: b"NEW", self.old.id: b"OLD"}

    def take(self, window: Any) -> None:
        window.set_selection_owner(self.clipboard, X.CurrentTime)
        self.display.sync()

    def serve(self, request: Any) -> str:
        """Answer one SelectionRequest; return the target's name."""
        name = self.display.get_atom_name(request.target)
        prop = request.property or request.target
        if request.target == self.targets:
            atoms = [self.targets] + [self.display.intern_atom(t) for t in TEXT_TARGETS[:3]]
            request.requestor.change_property(prop, Xatom.ATOM, 32, atoms)
        elif name in TEXT_TARGETS:
            request.requestor.change_property(prop, request.target, 8, self.texts[request.owner.id])
        else:
            prop = X.NONE
        request.requestor.send_event(
            xevent.SelectionNotify(
                time=request.time,
                requestor=request.requestor,
                selection=request.selection,
                target=request.target,
                property=prop,
            )
        )
        self.display.flush()
        return name


def trial(owner: Owner, chat: ChromiumTarget, delay_ms: int, after_read: int) -> tuple[str, str]:
    """Paste once, switching the owner `delay_ms` after text read number `after_read`."""
    chat.clear()
    chat.focus()
    owner.take(owner.new)
    log: list[str] = []
    start = time.monotonic()
    subprocess.Popen(["xdotool", "key", "ctrl+v"], env=dict(os.environ, DISPLAY=chat.display))
    text_reads = 0
    switch_at: float | None = None
    switched = False
    while time.monotonic() < start + 1.0:
        if switch_at is not None and not switched and time.monotonic() >= switch_at:
            owner.take(owner.old)
            switched = True
            log.append(f"{(time.monotonic() - start) * 1000:.0f}:SWITCH")
        while owner.display.pending_events():
            event = owner.display.next_event()
            if event.type != X.SelectionRequest:
                continue
            name = owner.serve(event)
            who = "old" if event.owner.id == owner.old.id else "new"
            log.append(f"{(time.monotonic() - start) * 1000:.0f}:{name}({who})")
            if name in TEXT_TARGETS:
                text_reads += 1
                if text_reads == after_read and switch_at is None:
                    switch_at = time.monotonic() + delay_ms / 1000
        select.select([owner.display.fileno()], [], [], 0.002)
    return chat.value, " ".join(log)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--delays", default="0,1,5,20,50,200")
    args = parser.parse_args()
    server, display = start_xvfb()
    window_manager = start_window_manager(display)
    chat = ChromiumTarget(display)
    owner = Owner(display)
    try:
        print("owner change N ms after Chromium's k-th text read -> what the textarea got")
        for delay in (int(d) for d in args.delays.split(",")):
            for after_read in (1, 2):
                got, log = trial(owner, chat, delay, after_read)
                print(f"{delay:>4} ms after read {after_read}: {got or '(nothing)':<9} {log}")
    finally:
        chat.close()
        window_manager.kill()
        server.kill()


if __name__ == "__main__":
    main()
