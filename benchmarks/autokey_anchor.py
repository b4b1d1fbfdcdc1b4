"""The AutoKey anchor for benchmarks/insert_latency.py: the same hotkey, line and target, via AutoKey.

AutoKey 0.95 (Debian package autokey-gtk) is configured in a throw-away HOME with one phrase whose
text is the benchmark line, sent in clipboard mode (set the clipboard, then press Ctrl+V), on the
hotkey <ctrl>+<alt>+1. It runs on the benchmark's Xvfb under its own D-Bus session bus and is
driven exactly like QuickReply: `xdotool key ctrl+alt+1`, measured to the moment the target window
shows the whole line (the target stamps its text changes with CLOCK_MONOTONIC).

QuickReply must not be running meanwhile: both grab ctrl+alt+1.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Protocol

AUTOKEY_VERSION = "0.95.10"
# AutoKey's clipboard mode restores the previous clipboard 0.2 s after sending Ctrl+V, on the same
# queue as the next expansion; wait that out between triggers so each run starts with AutoKey idle.
SETTLE_S = 0.3
# Seconds a fresh AutoKey gets to insert the line once, and starts allowed in all (see below).
READY_TIMEOUT_S = 10
MAX_STARTS = 5


class TargetWindow(Protocol):
    """What we need from insert_latency.Target (and its Chromium counterpart)."""

    def reset(self, display: str) -> None: ...

    def completed_at(self, expected: str, timeout: float = 5) -> int: ...

    def current(self) -> str: ...


def find_autokey() -> str | None:
    """The AutoKey front end on PATH (Debian ships autokey-gtk and autokey-qt, no headless one)."""
    for name in ("autokey-headless", "autokey-gtk"):
        path = shutil.which(name)
        if path:
            return path
    return None


def _unset_hotkey() -> dict[str, object]:
    """A folder's "no hotkey" (model.AbstractHotkey serialised)."""
    return {"modifiers": [], "hotKey": None}


def _disabled_global_hotkey() -> dict[str, object]:
    """One of AutoKey's own global hotkeys, switched off (configmanager.GlobalHotkey)."""
    return {"enabled": False, "modifiers": [], "hotKey": None}


def _no_abbreviation() -> dict[str, object]:
    """An empty abbreviation list with AutoKey's defaults (model.AbstractAbbreviation)."""
    return {
        "abbreviations": [],
        "backspace": True,
        "ignoreCase": False,
        "immediate": False,
        "triggerInside": False,
        "wordChars": r"[\w]",
    }


