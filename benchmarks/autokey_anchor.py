"""The AutoKey anchor for benchmarks/insert_latency.py: the same hotkey, line and target, via AutoKey.

AutoKey 0.95 (Debian package autokey-gtk) is configured in a throw-away HOME with one phrase whose
text is the benchmark line, sent in clipboard mode (set the clipboard, then press Ctrl+V), on the
hotkey <ctrl>+<alt>+1. It runs on the benchmark's Xvfb under its own D-Bus session bus and is
driven exactly like QuickReply: `xdotool key ctrl+alt+1`, measured to the moment the target window
shows the whole line (the target stamps its text changes with CLOCK_MONOTONIC).

QuickReply must not be running meanwhile: both grab ctrl+alt+1.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Protocol

AUTOKEY_VERSION = "0.95.10"
# AutoKey's clipboard mode restores the previous clipboard 0.2 s after sending Ctrl+V, on the same
# queue as the next expansion; wait that out between triggers so each run starts with AutoKey idle.
SETTLE_S = 0.3


class TargetWindow(Protocol):
    """What we need from insert_latency.Target."""

    def reset(self, display: str) -> None: ...

    def completed_at(self, expected: str, timeout: float = 5) -> int: ...


def find_autokey() -> str | None:
    """The AutoKey front end on PATH (Debian ships autokey-gtk and autokey-qt, no headless one)."""
    for name in ("autokey-headless", "autokey-gtk"):
        path = shutil.which(name)
        if path:
            return path
    return None


def _unset_hotkey() -> dict[str, object]:
    return {"modifiers": [], "hotKey": None}


def _disabled_global_hotkey() -> dict[str, object]:
    return {"enabled": False, "modifiers": [], "hotKey": None}


def _no_abbreviation() -> dict[str, object]:
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
    """Stop AutoKey and anything it started (it leads its own process group)."""
    for sig, wait_s in ((signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(wait_s)
            break
        except subprocess.TimeoutExpired:
            continue


def _log_tail(home: Path, lines: int = 3) -> str:
    log = home / ".local/share/autokey/autokey.log"
    if not log.exists():
        return "no log"
    text = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    return " | ".join(text[-lines:]) or "empty log"


def measure_autokey(display: str, target: TargetWindow, line: str, runs: int) -> list[float] | str:
    """Time `xdotool key ctrl+alt+1` -> `line` complete in `target`, with AutoKey doing the insert.

    Returns one latency in ms per run, or a one-line reason when AutoKey is missing or does not
    work here. AutoKey is always stopped before returning.
    """
    program = find_autokey()
    if program is None:
        return "autokey-gtk not installed (apt-get install autokey-gtk)"
    command = [program]
    if shutil.which("dbus-run-session"):
        command = ["dbus-run-session", "--", *command]
    elif not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return "no D-Bus session for AutoKey (apt-get install dbus)"

    home = Path(tempfile.mkdtemp(prefix="autokey-bench-"))
    write_config(home / ".config" / "autokey", line)
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
    (home / ".run").mkdir(mode=0o700)
    xenv = dict(os.environ, DISPLAY=display)
    process = subprocess.Popen(
        command,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        # Ready once a trigger works: press until the line appears (bounded).
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                return f"autokey-gtk exited with {process.returncode} at start-up ({_log_tail(home)})"
            target.reset(display)
            subprocess.run(["xdotool", "key", "ctrl+alt+1"], env=xenv, check=True)
            try:
                target.completed_at(line, timeout=1)
                break
            except AssertionError:
                if time.monotonic() > deadline:
                    return f"autokey-gtk never inserted the line within 30 s ({_log_tail(home)})"
        samples: list[float] = []
        for _ in range(runs):
            time.sleep(SETTLE_S)
            target.reset(display)
            time.sleep(0.05)
            start = time.monotonic_ns()
            subprocess.run(["xdotool", "key", "ctrl+alt+1"], env=xenv, check=True)
            try:
                done = target.completed_at(line)
            except AssertionError:
                return f"autokey-gtk stopped inserting after {len(samples)} runs ({_log_tail(home)})"
            samples.append((done - start) / 1e6)
        return samples
    finally:
        _stop(process)
        shutil.rmtree(home, ignore_errors=True)
