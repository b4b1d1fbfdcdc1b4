"""Liveness of a listening `keyboard` hook: Windows removes a low-level hook that once took too
long (LowLevelHooksTimeout) without telling anyone, and every key event stops.

The watchdog compares what the hook saw with the system's last-input time (GetLastInputInfo,
which mouse moves also advance). When input arrived but the hook saw nothing for `quiet_ms`, it
sends a probe (a tap of the unassigned VK 0xE8, which programs ignore); if the hook does not see
the probe by the next check, the hook is re-installed and the agent told.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from quickreply.core.i18n import tr

QUIET_MS = 30_000
CHECK_S = 5.0


class HookWatchdog:
    """The pure decision: call `seen` from the hook, `check` periodically with the clock."""

    def __init__(
        self,
        last_input_ms: Callable[[], int],
        probe: Callable[[], None],
        reinstall: Callable[[], None],
        notify: Callable[[str], None],
        quiet_ms: int = QUIET_MS,
    ) -> None:
        """Wire the watchdog to the clock of system input, a probe, a re-install and a notice."""
        self._last_input_ms = last_input_ms
        self._probe = probe
        self._reinstall = reinstall
        self._notify = notify
        self._quiet_ms = quiet_ms
        self._seen_ms = 0
        self._probe_sent_ms: int | None = None
        self.reinstalls = 0

    def seen(self, t_ms: int) -> None:
        """The hook saw a key event (cheap: runs inside the hook)."""
        self._seen_ms = t_ms
        self._probe_sent_ms = None

    @property
    def alive(self) -> bool:
        """False while a probe is out unanswered."""
        return self._probe_sent_ms is None

    def check(self, now_ms: int) -> bool:
        """Probe or repair as needed; return whether the hook is believed alive."""
        if self._probe_sent_ms is not None:
            if self._seen_ms >= self._probe_sent_ms:
                self._probe_sent_ms = None
                return True
            self._probe_sent_ms = None
            self._seen_ms = now_ms
            self.reinstalls += 1
            self._reinstall()
            self._notify(
                tr(
                    "Windows had switched off QuickReply's keyboard listener; it is back on. "
                    "Key counts of the last minutes may be missing."
                )
            )
            return False
        if self._last_input_ms() - self._seen_ms > self._quiet_ms:
            self._probe_sent_ms = now_ms
            self._probe()
        return True


class WatchdogThread:
    """Runs `HookWatchdog.check` every few seconds on a daemon thread."""

    def __init__(self, watchdog: HookWatchdog, clock_ms: Callable[[], int]) -> None:
        """Prepare the thread."""
        self._watchdog = watchdog
        self._clock_ms = clock_ms
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="quickreply-hookwatch", daemon=True)

    def start(self) -> None:
        """Start checking."""
        self._thread.start()

    def stop(self) -> None:
        """Stop checking."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(CHECK_S + 1)

    def _run(self) -> None:
        while not self._stop.wait(CHECK_S):
            self._watchdog.check(self._clock_ms())


PROBE_SCAN_CODE = -0xE8  # how `keyboard` reports our probe (VK 0xE8, scan code 0)


def reinstall_keyboard_hook() -> None:
    """Install the `keyboard` package's low-level hook again, on a new pumping thread.

    A low-level hook is called on the thread that installed it, which must run a message loop:
    `keyboard`'s own listen() installs the hook and pumps. (Its old thread keeps pumping with no
    hook, harmless.) Uses keyboard 0.13's listener object; pinned in pyproject.toml.
    """
    import keyboard

    listener = keyboard._listener  # private, but there is no public way to re-install the hook
    threading.Thread(target=listener.listen, name="quickreply-keyboard-hook", daemon=True).start()


def start_keyboard_watchdog(
    api: Any, clock_ms: Callable[[], int], notify: Callable[[str], None]
) -> tuple[HookWatchdog, WatchdogThread]:
    """Watch the `keyboard` hook of this process; returns the watchdog (feed it `seen`) and its
    running thread (stop it with the hook)."""
    from quickreply.platform.windows.keys import SendInputKeySender

    sender = SendInputKeySender(api)
    watchdog = HookWatchdog(
        last_input_ms=lambda: clock_ms() - int(api.idle_ms()),
        probe=sender.probe,
        reinstall=reinstall_keyboard_hook,
        notify=notify,
    )
    thread = WatchdogThread(watchdog, clock_ms)
    thread.start()
    return watchdog, thread
