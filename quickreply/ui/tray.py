"""The tray icon and its menu: one submenu per category, then the app's own commands.

Menus do not take the X input focus, so the chat window stays focused while a menu is open; the
insertion is still deferred until the menu has closed and released its keyboard grab.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction, QCursor, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon, QWidget

from quickreply.app.controller import Controller
from quickreply.core.hotkey import parse_hotkey
from quickreply.core.i18n import tr
from quickreply.core.library.model import Category, Snippet
from quickreply.core.message_translation import translate_message
from quickreply.platform.window import WindowInfo
from quickreply.ui.auto_send_mark import auto_send_icon, tooltip_for
from quickreply.ui.icons import app_icon

_MNEMONICS = "123456789abcdefghijklmnopqrstuvwxyz"


def item_text(index: int, title: str, hotkey: str | None) -> str:
    """Menu text: a keyboard mnemonic (1-9, then a-z), the title, and the hotkey at the right."""
    prefix = f"&{_MNEMONICS[index]}  " if index < len(_MNEMONICS) else "    "
    shortcut = f"\t{parse_hotkey(hotkey).display()}" if hotkey else ""
    return f"{prefix}{title.replace('&', '&&')}{shortcut}"


class SnippetMenus(QObject):
    """Builds category menus whose items insert into the window focused when the menu opened."""

    chosen = Signal(object, object)  # Snippet, WindowInfo | None

    def __init__(self, controller: Controller) -> None:
        super().__init__()
        self.controller = controller
        self._target: WindowInfo | None = None

    def remember_target(self) -> None:
        """Note the window to insert into (called when a menu is about to show): the last other
        program's window, since a tray click focuses the taskbar (Windows) or one of ours."""
        self._target = self.controller.menu_target()

    def fill_category(self, menu: QMenu, category: Category, snippets: list[Snippet]) -> None:
        """Add one action per snippet of `category` to `menu`."""
        for index, snippet in enumerate(snippets):
            action = QAction(item_text(index, snippet.title, snippet.hotkey), menu)
            action.setToolTip(tooltip_for(snippet, snippet.body[:200]))
            if snippet.auto_send:
                action.setIcon(auto_send_icon())
            picture = self.controller.image_path(snippet.images[0]) if snippet.images else None
            if picture is not None and picture.is_file():
                # a picture says more (the tooltip still tells auto-send); decoded when shown
                action.setIcon(QIcon(str(picture)))
            action.triggered.connect(lambda _=False, s=snippet: self._choose(s))
            menu.addAction(action)
        if not snippets:
            menu.addAction(tr("(empty)")).setEnabled(False)
        menu.setToolTipsVisible(True)

    def _choose(self, snippet: Snippet) -> None:
        target = self._target
        # after the menu has closed and released its grab, so the paste reaches the chat window
        QTimer.singleShot(0, lambda: self.chosen.emit(snippet, target))

    def category_popup(self, category_id: str) -> QMenu | None:
        """Return a standalone menu for one category (its hotkey pops it at the mouse)."""
        try:
            category = self.controller.category(category_id)
        except Exception:  # noqa: BLE001 - a category removed meanwhile simply shows nothing
            return None
        menu = QMenu()
        menu.setTitle(category.name)
        self.fill_category(
            menu,
            category,
            [s for s in self.controller.snippets() if s.category == category.id],
        )
        return menu


