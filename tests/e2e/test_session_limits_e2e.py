"""The real app in a session that says it is Wayland (WAYLAND_DISPLAY set, X11 through Xvfb as
XWayland would give): the limit is in status.json and told in a tray message once."""

from __future__ import annotations

import pytest

from tests.e2e.app_process import AppProcess

pytestmark = pytest.mark.e2e


def test_wayland_limit_is_reported_and_told_once(app: AppProcess) -> None:
    app.env["WAYLAND_DISPLAY"] = "wayland-qr-test"  # Qt still uses xcb: XDG_SESSION_TYPE unset
    assert app.cli("settings", "get", "limits_notice_shown").strip() == "false"
    status = app.start()
    (limit,) = status["limits"]
    assert limit.startswith("Wayland session") and "XWayland" in limit
    app.stop()
    assert app.cli("settings", "get", "limits_notice_shown").strip() == "true"
    app.env.pop("WAYLAND_DISPLAY")
    assert app.start()["limits"] == []
