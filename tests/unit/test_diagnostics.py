"""Diagnostics: version, platform, doctor lines and log lines, never a snippet's text."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from quickreply import __version__
from quickreply.app import log_file
from quickreply.app.diagnostics import REDACTED, diagnostics_report

BODY = "{{customer}}您好，退货地址是杭州市西湖区文三路88号\n收件人：售后部"


def test_report_has_version_platform_doctor_and_log() -> None:
    report = diagnostics_report(["[  ok] data dir: /tmp/x"], ["12:00 INFO hotkey registered"], [])
    assert f"QuickReply {__version__}" in report
    assert "platform " in report and "python " in report
    assert "[  ok] data dir: /tmp/x" in report
    assert "12:00 INFO hotkey registered" in report


@pytest.mark.parametrize(
    "leak",
    [
        BODY,  # the raw body
        "退货地址是杭州市西湖区文三路88号",  # a fragment between placeholders, as filled in
        "收件人：售后部",  # one line of it
        "亲您好，退货地址是杭州市西湖区文三路88号",  # rendered with {{customer}} = 亲
    ],
)
def test_a_log_line_holding_snippet_text_is_removed(leak: str) -> None:
    log = ["INFO inserted s-1 queued_ms=3.1", f"ERROR paste failed for {leak!r}"]
    report = diagnostics_report([], log, ["退货地址", BODY])
    assert "文三路" not in report and "售后部" not in report
    assert REDACTED in report and "INFO inserted s-1 queued_ms=3.1" in report


def test_app_log_is_size_capped(quickreply_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(log_file, "MAX_BYTES", 2_000)
    path = log_file.install_app_log()
    root = logging.getLogger()
    try:
        for n in range(500):
            logging.getLogger("quickreply.test").info("line %d of a long day", n)
    finally:
        for handler in [h for h in root.handlers if getattr(h, "baseFilename", "") == str(path)]:
            root.removeHandler(handler)
            handler.close()
    files = sorted(path.parent.glob("app.log*"))
    assert len(files) == log_file.BACKUPS + 1
    assert all(f.stat().st_size <= 2_100 for f in files)
    assert log_file.last_log_lines(5)[-1].endswith("line 499 of a long day")