def write_config(config_dir: Path, line: str) -> None:
    """Write ~/.config/autokey: global settings plus one folder holding the one phrase.

    Keys and values are the ones autokey 0.95 reads (configmanager.ConfigManager.load_global_config,
    model.Folder/Phrase.inject_json_data): modes [3] is TriggerMode.HOTKEY, sendMode "<ctrl>+v" is
    SendMode.CB_CTRL_V, and a phrase's metadata lives next to it as ".<name>.json".
    """
    folder = config_dir / "data" / "bench"
    folder.mkdir(parents=True)
    settings = {
        "isFirstRun": False,
        "serviceRunning": True,
        "menuTakesFocus": False,
        "showTrayIcon": False,  # no tray icon, no notifications to wait for
        "sortByUsageCount": False,
        "promptToSave": False,
        "undoUsingBackspace": False,
        "disabledModifiers": [],
    }
    config = {
        "version": AUTOKEY_VERSION,
        "userCodeDir": None,
        "settings": settings,
        "folders": [],
        # The service's own hotkeys default to <super>+k / <super>+<shift>+k; keep them unset.
        "toggleServiceHotkey": _disabled_global_hotkey(),
        "configHotkey": _disabled_global_hotkey(),
    }
    (config_dir / "autokey.json").write_text(json.dumps(config, indent=4), encoding="utf-8")
    no_filter = {"regex": None, "isRecursive": False}
    (folder / ".folder.json").write_text(
        json.dumps(
            {
                "type": "folder",
                "title": "bench",
                "modes": [],
                "usageCount": 0,
                "showInTrayMenu": False,
                "abbreviation": _no_abbreviation(),
                "hotkey": _unset_hotkey(),
                "filter": no_filter,
            },
            indent=4,
        ),
        encoding="utf-8",
    )
    phrase = {
        "type": "phrase",
        "description": "bench",
        "modes": [3],
        "usageCount": 0,
        "prompt": False,
        "omitTrigger": False,
        "matchCase": False,
        "showInTrayMenu": False,
        "abbreviation": _no_abbreviation(),
        "hotkey": {"modifiers": ["<alt>", "<ctrl>"], "hotKey": "1"},
        "filter": no_filter,
        "sendMode": "<ctrl>+v",
    }
    (folder / ".bench.json").write_text(json.dumps(phrase, indent=4), encoding="utf-8")
    (folder / "bench.txt").write_text(line, encoding="utf-8")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop AutoKey, its D-Bus daemon and anything else in its process group, for sure.

    A survivor would keep its grab on ctrl+alt+1, and QuickReply starts right after us. AutoKey is
    signalled first, so dbus-run-session reaps it and then takes its bus down by itself.
    """
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    deadline = time.monotonic() + 5
    while process.poll() is None and time.monotonic() < deadline:
        with contextlib.suppress(OSError):  # AutoKey may not be spawned yet: ask again
            for pid in children.read_text().split():
                os.kill(int(pid), signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(0.2)
    with contextlib.suppress(ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(5)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # stragglers in the group, if any
    process.wait(5)


def _log_tail(home: Path, lines: int = 2) -> str:
    """The last AutoKey log lines, without its harmless lock and BadWindow noise."""
    log = home / ".local/share/autokey/autokey.log"
    if not log.exists():
        return "no log"
    text = log.read_text(encoding="utf-8", errors="replace").splitlines()
    noise = ("Ignored locking", "BadWindow")
    kept = [entry for entry in text if entry[:4].isdigit() and not any(n in entry for n in noise)]
    return " | ".join(kept[-lines:]) or "empty log"


def _environment(home: Path, display: str) -> dict[str, str]:
    """AutoKey's environment: everything it writes (config, log, lock file) stays under `home`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("XDG_", "DBUS_", "WAYLAND_"))
    }
    env.update(
        DISPLAY=display,
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local/share"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_RUNTIME_DIR=str(home / ".run"),
        NO_AT_BRIDGE="1",  # no accessibility bus to wait for
        GDK_BACKEND="x11",
    )
    return env


def _press(display: str) -> int:
    """Run `xdotool key ctrl+alt+1`; return CLOCK_MONOTONIC ns at the moment the command starts."""
    start = time.monotonic_ns()
    subprocess.run(
        ["xdotool", "key", "ctrl+alt+1"], env=dict(os.environ, DISPLAY=display), check=True
    )
    return start


def held_press(display: str) -> int:
    """Press ctrl+alt+1 as a person does (keydown, 60 ms, keyup; the three keys at once, xdotool's
    12 ms between keys switched off); return CLOCK_MONOTONIC ns right after the keydown command
    returns (issue 11's method: xdotool's own start-up is not part of the figure)."""
    env = dict(os.environ, DISPLAY=display)
    subprocess.run(["xdotool", "keydown", "--delay", "0", "ctrl+alt+1"], env=env, check=True)
    start = time.monotonic_ns()
    time.sleep(0.06)
    subprocess.run(["xdotool", "keyup", "--delay", "0", "ctrl+alt+1"], env=env, check=True)
    return start


def held_presses(
    display: str,
    target: TargetWindow,
    line: str,
    presses: int,
    gap_s: float = 0.5,
    done_stamps: list[int] | None = None,
) -> list[float | None]:
    """Held presses into `target`, `gap_s` apart: the latency (ms) of each exact insertion, None
    for a press whose text did not arrive exactly (missing, doubled or stray keys). The target's
    CLOCK_MONOTONIC stamps of the exact insertions go to `done_stamps` if given."""
    results: list[float | None] = []
    for _ in range(presses):
        target.reset(display)
        time.sleep(gap_s)
        start = held_press(display)
        try:
            done = target.completed_at(line, timeout=2)
        except AssertionError:
            results.append(None)
            continue
        time.sleep(0.3)  # a second paste or a stray key would show by now
        exact = target.current() == line
        results.append((done - start) / 1e6 if exact else None)
        if exact and done_stamps is not None:
            done_stamps.append(done)
    return results


