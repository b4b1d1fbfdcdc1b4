"""A recording KeySender: an extra seam for widget tests (real key sending is tested under Xvfb)."""

from __future__ import annotations

from quickreply.core.hotkey import Hotkey


class RecordingKeys:
    """Remembers what would have been sent."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    def release_held_modifiers(self) -> None:
        self.sent.append("release-modifiers")

    def send_combo(self, hotkey: Hotkey) -> None:
        self.sent.append(str(hotkey))

    def tap(self, key: str, count: int = 1) -> None:
        self.sent.extend([key] * count)

    def type_text(self, text: str) -> None:
        self.sent.append(f"type:{text}")

    def close(self) -> None:
        self.sent.append("closed")
