"""Image snippets through the one insertion path, on Qt's offscreen clipboard (the real X11 paste
is tested end to end in tests/e2e/test_image_insertion.py)."""

from __future__ import annotations

import hashlib
from dataclasses import replace

import pytest
from PySide6.QtCore import QByteArray, QMimeData
from PySide6.QtGui import QGuiApplication

from quickreply.core.library.settings import load_settings, save_settings
from quickreply.platform.clipboard import Clipboard
from quickreply.platform.clipboard_image import ClipboardImage, rich_copy
from quickreply.platform.inject import Injector, InsertRequest, Outcome
from tests.image_samples import add_asset, make_png
from tests.ui.fakes import RecordingKeys

RED, BLUE = make_png(40, 30, seed=1), make_png(20, 50, seed=2)


class PastingTarget(RecordingKeys):
    """A target that pastes what the clipboard holds on each paste combo: ("image", sha) or
    ("text", text), the image first when an item holds both."""

    def __init__(self) -> None:
        super().__init__(reads_paste=False)
        self.received: list[tuple[str, str]] = []

    def send_combo(self, hotkey) -> None:
        super().send_combo(hotkey)
        if str(hotkey) != "ctrl+v":
            return
        data = QGuiApplication.clipboard().mimeData()
        if data.hasFormat("image/png"):
            self.received.append(("image", _sha(bytes(data.data("image/png").data()))))
        if data.hasHtml() and "<img" in data.html():
            self.received.append(("html-images", str(data.html().count("<img"))))
        if data.hasText():
            self.received.append(("text", data.text()))


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def injector(qapp):
    injector = Injector(PastingTarget(), Clipboard(), restore_timeout_ms=50)
    yield injector
    injector.flush()


@pytest.fixture
def images(tmp_path):
    red, blue = tmp_path / "red.png", tmp_path / "blue.png"
    red.write_bytes(RED)
    blue.write_bytes(BLUE)
    return red, blue


def test_images_then_text_each_pasted_once_read_then_clipboard_restored(injector, images):
    QGuiApplication.clipboard().setText("agent's text")
    outcome = injector.insert(InsertRequest("尺码表如下", images=images, auto_send=True))
    assert outcome.happened and outcome.images == 2
    assert injector.keys.received == [
        ("image", _sha(RED)),
        ("image", _sha(BLUE)),
        ("text", "尺码表如下"),
    ]
    sent = [k for k in injector.keys.sent if k != "release-modifiers"]
    assert sent == ["ctrl+v", "ctrl+v", "ctrl+v", "enter"]  # Enter once, after the last part
    assert QGuiApplication.clipboard().text() == "agent's text"


def test_text_first_order_pastes_the_text_before_the_images(injector, images):
    injector.insert(InsertRequest("亲，看图", images=images[:1], image_order="text_first"))
    assert injector.keys.received == [("text", "亲，看图"), ("image", _sha(RED))]


def test_cursor_keys_only_when_the_text_went_in_last(injector, images):
    injector.insert(InsertRequest("ab", caret_left=1, images=images[:1]))
    assert "left" in injector.keys.sent
    injector.keys.sent.clear()
    injector.insert(InsertRequest("ab", caret_left=1, images=images[:1], image_order="text_first"))
    assert "left" not in injector.keys.sent


def test_combined_mode_is_one_paste_of_html_with_the_images_the_image_and_the_text(
    injector, images
):
    outcome = injector.insert(InsertRequest("退货地址", images=images, combine_images=True))
    assert outcome.happened and outcome.images == 2
    assert injector.keys.received == [
        ("image", _sha(RED)),
        ("html-images", "2"),
        ("text", "退货地址"),
    ]


def test_an_unreadable_image_is_left_out_and_the_text_still_goes_in(injector, tmp_path, images):
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not a picture")
    outcome = injector.insert(InsertRequest("文字", images=(broken, images[0])))
    assert outcome.happened and outcome.images == 1
    assert injector.keys.received == [("image", _sha(RED)), ("text", "文字")]
    assert outcome.problems and "broken.png" in outcome.problems[0]


def test_an_image_nobody_reads_stops_the_insertion_without_enter(qapp, images):
    injector = Injector(RecordingKeys(reads_paste=False), Clipboard(), restore_timeout_ms=30)
    QGuiApplication.clipboard().setText("agent's text")
    outcome = injector.insert(InsertRequest("文字", images=images, auto_send=True))
    assert outcome.outcome is Outcome.NOT_READ
    assert [k for k in injector.keys.sent if k != "release-modifiers"] == ["ctrl+v"]
    injector.flush()
    assert QGuiApplication.clipboard().text() == "agent's text"