class Tray(QObject):
    """The system-tray icon with its menu."""

    search_requested = Signal()
    manager_requested = Signal()
    stats_requested = Signal()
    install_pack_requested = Signal()
    team_report_requested = Signal()
    settings_requested = Signal()
    welcome_requested = Signal()
    diagnostics_requested = Signal()
    quit_requested = Signal()

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.menus = SnippetMenus(controller)
        self.menus.chosen.connect(lambda s, t: controller.insert(s, "tray", target=t))
        self.icon = QSystemTrayIcon(app_icon(), self)
        self.icon.setToolTip("QuickReply")
        self.menu = QMenu()
        self.menu.aboutToShow.connect(self.menus.remember_target)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._on_activated)
        self._popup: QMenu | None = None
        self.notices: list[
            str
        ] = []  # start-up problems (no tray, backend limits), shown in the menu
        self.pause_action = QAction(tr("Pause hotkeys"), self)
        self.pause_action.setCheckable(True)
        self.pause_action.toggled.connect(controller.set_paused)
        controller.paused_changed.connect(self._on_paused)
        controller.library_changed.connect(lambda _change: self.rebuild())
        controller.category_menu_requested.connect(self.popup_category)
        controller.inserted.connect(self._show_rule)
        controller.hotkeys_changed.connect(lambda _status: self.rebuild())
        self.rebuild()

    def rebuild(self) -> None:
        """Recreate the menu from the library (called after every library change)."""
        self.menu.clear()
        self._add_problems()
        snippets = self.controller.snippets()
        pack_names = self.controller.pack_names()
        categories = self.controller.categories()
        known = {c.id for c in categories}
        group: str | None = "<start>"
        orphans = [s for s in snippets if s.category not in known]
        if orphans:  # no category, or one a pack has since dropped: still reachable here
            group = None
            self.menu.addSection(tr("My snippets"))
            uncategorized = Category(id="", name=tr("Uncategorized"))
            sub = self.menu.addMenu(uncategorized.name)
            self.menus.fill_category(sub, uncategorized, orphans)
        hidden = self.controller.hidden_packs()
        for category in categories:
            if category.pack_id in hidden:
                continue
            if category.pack_id != group:
                group = category.pack_id
                name = pack_names.get(group or "") if group else tr("My snippets")
                self.menu.addSection(str(name or group))
            hotkey = f"\t{parse_hotkey(category.hotkey).display()}" if category.hotkey else ""
            sub = self.menu.addMenu(category.name.replace("&", "&&") + hotkey)
            self.menus.fill_category(
                sub, category, [s for s in snippets if s.category == category.id]
            )
        self.menu.addSeparator()
        self._add(
            tr("Search..."), self.search_requested.emit, self.controller.settings.palette_hotkey
        )
        self._add(tr("Manage snippets..."), self.manager_requested.emit)
        self._add(tr("Statistics..."), self.stats_requested.emit)
        packs = self.menu.addMenu(tr("Snippet packs"))
        packs.addAction(tr("Install or subscribe...")).triggered.connect(
            lambda _=False: self.install_pack_requested.emit()
        )
        packs.addAction(tr("Team report...")).triggered.connect(
            lambda _=False: self.team_report_requested.emit()
        )
        self._add_pack_items(packs, pack_names, hidden)
        self.menu.addSeparator()
        self.menu.addAction(self.pause_action)
        self._add(tr("Settings..."), self.settings_requested.emit)
        self._add(tr("Welcome / help"), self.welcome_requested.emit)
        self._add(tr("Copy diagnostics"), self.diagnostics_requested.emit)
        self._add(tr("Quit"), self.quit_requested.emit)

    def _add_pack_items(self, packs: QMenu, names: dict[str, str], hidden: set[str]) -> None:
        """Per installed pack: show it in this menu or not, remove it; add missing default packs."""
        packs.addSeparator()
        for pack_id, name in names.items():
            sub = packs.addMenu(name.replace("&", "&&"))
            shown = sub.addAction(tr("Show in this menu"))
            shown.setCheckable(True)
            shown.setChecked(pack_id not in hidden)
            shown.toggled.connect(lambda on, p=pack_id: self.controller.set_pack_hidden(p, not on))
            sub.addAction(tr("Remove")).triggered.connect(
                lambda _=False, p=pack_id: self.controller.remove_pack(p)
            )
        for default in self.controller.missing_default_packs():
            text = (
                tr("Add the Chinese replies")
                if default.language == "zh-CN"
                else tr("Add the English replies")
            )
            packs.addAction(text).triggered.connect(
                lambda _=False, lang=default.language: self._later(
                    lambda: self.controller.add_default_pack(lang)
                )
            )

    @staticmethod
    def _later(action: Callable[[], None]) -> None:
        QTimer.singleShot(0, action)

    def problems(self) -> list[str]:
        """What does not work now: hotkeys another program holds, start-up notices."""
        return [translate_message(p) for p in [*self.controller.status.problems, *self.notices]]

    def _add_problems(self) -> None:
        """List the problems at the top of the menu until they are resolved."""
        problems = self.problems()
        if not problems:
            return
        self.menu.addSection(tr("Problems ({count})", count=len(problems)))
        for problem in problems:
            action = self.menu.addAction("⚠ " + problem.replace("&", "&&"))
            action.setToolTip(problem)
            action.setEnabled(False)

    def _add(self, text: str, slot: Callable[[], None], hotkey: str | None = None) -> None:
        shown = f"{text}\t{parse_hotkey(hotkey).display()}" if hotkey else text
        self.menu.addAction(shown).triggered.connect(lambda _=False: slot())

    def show(self) -> None:
        """Show the tray icon."""
        self.icon.show()

    def notify(self, title: str, message: str) -> None:
        """Show a tray balloon (library updates, hotkey problems)."""
        self.icon.showMessage(title, message, app_icon(), 6000)

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.menus.remember_target()
            self.menu.popup(QCursor.pos())

    def _on_paused(self, paused: bool) -> None:
        self.icon.setIcon(app_icon(paused))
        self.icon.setToolTip("QuickReply" + (f" ({tr('paused')})" if paused else ""))
        self.pause_action.setChecked(paused)

    def _show_rule(self, _snippet_id: str) -> None:
        """Keep the app rule of the last insertion in the tooltip (other lines stay)."""
        label = tr("App rule")
        lines = [ln for ln in self.icon.toolTip().splitlines() if not ln.startswith(f"{label}:")]
        last = self.controller.last_insertion
        rule = (last.rule if last else None) or tr("none (default keys)")
        self.icon.setToolTip("\n".join([*lines, f"{label}: {rule}"]))

    def popup_category(self, category_id: str) -> None:
        """Pop one category's menu at the mouse cursor, ready for the keyboard (1-9, letters)."""
        self.menus.remember_target()
        menu = self.menus.category_popup(category_id)
        if menu is None:
            return
        self._popup = menu  # keep it alive while shown
        menu.popup(QCursor.pos())
        self.controller.activate_own_window(int(menu.winId()))
        if menu.actions():
            menu.setActiveAction(menu.actions()[0])
