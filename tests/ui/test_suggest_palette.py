"""The palette's suggest mode (offscreen): the buyer's message, suggestions with matched words,
Enter and digits insert with trigger `suggest` and the rank, pasting a sentence switches mode, and
the suggest hotkey reads the message without keeping it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from quickreply.app.suggestions import Suggestions
from quickreply.core.search.index import SearchIndex
from quickreply.platform.selection import SelectionReader
from quickreply.ui.palette import Palette
from quickreply.ui.suggest_mode import HTML_ROLE
from tests.ui.fakes import RecordingKeys

MESSAGE = "我的快递三天了还没到，怎么回事"


@pytest.fixture
def suggestions(controller, qtbot):
    holder = Suggestions(controller.store)
    with qtbot.waitSignal(holder.ready, timeout=10_000):
        holder.rebuild()  # on the worker thread, as in the app
    return holder


@pytest.fixture
def palette(controller, suggestions, qtbot):
    widget = Palette(controller, SearchIndex.from_store(controller.store), suggestions)
    qtbot.addWidget(widget)
    return widget


def item_html(palette: Palette, row: int) -> str:
    return palette.results.item(row).data(HTML_ROLE)


def test_suggest_mode_lists_replies_for_the_message_with_matched_words(palette, qtbot):
    palette.open_suggest(MESSAGE)
    qtbot.waitUntil(palette.isVisible)
    assert palette.suggest_mode.active
    first = palette.hits()[0].snippet
    assert first.category == "qr-default-zh/logistics"
    assert palette.results.currentRow() == 0
    assert "快递" in palette.suggest_mode.label.text()
    assert "background-color" in palette.suggest_mode.label.text()  # matched words marked
    assert "<span" in item_html(palette, 0) and "快递" in item_html(palette, 0)
    assert item_html(palette, 0).startswith("1&nbsp;")
    assert palette.preview.toPlainText()  # the reply is previewed as in search mode
    assert not palette.grab().isNull()  # the rows paint (rich text through the delegate)


def test_enter_inserts_with_trigger_suggest_and_rank(palette, controller, qtbot):
    palette.open_suggest(MESSAGE)
    qtbot.keyClick(palette.search, Qt.Key.Key_Down)
    second = palette.hits()[1].snippet.id
    with qtbot.waitSignal(controller.inserted, timeout=3000) as inserted:
        qtbot.keyClick(palette.search, Qt.Key.Key_Return)
    assert inserted.args == [second]
    event = controller.recorder.events[-1]
    assert (event.trigger, event.rank) == ("suggest", 2)
    assert MESSAGE not in repr(event.to_dict())
    assert palette.suggest_mode.message == ""  # forgotten once the palette closed


def test_digit_picks_a_suggestion(palette, controller, qtbot):
    palette.open_suggest(MESSAGE)
    # the first suggestion after the top one that needs no values
    rank = next(
        n
        for n, hit in enumerate(palette.hits(), start=1)
        if n > 1 and not controller.missing_fields(hit.snippet)
    )
    with qtbot.waitSignal(controller.inserted, timeout=3000):
        qtbot.keyClick(palette.search, getattr(Qt.Key, f"Key_{rank}"))
    assert controller.recorder.events[-1].rank == rank


def test_typing_leaves_suggest_mode(palette, controller, qtbot):
    palette.open_suggest(MESSAGE)
    qtbot.keyClicks(palette.search, "qrdz")
    assert not palette.suggest_mode.active
    assert not palette.suggest_mode.label.isVisible()
    with qtbot.waitSignal(controller.inserted, timeout=3000):
        qtbot.keyClick(palette.search, Qt.Key.Key_Return)
    assert (controller.recorder.events[-1].trigger, controller.recorder.events[-1].rank) == (
        "palette",
        None,
    )


def test_pasting_a_sentence_switches_to_suggest_mode_but_a_word_is_pasted(palette, qtbot):
    palette.open()
    QGuiApplication.clipboard().setText("ZT12345")
    qtbot.keyClick(palette.search, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert palette.search.text() == "ZT12345" and not palette.suggest_mode.active
    palette.search.clear()
    QGuiApplication.clipboard().setText("退货的运费谁出？我不想自己出")
    qtbot.keyClick(palette.search, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert palette.suggest_mode.active and palette.search.text() == ""
    assert palette.hits()[0].snippet.id == "qr-default-zh/returns-shipping-fee"


def test_no_message_opens_the_palette_with_a_hint(palette, qtbot):
    palette.open_suggest("")
    assert palette.isVisible() and not palette.suggest_mode.active
    assert "select" in palette.suggest_mode.label.text()
    assert palette.suggest_mode.label.isVisible()
    assert len(palette.hits()) > 0  # searching works as usual


def test_suggest_hotkey_reads_recent_clipboard_text_when_there_is_no_selection(controller, qtbot):
    assert controller.wanted_hotkeys()["ctrl+shift+space"].kind == "suggest"
    controller.register_hotkeys()
    QGuiApplication.clipboard().setText(MESSAGE)  # another program copied it just now
    with qtbot.waitSignal(controller.suggest_requested) as requested:
        controller.hotkeys.backend.registered["ctrl+shift+space"]()
    assert requested.args == [MESSAGE]


def test_windows_copy_path_reads_the_selection_and_restores_the_clipboard(controller, qapp):
    board = QGuiApplication.clipboard()
    board.setText("the agent's own clipboard")

    class CopyingKeys(RecordingKeys):
        def send_combo(self, hotkey) -> None:  # the target answers Ctrl+C with its selection
            super().send_combo(hotkey)
            board.setText("买家：衣服有个洞")

    keys = CopyingKeys()
    message = SelectionReader(controller.injector.clipboard, keys, platform="win32").read()
    assert (message.text, message.source) == ("买家：衣服有个洞", "copy")
    assert keys.sent == ["release-modifiers", "ctrl+c"]
    assert board.text() == "the agent's own clipboard"


def test_a_suggestion_with_values_asks_in_the_form_then_records_its_rank(
    palette, controller, qtbot
):
    from PySide6.QtWidgets import QLineEdit

    palette.open_suggest("物流单号发我一下")
    assert palette.hits()[0].snippet.id == "qr-default-zh/logistics-tracking"
    qtbot.keyClick(palette.search, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert palette.form_box.isVisible()
    editor = palette.findChild(QLineEdit, "field:tracking")
    qtbot.waitUntil(editor.hasFocus)
    qtbot.keyClicks(editor, "SF1234")
    with qtbot.waitSignal(controller.inserted, timeout=3000):
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    event = controller.recorder.events[-1]
    assert (event.trigger, event.rank) == ("suggest", 1)
    assert "enter" in controller.injector.keys.sent  # Shift+Enter: inserted and sent


def test_the_index_is_built_on_the_first_request_and_the_palette_then_fills(controller, qtbot):
    holder = Suggestions(controller.store)
    controller.store.ensure_category("never-asked")  # a library change before any request
    qtbot.wait(400)  # longer than the rebuild delay
    assert holder.index is None  # not built for an agent who never asks
    widget = Palette(controller, SearchIndex.from_store(controller.store), holder)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(holder.ready, timeout=10_000):
        widget.open_suggest(MESSAGE)
        assert widget.results.count() == 0  # "Preparing suggestions…" while it builds
    assert holder.index is not None
    assert widget.results.count() > 0