def autokey_held_presses(
    display: str, targets: list[tuple[str, TargetWindow]], line: str, presses: int
) -> dict[str, list[float | None]] | str:
    """`held_presses` with AutoKey doing the insert, for each named target; or a reason why not.

    AutoKey is started once (and must insert into the first target once before we count).
    """
    program = find_autokey()
    if program is None:
        return "autokey-gtk not installed (apt-get install autokey-gtk)"
    command = [program]
    if shutil.which("dbus-run-session"):
        command = ["dbus-run-session", "--", *command]
    home = Path(tempfile.mkdtemp(prefix="autokey-bench-"))
    write_config(home / ".config" / "autokey", line)
    (home / ".run").mkdir(mode=0o700)
    process = subprocess.Popen(
        command,
        env=_environment(home, display),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        if not _wait_ready(process, display, targets[0][1], line):
            return f"autokey-gtk did not insert at start-up ({_log_tail(home)})"
        time.sleep(SETTLE_S)
        return {name: held_presses(display, target, line, presses) for name, target in targets}
    finally:
        _stop(process)
        shutil.rmtree(home, ignore_errors=True)


def _wait_ready(
    process: subprocess.Popen[bytes], display: str, target: TargetWindow, line: str
) -> bool:
    """Press the hotkey until the line appears in the target; False if AutoKey never managed it."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline and process.poll() is None:
        target.reset(display)
        _press(display)
        try:
            target.completed_at(line, timeout=1)
            return True
        except AssertionError:
            continue
    return False


def measure_autokey(display: str, target: TargetWindow, line: str, runs: int) -> list[float] | str:
    """Time `xdotool key ctrl+alt+1` -> `line` complete in `target`, with AutoKey doing the insert.

    Returns one latency in ms per run, or a one-line reason when AutoKey is missing or does not
    work here. autokey-gtk 0.95 sometimes hangs for good on a clipboard expansion (it reads the
    clipboard with Gtk.Clipboard.wait_for_text() off the GTK main thread); when that happens we
    restart it and repeat the run, at most MAX_STARTS starts in all, and say so on stderr.
    AutoKey is always stopped before returning.
    """
    program = find_autokey()
    if program is None:
        return "autokey-gtk not installed (apt-get install autokey-gtk)"
    command = [program]
    if shutil.which("dbus-run-session"):
        command = ["dbus-run-session", "--", *command]
    elif not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return "no D-Bus session bus for AutoKey (apt-get install dbus)"

    home = Path(tempfile.mkdtemp(prefix="autokey-bench-"))
    write_config(home / ".config" / "autokey", line)
    (home / ".run").mkdir(mode=0o700)
    env = _environment(home, display)
    process: subprocess.Popen[bytes] | None = None
    starts = not_ready = hangs = 0
    samples: list[float] = []
    try:
        while len(samples) < runs:
            if process is None:
                if starts == MAX_STARTS:
                    return (
                        f"autokey-gtk gave up after {starts} start(s): {not_ready} never inserted the"
                        f" line, {hangs} hung mid-run ({_log_tail(home)})"
                    )
                starts += 1
                (home / ".run/autokey/autokey.pid").unlink(missing_ok=True)
                process = subprocess.Popen(
                    command,
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,
                )
                if not _wait_ready(process, display, target, line):
                    code = process.poll()
                    _stop(process)
                    process = None
                    if code is not None:
                        return f"autokey-gtk exited with {code} at start-up ({_log_tail(home)})"
                    not_ready += 1
                    continue
            time.sleep(SETTLE_S)
            target.reset(display)
            time.sleep(0.05)
            start = _press(display)
            try:
                done = target.completed_at(line)
            except AssertionError:
                hangs += 1
                _stop(process)
                process = None
                continue
            samples.append((done - start) / 1e6)
        if starts > 1:
            print(
                f"note: autokey-gtk needed {starts} starts ({not_ready} never inserted the line,"
                f" {hangs} hung mid-run); each hung run was repeated",
                file=sys.stderr,
            )
        return samples
    finally:
        if process is not None:
            _stop(process)
        shutil.rmtree(home, ignore_errors=True)
