"""The X11 adapters against a real X server (Xvfb), xdotool and a Qt target in another process."""

from __future__ import annotations

import select
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from quickreply.core.hotkey import parse_hotkey
from quickreply.platform.errors import HotkeyError, HotkeyTakenError
from quickreply.platform.hotkeys import availability, choose_backend
from tests.e2e.conftest import TargetWindow, require_tools, xdotool

if sys.platform == "linux":
    from Xlib import X, Xatom
    from Xlib.display import Display

    from quickreply.platform.hotkeys.x11 import X11HotkeyBackend
    from quickreply.platform.keys import X11KeySender
    from quickreply.platform.window import WindowInfo, X11WindowTracker

e2e = pytest.mark.e2e
COMBO = parse_hotkey("ctrl+alt+1")
FIRE_TIMEOUT = 5.0
AUTOREPEAT_DELAY = 0.66  # the X server's default


@pytest.fixture
def backend(xvfb_display: str) -> Iterator[X11HotkeyBackend]:
    """An X11 hotkey backend, closed after the test."""
    hotkeys = X11HotkeyBackend()
    yield hotkeys
    hotkeys.close()


@pytest.fixture
def sender(xvfb_display: str) -> Iterator[X11KeySender]:
    """An X11 key sender, closed after the test."""
    keys = X11KeySender()
    yield keys
    keys.close()


@pytest.fixture
def tracker(xvfb_display: str) -> Iterator[X11WindowTracker]:
    """An X11 window tracker, closed after the test."""
    windows = X11WindowTracker()
    yield windows
    windows.close()


@pytest.fixture
def x_connection(xvfb_display: str) -> Iterator[Display]:
    """A plain X connection for inspecting server state."""
    display = Display()
    yield display
    display.close()


def press_combo_and_mark() -> None:
    """Press ctrl+alt+1, then type a 'z' marker: once 'z' arrives, a leaked '1' would have too."""
    xdotool("key", "ctrl+alt+1")
    xdotool("key", "z")


def saw_key(target: TargetWindow, name: str) -> bool:
    """True if the target saw a press of key `name`, with any modifiers."""
    return any(event[1].split("+")[-1] == name for event in target.events())


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> bool:
    """Poll `condition` until it holds or `timeout` passes; return whether it held."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def active_handle(tracker: X11WindowTracker) -> int | None:
    """Return the active window's handle, or None."""
    active = tracker.active_window()
    return None if active is None else active.handle


@e2e
def test_hotkey_fires_and_is_consumed(backend: X11HotkeyBackend, target_window: TargetWindow):
    fired = threading.Event()
    backend.register(COMBO, fired.set)
    press_combo_and_mark()
    assert fired.wait(FIRE_TIMEOUT)
    target_window.wait_for_text("z")
    assert not saw_key(target_window, "1")


@e2e
def test_holding_the_hotkey_fires_once_per_press(
    backend: X11HotkeyBackend, target_window: TargetWindow
):
    fired = threading.Semaphore(0)
    backend.register(COMBO, fired.release)
    xdotool("keydown", "ctrl", "alt", "1")
    try:
        assert fired.acquire(timeout=FIRE_TIMEOUT)
        time.sleep(AUTOREPEAT_DELAY + 0.3)  # the stimulus: hold long enough to autorepeat
    finally:
        xdotool("keyup", "1", "alt", "ctrl")
    press_combo_and_mark()
    assert fired.acquire(timeout=FIRE_TIMEOUT), "a new press after the release did not fire"
    target_window.wait_for_text("z")
    assert not fired.acquire(blocking=False), "autorepeat fired the hotkey again"


@e2e
def test_keys_sent_while_the_hotkey_is_held_reach_the_target(
    backend: X11HotkeyBackend,
    sender: X11KeySender,
    target_window: TargetWindow,
    x_connection: Display,
):
    fired = threading.Event()
    backend.register(COMBO, fired.set)
    # Autorepeat of the held '1' after our synthetic modifier release would type '1's.
    x_connection.change_keyboard_control(auto_repeat_mode=X.AutoRepeatModeOff)
    xdotool("keydown", "ctrl", "alt", "1")
    try:
        assert fired.wait(FIRE_TIMEOUT)
        sender.release_held_modifiers()
        sender.type_text("ok")
        target_window.wait_for_text("ok")
    finally:
        xdotool("keyup", "1", "alt", "ctrl")
        x_connection.change_keyboard_control(auto_repeat_mode=X.AutoRepeatModeOn)
        x_connection.sync()


@e2e
def test_hotkey_works_with_numlock_on(
    backend: X11HotkeyBackend, target_window: TargetWindow, x_connection: Display
):
    fired = threading.Event()
    backend.register(COMBO, fired.set)
    xdotool("key", "Num_Lock")
    try:
        assert x_connection.screen().root.query_pointer().mask & X.Mod2Mask, "NumLock not on"
        press_combo_and_mark()
        assert fired.wait(FIRE_TIMEOUT)
        target_window.wait_for_text("z")
        assert not saw_key(target_window, "1")
    finally:
        xdotool("key", "Num_Lock")


