"""The tray menu's structure and what its items do (offscreen)."""

from __future__ import annotations

from PySide6.QtWidgets import QMenu

from quickreply.core.library.model import Snippet
from quickreply.ui.tray import Tray, item_text


def texts(menu: QMenu) -> list[str]:
    return [a.text() for a in menu.actions() if not a.isSeparator() or a.text()]


def test_menu_has_a_section_per_pack_and_a_submenu_per_category(controller):
    tray = Tray(controller)
    actions = tray.menu.actions()
    sections = [a.text() for a in actions if a.isSeparator() and a.text()]
    assert sections == ["默认话术（中文）", "Default replies (English)"]
    submenus = [a.menu() for a in actions if a.menu()]
    titles = [m.title() for m in submenus]
    assert titles[0] == "问候/欢迎\tAlt+Shift+1"
    assert "催付\tAlt+Shift+6" in titles
    assert len(submenus) == 27  # 13 + 13 categories, then "Snippet packs"
    greetings = texts(submenus[0])
    assert greetings[0] == "&1  欢迎语\tShift+F1"
    assert greetings[1].startswith("&2  ")


def test_menu_ends_with_the_app_commands(controller):
    tray = Tray(controller)
    tail = [a.text() for a in tray.menu.actions() if not a.menu() and not a.isSeparator()]
    assert tail == [
        "Search...\tCtrl+Alt+Space",
        "Manage snippets...",
        "Statistics...",
        "Pause hotkeys",
        "Settings...",
        "Welcome / help",
        "Copy diagnostics",
        "Quit",
    ]


def test_personal_snippets_come_first_under_my_snippets(controller):
    cat = controller.store.new_category("我的")
    controller.store.add(Snippet(id="s-mine", title="自己的", body="我的话术", category=cat.id))
    tray = Tray(controller)
    sections = [a.text() for a in tray.menu.actions() if a.isSeparator() and a.text()]
    assert sections[0] == "My snippets"
    first = next(a.menu() for a in tray.menu.actions() if a.menu())
    assert first.title() == "我的"
    assert texts(first) == ["&1  自己的"]


def test_menu_rebuilds_when_the_library_changes(controller):
    tray = Tray(controller)
    before = len([a for a in tray.menu.actions() if a.menu()])
    controller.store.new_category("新分类")
    after = len([a for a in tray.menu.actions() if a.menu()])
    assert after == before + 1


def test_clicking_an_item_inserts_through_the_controller(controller, qtbot):
    tray = Tray(controller)
    first = next(a.menu() for a in tray.menu.actions() if a.menu())
    with qtbot.waitSignal(controller.inserted, timeout=3000) as blocker:
        first.actions()[0].trigger()
    assert blocker.args == ["qr-default-zh/greeting-welcome"]
    keys = controller.injector.keys.sent
    assert keys[0] == "release-modifiers"  # the trigger's modifiers go first
    assert [k for k in keys if k != "release-modifiers"][:1] == ["ctrl+v"]
    event = controller.recorder.events[-1]
    assert (event.snippet_id, event.trigger, event.chars) == (
        "qr-default-zh/greeting-welcome",
        "tray",
        len(controller.render_text(controller.store.get(event.snippet_id))),
    )


def test_pause_toggles_icon_state_and_menu_check(controller):
    tray = Tray(controller)
    tray.pause_action.setChecked(True)
    assert controller.paused
    controller.set_paused(False)
    assert not tray.pause_action.isChecked()


def test_category_popup_is_keyboard_navigable(controller):
    tray = Tray(controller)
    menu = tray.menus.category_popup("qr-default-zh/chase-payment")
    labels = texts(menu)
    assert (
        labels[0].startswith("&1  ") and labels[8].startswith("&9  ")
        if len(labels) > 8
        else labels[-1].startswith(f"&{len(labels)}  ")
    )
    assert menu.title() == "催付"


def test_item_text_escapes_ampersands_and_numbers_past_nine():
    assert item_text(0, "A&B", None) == "&1  A&&B"
    assert item_text(9, "ten", "ctrl+shift+f2") == "&a  ten\tCtrl+Shift+F2"


def test_snippets_without_a_category_are_under_uncategorized(controller):
    controller.store.add(Snippet(id="s-loose", title="无分类", body="x"))
    tray = Tray(controller)
    sections = [a.text() for a in tray.menu.actions() if a.isSeparator() and a.text()]
    assert sections[0] == "My snippets"
    first = next(a.menu() for a in tray.menu.actions() if a.menu())
    assert first.title() == "Uncategorized"
    assert texts(first) == ["&1  无分类"]


def test_a_taken_hotkey_is_told_once_and_listed_in_the_menu_until_resolved(controller, qtbot):
    from tests.ui.fakes import TAKEN

    tray = Tray(controller)
    snippet = controller.store.add(Snippet(id="s-t", title="被占用", body="x"))
    with qtbot.waitSignal(controller.error) as told:
        controller.store.update(snippet.edited(hotkey=TAKEN))
    assert "Some hotkeys do not work" in told.args[0] and "被占用" in told.args[0]
    problems = [a.text() for a in tray.menu.actions() if a.text().startswith("⚠")]
    assert len(problems) == 1 and "被占用" in problems[0]
    assert tray.menu.actions()[0].text() == "Problems (1)"
    with qtbot.assertNotEmitted(controller.error):
        controller.register_hotkeys()  # still taken: listed, not told again
    controller.store.update(controller.store.get("s-t").edited(hotkey="ctrl+alt+8"))
    assert not [a for a in tray.menu.actions() if a.text().startswith("⚠")]


def test_start_up_notices_are_listed_in_the_menu(controller):
    tray = Tray(controller)
    tray.notices.append("Global hotkeys are off: no X display")
    tray.rebuild()
    assert "⚠ Global hotkeys are off: no X display" in [a.text() for a in tray.menu.actions()]


def pack_menu(tray: Tray) -> QMenu:
    return next(a.menu() for a in tray.menu.actions() if a.menu() and a.text() == "Snippet packs")


def test_a_pack_can_be_hidden_from_the_menu_and_its_hotkeys_are_released(controller, qtbot):
    tray = Tray(controller)
    controller.register_hotkeys()
    assert "shift+f1" in controller.status.active
    english = next(
        a.menu() for a in pack_menu(tray).actions() if a.text() == "Default replies (English)"
    )
    show = next(a for a in english.actions() if a.text() == "Show in this menu")
    assert show.isChecked()
    show.setChecked(False)
    qtbot.waitUntil(lambda: "qr-default-en" in controller.hidden_packs())
    sections = [a.text() for a in tray.menu.actions() if a.isSeparator() and a.text()]
    assert sections == ["默认话术（中文）"]
    chinese = next(a.menu() for a in pack_menu(tray).actions() if a.text() == "默认话术（中文）")
    next(a for a in chinese.actions() if a.text() == "Show in this menu").setChecked(False)
    qtbot.waitUntil(lambda: "shift+f1" not in controller.status.active)  # hidden binds nothing


def test_a_removed_default_pack_can_be_added_again_from_the_menu(controller, qtbot):
    tray = Tray(controller)
    english = next(
        a.menu() for a in pack_menu(tray).actions() if a.text() == "Default replies (English)"
    )
    next(a for a in english.actions() if a.text() == "Remove").trigger()
    qtbot.waitUntil(lambda: "qr-default-en" not in controller.pack_names())
    add = next(a for a in pack_menu(tray).actions() if a.text() == "Add the English replies")
    add.trigger()
    qtbot.waitUntil(lambda: "qr-default-en" in controller.pack_names())
