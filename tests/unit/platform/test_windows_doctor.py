"""doctor on Windows: own elevation and the listening hook's liveness, with fakes."""

from __future__ import annotations

from quickreply.platform.windows.constants import SECURITY_MANDATORY_HIGH_RID
from quickreply.platform.windows.doctor import checks
from tests.unit.platform.fake_win32 import FakeWin32


def test_standard_user_and_live_hook(api: FakeWin32) -> None:
    lines = checks(api, hook_alive=lambda _api: True)
    assert lines[0][:2] == ("ok", "elevation") and "standard user" in lines[0][2]
    assert lines[1] == ("ok", "keyboard hook", "alive (listening only, no key withheld)")


def test_elevated_and_dead_hook(api: FakeWin32) -> None:
    api.own_level = SECURITY_MANDATORY_HIGH_RID
    lines = checks(api, hook_alive=lambda _api: False)
    assert "administrator" in lines[0][2]
    assert lines[1][0] == "warn" and "no test key arrived" in lines[1][2]


def test_hook_that_cannot_be_installed_is_a_warning(api: FakeWin32) -> None:
    def broken(_api: FakeWin32) -> bool:
        raise OSError("hook refused")

    assert checks(api, hook_alive=broken)[1] == (
        "warn", "keyboard hook", "cannot be installed: hook refused",
    )  # fmt: skip


def test_off_windows_says_so() -> None:
    import sys

    if sys.platform != "win32":
        assert checks()[0][0] == "warn"