@e2e
def test_pause_lets_the_combo_through_and_resume_grabs_it_again(
    backend: X11HotkeyBackend, target_window: TargetWindow
):
    fired = threading.Event()
    backend.register(COMBO, fired.set)
    backend.pause()
    press_combo_and_mark()
    target_window.wait_for_text("1z")
    assert not fired.is_set()

    backend.resume()
    target_window.clear()
    press_combo_and_mark()
    assert fired.wait(FIRE_TIMEOUT)
    target_window.wait_for_text("z")


@e2e
def test_unregister_releases_the_combo(backend: X11HotkeyBackend, target_window: TargetWindow):
    fired = threading.Event()
    backend.register(COMBO, fired.set)
    backend.unregister(COMBO)
    press_combo_and_mark()
    target_window.wait_for_text("1z")
    assert not fired.is_set()


@e2e
def test_key_missing_from_the_keyboard_raises_hotkey_error(backend: X11HotkeyBackend):
    with pytest.raises(HotkeyError, match="no 'f24' key"):
        backend.register(parse_hotkey("ctrl+f24"), lambda: None)


@e2e
def test_failing_callback_keeps_the_listener_alive(
    backend: X11HotkeyBackend, target_window: TargetWindow
):
    fired = threading.Event()

    def fail() -> None:
        fired.set()
        raise RuntimeError("callback bug")

    backend.register(COMBO, fail)
    press_combo_and_mark()
    assert fired.wait(FIRE_TIMEOUT)
    target_window.wait_for_text("z")
    fired.clear()
    backend.register(COMBO, fired.set)
    press_combo_and_mark()
    assert fired.wait(FIRE_TIMEOUT)


@e2e
def test_combo_held_by_another_client_raises_taken(
    backend: X11HotkeyBackend, target_window: TargetWindow
):
    fired = threading.Event()
    backend.register(COMBO, fired.set)
    rival = X11HotkeyBackend()
    try:
        with pytest.raises(HotkeyTakenError, match=r"Ctrl\+Alt\+1 is already used by another"):
            rival.register(COMBO, lambda: None)
    finally:
        rival.close()
    press_combo_and_mark()
    assert fired.wait(FIRE_TIMEOUT), "the first owner lost its grab"
    target_window.wait_for_text("z")


