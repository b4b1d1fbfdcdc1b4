"""Images in the snippet editor (offscreen): file picker, Ctrl+V paste, dropped files, thumbnails,
reorder, remove and the order choice, saved as asset references."""

from __future__ import annotations

import hashlib
from dataclasses import replace

import pytest
from PySide6.QtCore import QByteArray, QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QGuiApplication
from PySide6.QtWidgets import QFileDialog

from quickreply.core.search.index import SearchIndex
from quickreply.ui.manager import ManagerWindow
from tests.image_samples import make_png
from tests.ui.test_manager import select_snippet

RED, BLUE, GREEN = (make_png(40, 30, seed=n) for n in (1, 2, 3))
SNIPPET = "qr-default-zh/chase-payment-address"


def ref_of(png: bytes) -> str:
    return f"{hashlib.sha256(png).hexdigest()}.png"


@pytest.fixture
def editor(controller, qtbot):
    window = ManagerWindow(controller, controller.store, SearchIndex.from_store(controller.store))
    qtbot.addWidget(window)
    window.show()
    select_snippet(window, SNIPPET)
    return window.editor


@pytest.fixture
def files(tmp_path):
    paths = []
    for name, png in (("red.png", RED), ("blue.png", BLUE), ("green.png", GREEN)):
        (tmp_path / name).write_bytes(png)
        paths.append(tmp_path / name)
    return paths


def test_images_picked_from_files_are_saved_in_order_as_assets(
    editor, controller, files, monkeypatch, qtbot, quickreply_home
):
    monkeypatch.setattr(
        QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(files[0]), str(files[1])], "")
    )
    qtbot.mouseClick(editor.image_strip.add_button, Qt.MouseButton.LeftButton)
    strip = editor.image_strip
    assert strip.images() == (ref_of(RED), ref_of(BLUE))
    assert not strip.list.item(0).icon().isNull()  # a thumbnail
    assert editor.save_button.isEnabled()
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    saved = controller.store.get(SNIPPET)
    assert saved.images == (ref_of(RED), ref_of(BLUE))
    assert (quickreply_home / "assets" / ref_of(RED)).read_bytes() == RED


def test_ctrl_v_in_the_strip_pastes_the_clipboards_picture(editor, qtbot):
    data = QMimeData()
    data.setData("image/png", QByteArray(GREEN))
    QGuiApplication.clipboard().setMimeData(data)
    editor.image_strip.list.setFocus()
    qtbot.keyClick(editor.image_strip.list, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert editor.image_strip.images() == (ref_of(GREEN),)


def test_dropped_files_are_added(editor, files):
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(files[2]))])
    event = QDropEvent(
        QPointF(5, 5),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    editor.image_strip.list.dropEvent(event)
    assert editor.image_strip.images() == (ref_of(GREEN),)


def test_reorder_remove_and_order_choice_are_saved(editor, controller, files, qtbot):
    strip = editor.image_strip
    strip.add_files(files)
    strip.list.setCurrentRow(2)
    qtbot.mouseClick(strip.left_button, Qt.MouseButton.LeftButton)
    assert strip.images() == (ref_of(RED), ref_of(GREEN), ref_of(BLUE))
    strip.list.setCurrentRow(0)
    qtbot.mouseClick(strip.remove_button, Qt.MouseButton.LeftButton)
    strip.order_combo.setCurrentIndex(strip.order_combo.findData("text_first"))
    assert editor.save()
    saved = controller.store.get(SNIPPET)
    assert saved.images == (ref_of(GREEN), ref_of(BLUE))
    assert saved.image_order == "text_first"
    editor.load(saved)
    assert strip.images() == saved.images and strip.order() == "text_first"


def test_a_file_that_is_not_a_picture_is_refused_with_a_clear_message(editor, tmp_path):
    text_file = tmp_path / "notes.txt"
    text_file.write_text("not a picture", encoding="utf-8")
    editor.image_strip.add_files([text_file])
    assert editor.image_strip.images() == ()
    assert "notes.txt" in editor.problems_label.text()


def test_pasting_without_a_picture_says_so(editor):
    QGuiApplication.clipboard().setText("just text")
    editor.image_strip.paste()
    assert editor.image_strip.images() == ()
    assert "no picture" in editor.problems_label.text()


def test_a_locked_pack_snippets_images_are_shown_but_cannot_change(editor, controller, files):
    strip = editor.image_strip
    ref = controller.add_image_file(files[0])
    locked = replace(controller.store.get(SNIPPET), images=(ref,), locked=True)
    editor.load(locked)
    assert strip.images() == (ref,)
    assert not strip.add_button.isEnabled() and not strip.order_combo.isEnabled()
    strip.list.setCurrentRow(0)
    assert not strip.remove_button.isEnabled()
    strip.add_files([files[1]])
    assert strip.images() == (ref,)
