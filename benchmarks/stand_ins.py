"""Stand-ins for benchmarks that build a Controller but never insert or record anything."""

from __future__ import annotations


class NoKeys:
    """A key sender that sends nothing: the benchmark never inserts."""

    def keys_down(self, keys: object) -> bool:
        return False

    def release_held_modifiers(self) -> None: ...

    def send_combo(self, hotkey: object) -> None: ...

    def tap(self, key: str, count: int = 1) -> None: ...

    def type_text(self, text: str) -> None: ...

    def close(self) -> None: ...


class NoLog:
    """A usage recorder that keeps nothing."""

    def record(self, event: object) -> None: ...
