"""Start with the computer: a real XDG autostart file on Linux, the Run key through a fake winreg."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from quickreply.platform.autostart import (
    RUN_KEY,
    VALUE_NAME,
    WindowsRunKey,
    XdgAutostart,
    choose_autostart,
    desktop_entry,
    launch_command,
    set_autostart,
)


def exec_line(path: Path) -> list[str]:
    (line,) = [x for x in path.read_text(encoding="utf-8").splitlines() if x.startswith("Exec=")]
    return shlex.split(line.removeprefix("Exec=").replace("%%", "%"))


@pytest.mark.skipif(sys.platform == "win32", reason="XDG autostart is the Linux entry")
def test_xdg_entry_written_runs_this_installation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    autostart = choose_autostart()
    assert isinstance(autostart, XdgAutostart) and not autostart.is_enabled()
    set_autostart(autostart, True)
    assert autostart.path == tmp_path / "config" / "autostart" / "quickreply.desktop"
    assert autostart.is_enabled()
    command = exec_line(autostart.path)
    assert command == launch_command()
    version = subprocess.run(
        [*command, "--version"], capture_output=True, text=True, timeout=60, check=True
    )
    assert version.stdout.startswith("quickreply ")


def test_xdg_entry_turned_off_is_removed(tmp_path: Path) -> None:
    autostart = XdgAutostart(tmp_path)
    set_autostart(autostart, True)
    set_autostart(autostart, False)
    assert not autostart.path.exists() and not autostart.is_enabled()
    set_autostart(autostart, False)  # already off: nothing to do


def test_xdg_entry_hidden_by_the_desktop_counts_as_off(tmp_path: Path) -> None:
    autostart = XdgAutostart(tmp_path)
    autostart.enable(["/opt/QuickReply/QuickReply"])
    autostart.path.write_text(autostart.path.read_text() + "Hidden=true\n")
    assert not autostart.is_enabled()


def test_exec_arguments_with_spaces_and_percent_are_quoted() -> None:
    text = desktop_entry(["/home/li lei/Quick Reply/QuickReply", "50%"])
    assert 'Exec="/home/li lei/Quick Reply/QuickReply" 50%%' in text


class FakeKey:
    def __init__(self, values: dict[str, str]) -> None:
        self.values = values

    def __enter__(self) -> FakeKey:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


class FakeWinreg:
    """The few winreg calls WindowsRunKey makes, over a dict of key path -> values."""

    HKEY_CURRENT_USER = "HKCU"
    KEY_SET_VALUE = 2
    REG_SZ = 1

    def __init__(self) -> None:
        self.keys: dict[tuple[str, str], dict[str, str]] = {}

    def OpenKey(self, root: str, path: str, reserved: int = 0, access: int = 0) -> FakeKey:  # noqa: N802
        if (root, path) not in self.keys:
            raise FileNotFoundError(path)
        return FakeKey(self.keys[root, path])

    def CreateKeyEx(self, root: str, path: str, reserved: int, access: int) -> FakeKey:  # noqa: N802
        return FakeKey(self.keys.setdefault((root, path), {}))

    def QueryValueEx(self, key: FakeKey, name: str) -> tuple[str, int]:  # noqa: N802
        if name not in key.values:
            raise FileNotFoundError(name)
        return key.values[name], self.REG_SZ

    def SetValueEx(self, key: FakeKey, name: str, reserved: int, kind: int, value: Any) -> None:  # noqa: N802
        assert kind == self.REG_SZ
        key.values[name] = value

    def DeleteValue(self, key: FakeKey, name: str) -> None:  # noqa: N802
        if name not in key.values:
            raise FileNotFoundError(name)
        del key.values[name]


def test_run_key_value_follows_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    registry = FakeWinreg()
    run = WindowsRunKey(registry)
    assert not run.is_enabled()
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", r"C:\Program Files\QuickReply\QuickReply.exe")
    set_autostart(run, True)
    assert run.is_enabled()
    assert registry.keys["HKCU", RUN_KEY][VALUE_NAME] == (
        r'"C:\Program Files\QuickReply\QuickReply.exe"'
    )
    set_autostart(run, False)
    assert not run.is_enabled() and registry.keys["HKCU", RUN_KEY] == {}
    set_autostart(run, False)  # no value: nothing to remove


def test_run_key_write_failure_is_a_clear_error() -> None:
    registry = FakeWinreg()

    def refuse(*args: object) -> None:
        raise PermissionError("access denied")

    registry.SetValueEx = refuse  # type: ignore[method-assign]
    from quickreply.core.errors import StorageError

    with pytest.raises(StorageError, match="Run registry key"):
        WindowsRunKey(registry).enable(["QuickReply.exe"])


def test_source_install_starts_the_module() -> None:
    assert launch_command()[-2:] == ["-m", "quickreply"]
