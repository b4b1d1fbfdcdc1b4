"""Whether a graphical session is reachable, asked before Qt is touched (Qt aborts without one)."""

from __future__ import annotations

import ctypes
import os
import sys

NO_DISPLAY_HELP = (
    "no display found (DISPLAY and WAYLAND_DISPLAY are unset). QuickReply is a desktop tray app: "
    "start it from a desktop session, or on a server run it under a virtual screen: "
    "`xvfb-run -a quickreply` (Debian/Ubuntu: apt-get install xvfb)"
)


def display_problem() -> str | None:
    """Return why no window can be shown here, or None when a display (or offscreen Qt) is usable."""
    if sys.platform in ("win32", "darwin"):
        return None
    if os.environ.get("QT_QPA_PLATFORM", "").startswith(("offscreen", "minimal")):
        return None
    if os.environ.get("DISPLAY"):
        return _x11_problem(os.environ["DISPLAY"]) or _xcb_library_problem()
    if os.environ.get("WAYLAND_DISPLAY"):
        return None
    return NO_DISPLAY_HELP


# Libraries Qt's xcb platform plugin loads (soname -> Debian package); without them Qt aborts
# instead of explaining. Loading them by soname is what Qt does next anyway, and unlike
# ctypes.util.find_library it starts no `ldconfig -p` process per library (~20 ms each).
_XCB_LIBRARIES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-render-util.so.0": "libxcb-render-util0",
}


def _xcb_library_problem() -> str | None:
    missing = [pkg for soname, pkg in _XCB_LIBRARIES.items() if not _loadable(soname)]
    if not missing:
        return None
    return (
        "Qt's X11 support needs system libraries that are missing: "
        f"{', '.join(missing)} (Debian/Ubuntu: apt-get install {' '.join(missing)})"
    )


def _loadable(soname: str) -> bool:
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def _x11_problem(name: str) -> str | None:
    try:
        from Xlib.error import DisplayError

        from quickreply.platform.x11 import Display  # set up with only the extensions we use
    except ImportError:
        return None
    try:
        Display(name).close()
    except (DisplayError, OSError, ConnectionError) as exc:
        return (
            f"cannot open the X display {name} ({exc}); check DISPLAY, or run under a virtual screen: "
            "`xvfb-run -a quickreply`"
        )
    return None
