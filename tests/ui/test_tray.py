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