@pytest.mark.parametrize(
    "formats",
    [
        {"image/png": RED},
        {"text/html": "<b>加粗</b> 的 <i>HTML</i>".encode(), "text/plain": "加粗 的 HTML".encode()},
        {"image/png": BLUE, "text/plain": b"caption", "application/x-custom": b"\x00\x01\x02"},
    ],
    ids=["image", "html", "several-formats"],
)
def test_the_agents_image_html_or_several_formats_come_back_byte_identical(
    injector, images, formats
):
    before = QMimeData()
    for fmt, data in formats.items():
        before.setData(fmt, QByteArray(data))
    QGuiApplication.clipboard().setMimeData(before)
    assert injector.insert(InsertRequest("文字", images=images)).happened
    after = QGuiApplication.clipboard().mimeData()
    for fmt, data in formats.items():
        assert bytes(after.data(fmt).data()) == data, fmt


def test_rich_copy_holds_the_first_image_and_the_text(images):
    picture = ClipboardImage.load(images[0])
    data = rich_copy(picture, "尺码表")
    assert bytes(data.data("image/png").data()) == RED
    assert data.text() == "尺码表" and "<img" in data.html() and data.hasImage()


# -- through the controller ------------------------------------------------------------------


def image_snippet(controller, quickreply_home, refs, **changes):
    snippet = next(s for s in controller.snippets() if s.hotkey)
    changed = replace(snippet, images=tuple(refs), auto_send=False, **changes)
    controller.store.update(changed, allow_locked=True)
    return controller.find(snippet.id)


def test_controller_pastes_the_snippets_images_and_records_their_count(controller, quickreply_home):
    controller.injector.keys = PastingTarget()
    snippet = image_snippet(
        controller,
        quickreply_home,
        [add_asset(quickreply_home, RED), add_asset(quickreply_home, BLUE)],
    )
    controller.insert(snippet, "hotkey")
    kinds = [kind for kind, _ in controller.injector.keys.received]
    assert kinds == ["image", "image", "text"]
    [event] = controller.recorder.events
    assert event.images == 2 and event.snippet_id == snippet.id


def test_missing_asset_is_told_and_the_text_still_inserted(controller, quickreply_home, qtbot):
    controller.injector.keys = PastingTarget()
    ref = add_asset(quickreply_home, RED)
    snippet = image_snippet(controller, quickreply_home, [ref])
    (quickreply_home / "assets" / ref).unlink()  # gone since (a disk clean-up, a bad restore)
    with qtbot.waitSignal(controller.error) as told:
        controller.insert(snippet, "hotkey")
    assert "missing" in told.args[0]
    assert [kind for kind, _ in controller.injector.keys.received] == ["text"]
    assert controller.recorder.events[0].images == 0


def test_text_only_setting_leaves_images_out(controller, quickreply_home):
    save_settings(
        controller.store, replace(load_settings(controller.store), image_paste_mode="text_only")
    )
    controller.settings = load_settings(controller.store)
    controller.injector.keys = PastingTarget()
    snippet = image_snippet(controller, quickreply_home, [add_asset(quickreply_home, RED)])
    controller.insert(snippet, "hotkey")
    assert [kind for kind, _ in controller.injector.keys.received] == ["text"]


def test_type_mode_skips_images_and_tells_the_agent_once(controller, quickreply_home, qtbot):
    save_settings(controller.store, replace(load_settings(controller.store), insert_mode="type"))
    controller.settings = load_settings(controller.store)
    snippet = image_snippet(controller, quickreply_home, [add_asset(quickreply_home, RED)])
    told: list[str] = []
    controller.error.connect(told.append)
    controller.insert(snippet, "hotkey")
    controller.insert(snippet, "hotkey")
    assert len([m for m in told if "typed" in m]) == 1
    assert controller.recorder.events[-1].images == 0
    assert not any(k == "ctrl+v" for k in controller.injector.keys.sent)


def test_app_rule_image_paste_mode_overrides_the_setting(controller):
    settings = replace(
        controller.settings,
        app_rules=[{"name": "QQ", "process": ["qq"], "image_paste_mode": "combined"}],
    )
    assert settings.app_behaviour("qq").image_paste_mode == "combined"
    assert settings.app_behaviour("other").image_paste_mode == "separate"


def test_rules_editor_and_settings_dialog_keep_the_image_paste_mode(controller, qtbot):
    from quickreply.ui.settings_dialog import SettingsDialog

    rules = [{"name": "QQ", "process": ["qq"], "image_paste_mode": "text_only"}]
    save_settings(
        controller.store,
        replace(load_settings(controller.store), app_rules=rules, image_paste_mode="combined"),
    )
    dialog = SettingsDialog(controller, controller.store)
    qtbot.addWidget(dialog)
    assert dialog.app_rules.rules()[0]["image_paste_mode"] == "text_only"
    assert dialog.settings().image_paste_mode == "combined"
