"""Start with the computer: the per-user autostart entry of this platform, and nothing else.

Windows: a value in HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run. Linux: an XDG
autostart file, $XDG_CONFIG_HOME/autostart/quickreply.desktop. The entry itself is the setting:
nothing else stores "start with the computer", so the setting and the entry cannot disagree.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Protocol

from quickreply.core.errors import StorageError
from quickreply.core.library.atomic import atomic_write_text

RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
VALUE_NAME = "QuickReply"
DESKTOP_FILE = "quickreply.desktop"


class Autostart(Protocol):
    """The per-user "start at login" entry for QuickReply."""

    def is_enabled(self) -> bool:
        """Return whether QuickReply starts with the computer."""

    def enable(self, command: list[str]) -> None:
        """Start `command` at login (replacing an older entry); raises StorageError."""

    def disable(self) -> None:
        """Remove the entry (nothing happens when there is none); raises StorageError."""


def launch_command() -> list[str]:
    """Return the command that starts this installation's tray app."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    python = Path(sys.executable)
    windowed = python.with_name("pythonw.exe")
    if sys.platform == "win32" and windowed.exists():
        python = windowed  # no console window at login
    return [str(python), "-m", "quickreply"]


def choose_autostart() -> Autostart:
    """Return the autostart entry of this platform."""
    if sys.platform == "win32":
        import winreg

        return WindowsRunKey(winreg)
    return XdgAutostart()


def set_autostart(autostart: Autostart, enabled: bool) -> None:
    """Turn starting with the computer on (for this installation) or off."""
    if enabled:
        autostart.enable(launch_command())
    else:
        autostart.disable()


class XdgAutostart:
    """An XDG autostart desktop entry (GNOME, KDE, Xfce, LXQt ... read this folder at login)."""

    def __init__(self, config_home: Path | None = None) -> None:
        base = config_home or Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
        self.path = base / "autostart" / DESKTOP_FILE

    def is_enabled(self) -> bool:
        """Return whether the desktop entry exists and is not hidden."""
        if not self.path.is_file():
            return False
        lines = self.path.read_text(encoding="utf-8", errors="replace").splitlines()
        return "Hidden=true" not in (line.strip() for line in lines)

    def enable(self, command: list[str]) -> None:
        """Write the desktop entry that runs `command`."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"could not create {self.path.parent}: {exc.strerror}") from exc
        atomic_write_text(self.path, desktop_entry(command))

    def disable(self) -> None:
        """Delete the desktop entry."""
        try:
            self.path.unlink(missing_ok=True)
        except OSError as exc:
            raise StorageError(f"could not remove {self.path}: {exc.strerror}") from exc


def desktop_entry(command: list[str]) -> str:
    """Return the text of an autostart desktop entry running `command`."""
    return "\n".join(
        [
            "[Desktop Entry]",
            "Type=Application",
            "Name=QuickReply",
            "Name[zh_CN]=QuickReply 快捷回复",
            "Comment=Quick replies for customer-service chat",
            "Comment[zh_CN]=客服快捷回复",
            f"Exec={' '.join(_exec_quote(arg) for arg in command)}",
            "Terminal=false",
            "X-GNOME-Autostart-enabled=true",
            "",
        ]
    )


def _exec_quote(arg: str) -> str:
    """Quote one Exec argument as the Desktop Entry Specification asks."""
    arg = arg.replace("%", "%%")  # % starts a field code (%f, %u ...)
    if arg and not any(c in arg for c in " \t\n\"'\\><~|&;$*?#()`"):
        return arg
    escaped = "".join(f"\\{c}" if c in '"`$\\' else c for c in arg)
    return f'"{escaped}"'


class WindowsRunKey:
    """The per-user Run registry value; `registry` is the winreg module (or a fake in tests)."""

    def __init__(self, registry: Any) -> None:
        self.registry = registry

    def is_enabled(self) -> bool:
        """Return whether the Run key has our value."""
        try:
            with self.registry.OpenKey(self.registry.HKEY_CURRENT_USER, RUN_KEY) as key:
                self.registry.QueryValueEx(key, VALUE_NAME)
        except FileNotFoundError:
            return False
        return True

    def enable(self, command: list[str]) -> None:
        """Set our Run value to `command`."""
        value = " ".join(f'"{arg}"' if " " in arg else arg for arg in command)
        try:
            with self.registry.CreateKeyEx(
                self.registry.HKEY_CURRENT_USER, RUN_KEY, 0, self.registry.KEY_SET_VALUE
            ) as key:
                self.registry.SetValueEx(key, VALUE_NAME, 0, self.registry.REG_SZ, value)
        except OSError as exc:
            raise StorageError(f"could not write the Run registry key: {exc}") from exc

    def disable(self) -> None:
        """Delete our Run value."""
        try:
            with self.registry.OpenKey(
                self.registry.HKEY_CURRENT_USER, RUN_KEY, 0, self.registry.KEY_SET_VALUE
            ) as key:
                self.registry.DeleteValue(key, VALUE_NAME)
        except FileNotFoundError:
            return
        except OSError as exc:
            raise StorageError(f"could not change the Run registry key: {exc}") from exc