@e2e
def test_send_combo_pastes_the_clipboard(
    sender: X11KeySender, target_window: TargetWindow, x_connection: Display
):
    require_tools("xclip")
    text = "粘贴 paste ok"
    clipboard = x_connection.intern_atom("CLIPBOARD")
    previous_owner = x_connection.get_selection_owner(clipboard)
    # -quiet keeps xclip in the foreground, so the test owns (and reaps) the process.
    owner = subprocess.Popen(
        ["xclip", "-quiet", "-selection", "clipboard", "-target", "UTF8_STRING"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert owner.stdin is not None
        owner.stdin.write(text.encode())
        owner.stdin.close()
        assert wait_until(lambda: x_connection.get_selection_owner(clipboard) != previous_owner)
        sender.send_combo(parse_hotkey("ctrl+v"))
        target_window.wait_for_text(text)
    finally:
        owner.terminate()
        owner.wait(timeout=5)


@e2e
def test_type_text_types_chinese_exactly(sender: X11KeySender, target_window: TargetWindow):
    sender.type_text("你好 ok")
    target_window.wait_for_text("你好 ok")


@e2e
def test_type_text_reuses_borrowed_keycodes_for_long_chinese_text(
    sender: X11KeySender, target_window: TargetWindow
):
    text = "".join(chr(0x4E00 + n) for n in range(120)) + "完成"  # more than the spare keycodes
    sender.type_text(text)
    target_window.wait_for_text(text, timeout=15)


@e2e
def test_type_text_sends_newlines_as_shift_enter(sender: X11KeySender, target_window: TargetWindow):
    sender.type_text("您好,\r\n请稍等\nOK!")
    target_window.wait_for_text("您好,\n请稍等\nOK!")
    assert target_window.enter_count() == 0
    assert ("press", "Shift+Return") in target_window.events()


@e2e
def test_typing_borrowed_keycodes_are_restored_on_close(
    target_window: TargetWindow, x_connection: Display
):
    info = x_connection.display.info
    count = info.max_keycode - info.min_keycode + 1
    before = x_connection.get_keyboard_mapping(info.min_keycode, count)
    keys = X11KeySender()
    keys.type_text("谢谢")
    target_window.wait_for_text("谢谢")
    keys.close()
    assert x_connection.get_keyboard_mapping(info.min_keycode, count) == before


@e2e
def test_release_held_modifiers_keeps_them_out_of_typed_keys(
    sender: X11KeySender, target_window: TargetWindow
):
    xdotool("keydown", "ctrl", "alt")
    try:
        sender.release_held_modifiers()
        sender.type_text("a")
        target_window.wait_for_text("a")
        assert target_window.events()[-1] == ("press", "A")
    finally:
        xdotool("keyup", "ctrl", "alt")


@e2e
def test_tap_moves_the_caret(sender: X11KeySender, target_window: TargetWindow):
    sender.type_text("abcd")
    target_window.wait_for_text("abcd")
    sender.tap("left", 2)
    sender.type_text("X")
    target_window.wait_for_text("abXcd")


@e2e
def test_window_tracker_reads_and_restores_the_active_window(
    spawn_target: Callable[[], TargetWindow],
    tracker: X11WindowTracker,
    sender: X11KeySender,
    x_connection: Display,
):
    first = spawn_target()
    active = tracker.active_window()
    assert active is not None
    assert active.handle == first.window_id
    assert active.process_name.startswith("python")
    assert active.title == "QuickReply e2e target"
    assert tracker.focused_handle() == first.window_id  # the cheap look right before the keys

    second = spawn_target()
    assert active_handle(tracker) == second.window_id
    assert tracker.focused_handle() == second.window_id
    assert tracker.focus(active)
    assert active_handle(tracker) == first.window_id
    sender.type_text("back")
    first.wait_for_text("back")
    assert second.text() == ""

    x_connection.set_input_focus(X.PointerRoot, X.RevertToParent, X.CurrentTime)
    x_connection.sync()
    assert tracker.active_window() is None
    assert tracker.focused_handle() is None
    assert tracker.focus(active)
    assert active_handle(tracker) == first.window_id


@e2e
def test_window_tracker_asks_an_ewmh_window_manager_to_activate(
    spawn_target: Callable[[], TargetWindow], tracker: X11WindowTracker, sender: X11KeySender
):
    first = spawn_target()
    second = spawn_target()
    with FakeWindowManager() as manager:
        active = tracker.active_window()
        assert active is not None and active.handle == second.window_id
        assert tracker.focused_handle() == second.window_id
        assert tracker.focus(WindowInfo(first.window_id, "", ""))
        assert manager.requests == [(first.window_id, 2)]
        assert active_handle(tracker) == first.window_id
    sender.type_text("wm")
    first.wait_for_text("wm")


class FakeWindowManager:
    """Just enough of an EWMH window manager to honour _NET_ACTIVE_WINDOW requests."""

    def __init__(self) -> None:
        self.requests: list[tuple[int, int]] = []  # (window, source indication)
        self._display = Display()
        self._root = self._display.screen().root
        atom = self._display.intern_atom
        self._active, self._check = atom("_NET_ACTIVE_WINDOW"), atom("_NET_SUPPORTING_WM_CHECK")
        self._supported = atom("_NET_SUPPORTED")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> FakeWindowManager:
        self._check_window = self._root.create_window(-1, -1, 1, 1, 0, X.CopyFromParent)
        for window in (self._root, self._check_window):
            window.change_property(self._check, Xatom.WINDOW, 32, [self._check_window.id])
        self._root.change_property(self._supported, Xatom.ATOM, 32, [self._active])
        focus = self._display.get_input_focus().focus
        self._root.change_property(self._active, Xatom.WINDOW, 32, [focus.id])
        self._root.change_attributes(event_mask=X.SubstructureNotifyMask)
        self._display.sync()
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        for name in (self._check, self._supported, self._active):
            self._root.delete_property(name)
        self._check_window.destroy()
        self._display.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            while self._display.pending_events():
                event = self._display.next_event()
                if event.type == X.ClientMessage and event.client_type == self._active:
                    self.requests.append((event.window.id, event.data[1][0]))
                    event.window.set_input_focus(X.RevertToParent, X.CurrentTime)
                    self._root.change_property(self._active, Xatom.WINDOW, 32, [event.window.id])
                    self._display.sync()
            select.select([self._display.fileno()], [], [], 0.05)


@e2e
def test_choose_backend_picks_x11_under_xvfb(xvfb_display: str):
    assert ("x11", True, f"X display {xvfb_display}") in availability()
    backend = choose_backend()
    try:
        assert backend.name == "x11"
    finally:
        backend.close()


@e2e
def test_focused_client_ping_is_answered_only_after_the_keys_before_it(
    sender: X11KeySender, target_window: TargetWindow
):
    from quickreply.platform.x11_ping import FocusedClientPing

    ping = FocusedClientPing()
    try:
        sender.type_text("abc")
        assert ping.caught_up(5.0) is True
        assert target_window.text() == "abc"  # answered after the keys sent before the ping
    finally:
        ping.close()


@e2e
def test_focused_client_ping_knows_nothing_without_a_pingable_window(xvfb_display: str):
    from quickreply.platform.x11_ping import FocusedClientPing

    ping = FocusedClientPing()
    try:
        ping._display.set_input_focus(X.PointerRoot, X.RevertToPointerRoot, X.CurrentTime)
        ping._display.sync()
        assert ping.caught_up(0.5) is None
    finally:
        ping.close()
