"""Rule 17 and the rule-11 hook liveness: key stream, IME state, watchdog."""

from __future__ import annotations

from quickreply.core.usage.key_stream import KeyStream, key_kind
from quickreply.platform.windows.hook_watch import HookWatchdog
from quickreply.platform.windows.ime import composition_open
from tests.unit.platform.fake_win32 import FakeWin32


def test_key_names_from_the_hook() -> None:
    assert key_kind("enter") == "enter"
    assert key_kind("right shift") == "shift"
    assert key_kind("left ctrl") == "ctrl"
    assert key_kind("a") == "other"


def test_shift_enter_is_a_newline_and_plain_enter_a_send() -> None:
    stream = KeyStream()
    assert stream.event("other", True, 0) is False
    assert stream.event("shift", True, 10) is None
    assert stream.event("enter", True, 20) is False
    assert stream.event("enter", False, 30) is None
    assert stream.event("shift", False, 40) is None
    assert stream.event("enter", True, 50) is True


def test_modifier_whose_key_up_was_lost_goes_stale() -> None:
    stream = KeyStream(stale_ms=10_000)
    stream.event("ctrl", True, 0)  # Win+L: the key-up never arrives
    assert stream.event("enter", True, 5_000) is False
    stream.event("enter", False, 5_010)
    assert stream.event("enter", True, 20_000) is True


def test_reset_forgets_held_keys() -> None:
    stream = KeyStream()
    stream.event("shift", True, 0)
    stream.reset()
    assert stream.event("enter", True, 10) is True


def test_enter_auto_repeat_sends_once() -> None:
    stream = KeyStream()
    assert stream.event("enter", True, 0) is True
    assert stream.event("enter", True, 30) is None
    assert stream.event("enter", True, 60) is None


def test_enter_that_commits_a_pinyin_composition_is_not_a_send() -> None:
    stream = KeyStream()
    assert stream.event("enter", True, 0, composing=True) is False
    stream.event("enter", False, 10)
    assert stream.event("enter", True, 20, composing=None) is True  # cannot tell: a send


def test_ime_composition_of_the_focused_window(api: FakeWin32) -> None:
    chat = api.add_window(200, "WeChat.exe")
    edit = api.add_window(200, "WeChat.exe", cls="Edit")
    api.foreground = chat.hwnd
    api.focus_of_thread[chat.thread] = edit.hwnd
    api.composition[edit.hwnd] = 6
    assert composition_open(api) is True
    api.composition[edit.hwnd] = 0
    assert composition_open(api) is False
    api.composition[edit.hwnd] = None  # another process's window: the IMM will not say
    assert composition_open(api) is None


class Watch:
    def __init__(self) -> None:
        self.last_input = 0
        self.probes = 0
        self.reinstalls = 0
        self.notices: list[str] = []
        self.dog = HookWatchdog(
            last_input_ms=lambda: self.last_input,
            probe=self.probe,
            reinstall=self.reinstall,
            notify=self.notices.append,
            quiet_ms=1000,
        )

    def probe(self) -> None:
        self.probes += 1

    def reinstall(self) -> None:
        self.reinstalls += 1


def test_hook_that_sees_keys_is_left_alone() -> None:
    watch = Watch()
    watch.dog.seen(100)
    watch.last_input = 150
    assert watch.dog.check(200)
    assert watch.probes == 0


def test_input_the_hook_missed_is_probed_then_the_hook_reinstalled_and_the_agent_told() -> None:
    watch = Watch()
    watch.dog.seen(0)
    watch.last_input = 5_000
    assert watch.dog.check(5_000)
    assert watch.probes == 1 and not watch.dog.alive
    assert not watch.dog.check(10_000)  # the probe never arrived
    assert watch.reinstalls == 1
    assert len(watch.notices) == 1 and "back on" in watch.notices[0]


def test_probe_answered_means_alive_mouse_only_activity() -> None:
    watch = Watch()
    watch.last_input = 5_000  # mouse moves, no keys
    watch.dog.check(5_000)
    watch.dog.seen(5_002)  # the hook saw the probe
    assert watch.dog.check(10_000)
    assert watch.reinstalls == 0 and watch.dog.alive


class HookEvent:
    def __init__(self, name: str | None, down: bool, scan_code: int = 1) -> None:
        self.name = name
        self.event_type = "down" if down else "up"
        self.scan_code = scan_code


