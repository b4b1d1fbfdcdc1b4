"""Typed abbreviations, end to end: xdotool types into a real target window of another process,
the real app (X RECORD) replaces the abbreviation; BackSpace right after takes it back; nothing
typed is written to the data dir."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time
from pathlib import Path

import pytest

from tests.e2e.app_process import AppProcess
from tests.e2e.conftest import xdotool

pytestmark = pytest.mark.e2e

BODY = "亲，您好！欢迎光临本店～"


def seed(app: AppProcess, end_key: str = "space") -> None:
    app.cli("add", "--title", "欢迎", "--body", BODY, "--abbrev", ";hy")
    app.cli("settings", "set", "abbreviations", "on")
    app.cli("settings", "set", "abbreviation_end_key", end_key)


def type_slowly(text: str) -> None:
    xdotool("type", "--delay", "40", text)


def test_abbreviation_and_space_are_replaced_exactly_and_backspace_undoes_it(app, target_window):
    seed(app)
    app.start()
    target_window.focus()
    type_slowly("ok ;hy ")
    target_window.wait_for_text("ok " + BODY)
    time.sleep(0.4)  # a second expansion or a stray key would show now
    assert target_window.text() == "ok " + BODY
    xdotool("key", "BackSpace")
    target_window.wait_for_text("ok ;hy ")
    time.sleep(0.4)
    assert target_window.text() == "ok ;hy "
    app.stop()  # the usage writer flushes
    with contextlib.closing(sqlite3.connect(app.home / "usage.sqlite3")) as db:
        rows = db.execute("SELECT trigger, keys_typed, undone FROM events").fetchall()
    assert rows == [("abbreviation", 4, 1)]  # written once, marked undone
    stats = json.loads(app.cli("stats", "--format", "json"))
    assert (stats["uses"], stats["abbreviations"]) == (0, {"expanded": 0, "undone": 1})


def test_no_expansion_inside_a_word_or_after_the_undo_window(app, target_window):
    seed(app)
    app.start()
    target_window.focus()
    type_slowly("x ;hy ")
    target_window.wait_for_text("x " + BODY)
    time.sleep(3.3)  # past the undo window: BackSpace is just a BackSpace
    xdotool("key", "BackSpace")
    target_window.wait_for_text("x " + BODY[:-1])
    target_window.clear()
    type_slowly("x;hy ")  # inside a longer word
    time.sleep(0.5)
    assert target_window.text() == "x;hy "


def test_end_key_none_expands_at_once(app, target_window):
    seed(app, "none")
    app.start()
    target_window.focus()
    type_slowly(";hy")
    target_window.wait_for_text(BODY)
    time.sleep(0.4)
    assert target_window.text() == BODY


def test_typed_text_is_never_written_to_the_data_dir(app, target_window, quickreply_home: Path):
    seed(app)
    app.start()
    target_window.focus()
    sentence = "zheshiyijumimi secretphrase42 ;hy "
    type_slowly(sentence)
    target_window.wait_for_text("zheshiyijumimi secretphrase42 " + BODY)
    time.sleep(3.5)  # the usage event is written once the undo window has passed
    assert app.stop() == 0
    for path in quickreply_home.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for word in (b"zheshiyijumimi", b"secretphrase42"):
                assert word not in data, f"{word!r} found in {path}"
