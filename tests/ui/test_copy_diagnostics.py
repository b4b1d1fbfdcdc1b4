"""The tray's "Copy diagnostics": the report goes on the clipboard, no default snippet's body."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QGuiApplication

from quickreply.app.diagnostics import gather_diagnostics
from quickreply.ui.tray import Tray


def test_copy_diagnostics_menu_item_and_report_without_snippet_text(
    controller, quickreply_home: Path, qtbot
) -> None:
    greeting = controller.store.find("qr-default-zh/greeting-welcome")
    assert greeting is not None
    logs = quickreply_home / "logs"
    logs.mkdir(exist_ok=True)
    (logs / "app.log").write_text(f"INFO started\nERROR oops {greeting.body}\n", encoding="utf-8")
    tray = Tray(controller)
    (item,) = [a for a in tray.menu.actions() if a.text() == "Copy diagnostics"]
    with qtbot.waitSignal(tray.diagnostics_requested):
        item.trigger()
    controller.copy_text(gather_diagnostics())
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith("# QuickReply diagnostics") and "INFO started" in copied
    assert "欢迎光临" not in copied and greeting.body not in copied