def test_windows_key_counter_glue(monkeypatch, api: FakeWin32) -> None:
    """KeyboardKeyCounter on Windows: stream state, IME at Enter, probe filtered, watchdog fed."""
    import sys

    import keyboard

    from quickreply.platform import keycount
    from quickreply.platform.windows import hook_watch, win32

    handlers = []
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(win32, "load", lambda: api)
    monkeypatch.setattr(keyboard, "hook", lambda handler: handlers.append(handler) or handler)
    monkeypatch.setattr(keyboard, "unhook", lambda _hook: None)
    seen: list[int] = []

    class Dog:
        def seen(self, t_ms: int) -> None:
            seen.append(t_ms)

    class Thread:
        def stop(self) -> None:
            pass

    monkeypatch.setattr(hook_watch, "start_keyboard_watchdog", lambda *_a: (Dog(), Thread()))
    chat = api.add_window(200, "WeChat.exe")
    api.foreground = chat.hwnd
    keys: list[bool] = []
    counter = keycount.KeyboardKeyCounter()
    counter.start(lambda is_enter, _t: keys.append(is_enter))
    handle = handlers[0]
    for name, down in [("a", True), ("a", False), ("shift", True), ("enter", True),
                       ("enter", False), ("shift", False), ("enter", True), ("enter", False)]:  # fmt: skip
        handle(HookEvent(name, down))
    assert keys == [False, False, True]
    api.composition[chat.hwnd] = 4  # a pinyin composition is open
    handle(HookEvent("enter", True))
    handle(HookEvent(None, True, scan_code=hook_watch.PROBE_SCAN_CODE))
    assert keys == [False, False, True, False]
    assert len(seen) == 10
    counter.stop()


class FakeKeyboard:
    """The `keyboard` package's hook seam: which hooks are installed, nothing held down."""

    def __init__(self, monkeypatch) -> None:
        import keyboard

        self.hooks: list = []
        self.removed: list = []
        monkeypatch.setattr(keyboard, "hook", lambda handler: self.hooks.append(handler) or handler)
        monkeypatch.setattr(keyboard, "unhook", self.removed.append)
        monkeypatch.setattr(keyboard, "is_pressed", lambda _name: False)

    def send(self, event: HookEvent) -> None:
        for hook in self.hooks:
            if hook not in self.removed:
                hook(event)


def test_abbreviation_watcher_and_key_counter_share_one_keyboard_hook(monkeypatch) -> None:
    """Like X11's one RECORD context: one `keyboard.hook` however many listen, removed with the
    last of them; the counter gets key-ups too, the watcher key-downs without the probe."""
    from quickreply.platform.keycount import KeyboardKeyCounter
    from quickreply.platform.keyevents import KeyboardKeyEvents
    from quickreply.platform.windows.hook_watch import PROBE_SCAN_CODE

    fake = FakeKeyboard(monkeypatch)
    source = KeyboardKeyEvents()
    typed: list[tuple[str, str]] = []
    source.add_listener(lambda event: typed.append((event.kind, event.char)))
    listener = source._listeners._listeners[0]
    counted: list[bool] = []
    counter = KeyboardKeyCounter(source=source)
    counter.start(lambda is_enter, _t: counted.append(is_enter))
    assert len(fake.hooks) == 1  # one hook for both
    for name, down in [("a", True), ("a", False), ("enter", True), ("enter", False)]:
        fake.send(HookEvent(name, down))
    assert counted == [False, True]
    counter.stop()
    fake.send(HookEvent(None, True, scan_code=PROBE_SCAN_CODE))  # the watchdog's, not typing
    assert typed == [("char", "a"), ("enter", "")]
    assert fake.removed == []  # the watcher still listens
    fake.send(HookEvent("b", True))
    assert typed[-1] == ("char", "b") and counted == [False, True]
    source.remove_listener(listener)
    assert fake.removed == fake.hooks  # the last listener took the hook away
    counter.start(lambda is_enter, _t: counted.append(is_enter))
    assert len(fake.hooks) == 2  # installed again for the next listener
    counter.stop()


def test_on_windows_the_counter_reads_the_shared_key_event_source(monkeypatch, api) -> None:
    import sys

    from quickreply.platform import keycount, keyevents
    from quickreply.platform.windows import hook_watch, win32

    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(win32, "load", lambda: api)
    monkeypatch.setattr(hook_watch, "start_keyboard_watchdog", lambda *_a: (None, None))
    keyevents.shared_key_events.cache_clear()
    keyevents.shared_keyboard_events.cache_clear()
    try:
        counter = keycount.choose_key_counter()
        assert isinstance(counter, keycount.KeyboardKeyCounter)
        assert counter.source is keyevents.shared_key_events()
    finally:
        keyevents.shared_key_events.cache_clear()
        keyevents.shared_keyboard_events.cache_clear()
