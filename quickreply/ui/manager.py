"""The snippet manager: categories by pack (the agent's own ones drag to reorder, rename and
delete), a searchable snippet list, the editor, undo for deletes, and pack install / export.

Everything goes through the store's API; the window follows library changes from anywhere (the
CLI, a pack update) through the controller's `library_changed`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDropEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QInputDialog,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QToolBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from quickreply.app.controller import Controller
from quickreply.app.search_index import Searcher
from quickreply.core.errors import QuickReplyError
from quickreply.core.i18n import tr
from quickreply.core.importers.plan import default_undo_path
from quickreply.core.library.model import Category, Snippet
from quickreply.core.library.store import LibraryStore
from quickreply.ui.auto_send_mark import auto_send_icon, auto_send_tooltip
from quickreply.ui.icons import app_icon
from quickreply.ui.import_dialog import ImportDialog
from quickreply.ui.pack_dialogs import InstallPackDialog, export_pack_from_selection
from quickreply.ui.problem_text import shown_error
from quickreply.ui.screen_fit import fit_to_screen
from quickreply.ui.snippet_editor import SnippetEditor, split_tags

ALL = "all"  # the tree's "All snippets" item
GROUP = "group"  # a pack (or "My snippets") heading
CATEGORY = "category"
_KIND = Qt.ItemDataRole.UserRole
_ID = Qt.ItemDataRole.UserRole + 1
SEARCH_LIMIT = 500
_ONLY = QItemSelectionModel.SelectionFlag.ClearAndSelect  # choosing one never adds to a selection
_PACK = "pack:"  # a selection_key for a heading


class CategoryTree(QTreeWidget):
    """Categories under their pack; the agent's own ones can be dragged, renamed and deleted."""

    reordered = Signal(list)  # personal category ids in their new order

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )

    def fill(self, categories: list[Category], packs: dict[str, str], selected: str | None) -> None:
        """Show `categories` grouped by pack (personal first) and reselect `selected`."""
        self.blockSignals(True)
        self.clear()
        everything = QTreeWidgetItem(self, [tr("All snippets")])
        everything.setData(0, _KIND, ALL)
        groups: dict[str | None, QTreeWidgetItem] = {}
        mine = QTreeWidgetItem(self, [tr("My snippets")])
        mine.setData(0, _KIND, GROUP)
        mine.setData(0, _ID, "")  # the agent's own snippets: no pack
        mine.setFlags(
            Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDropEnabled
        )
        groups[None] = mine
        current = everything
        if selected is not None and selected.startswith(_PACK):
            current = mine
        for category in categories:
            group = groups.get(category.pack_id)
            if group is None:
                name = packs.get(category.pack_id or "", category.pack_id or "")
                group = QTreeWidgetItem(self, [name])
                group.setData(0, _KIND, GROUP)
                group.setData(0, _ID, category.pack_id)
                group.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                groups[category.pack_id] = group
                if selected == _PACK + (category.pack_id or ""):
                    current = group
            item = QTreeWidgetItem(group, [category.name])
            item.setData(0, _KIND, CATEGORY)
            item.setData(0, _ID, category.id)
            flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            if category.pack_id is None:
                # the pack's own categories come back on its next update: only the agent's change
                flags |= Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsDragEnabled
            item.setFlags(flags)
            if category.id == selected:
                current = item
        self.expandAll()
        self.setCurrentItem(current)
        self.blockSignals(False)

    def selected_category(self) -> str | None:
        """The selected category's id, or None for "All snippets" or a heading."""
        item = self.currentItem()
        return item.data(0, _ID) if item is not None and item.data(0, _KIND) == CATEGORY else None

    def selected_pack(self) -> str | None:
        """The selected heading's pack id ("" for "My snippets"), or None for anything else."""
        item = self.currentItem()
        return item.data(0, _ID) if item is not None and item.data(0, _KIND) == GROUP else None

    def selection_key(self) -> str | None:
        """What to select again after a refill: a category id, or a heading."""
        pack = self.selected_pack()
        return _PACK + pack if pack is not None else self.selected_category()

    def personal_ids(self) -> list[str]:
        """The agent's own category ids in the order shown."""
        mine = self.topLevelItem(1)
        children = [mine.child(i) for i in range(mine.childCount())] if mine else []
        return [child.data(0, _ID) for child in children if child is not None]

    def move_category(self, category_id: str, position: int) -> None:
        """Ask for personal category `category_id` to be moved to `position` among them."""
        ids = self.personal_ids()
        if category_id not in ids:
            return
        ids.remove(category_id)
        ids.insert(max(0, min(position, len(ids))), category_id)
        self.reordered.emit(ids)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        """Reorder personal categories; the store's new order is shown after it is saved."""
        source = self.currentItem()
        target = self.itemAt(event.position().toPoint())
        event.ignore()  # the tree is refilled from the store, never moved by Qt itself
        mine = self.topLevelItem(1)
        if mine is None or source is None or target is None or source.parent() is not mine:
            return
        if target is mine:
            self.move_category(source.data(0, _ID), mine.childCount())
            return
        if target.parent() is not mine:
            return
        position = mine.indexOfChild(target)
        below = self.dropIndicatorPosition() == QAbstractItemView.DropIndicatorPosition.BelowItem
        if mine.indexOfChild(source) < position:
            position -= 1  # the source leaves a gap above the target
        self.move_category(source.data(0, _ID), position + (1 if below else 0))


class ManagerWindow(QMainWindow):
    """The snippet manager window."""

    def __init__(self, controller: Controller, store: LibraryStore, index: Searcher) -> None:
        super().__init__()
        self.controller = controller
        self.store = store
        self.index = index
        self._undo: list[tuple[str, Callable[[], None]]] = []
        self.setWindowTitle(tr("QuickReply snippets"))
        self.setWindowIcon(app_icon())
        fit_to_screen(self, 1100, 680)

        self.tree = CategoryTree()
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Search snippets (pinyin, initials, words)"))
        self.snippet_list = QListWidget()
        self.snippet_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.editor = SnippetEditor(controller, store)
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addWidget(self.search)
        middle_layout.addWidget(self.snippet_list)
        splitter = QSplitter()
        splitter.addWidget(self.tree)
        splitter.addWidget(middle)
        splitter.addWidget(self.editor)
        splitter.setSizes([220, 320, 560])
        self.setCentralWidget(splitter)
        self._build_toolbar()

        self.tree.currentItemChanged.connect(lambda *_: self.refresh_snippets())
        self.tree.itemChanged.connect(self._category_renamed)
        self.tree.reordered.connect(self._save_order)
        self.search.textChanged.connect(lambda _text: self.refresh_snippets())
        self.snippet_list.currentItemChanged.connect(self._snippet_chosen)
        self.editor.saved.connect(self._snippet_saved)
        controller.library_changed.connect(self._library_changed)
        self.refresh()

    def _build_toolbar(self) -> None:
        bar = QToolBar(tr("Snippets"))
        bar.setMovable(False)
        self.addToolBar(bar)
        self.new_snippet_action = self._action(bar, tr("New snippet"), self.new_snippet, "Ctrl+N")
        self.new_category_action = self._action(bar, tr("New category"), self.new_category)
        self.keywords_action = self._action(bar, tr("Category keywords…"), self.edit_keywords)
        self.delete_action = self._action(
            bar, tr("Delete"), self.delete_selected, QKeySequence.StandardKey.Delete
        )
        self.undo_action = self._action(bar, tr("Undo"), self.undo, QKeySequence.StandardKey.Undo)
        bar.addSeparator()
        self._action(bar, tr("Install pack…"), self.install_pack)
        self._action(bar, tr("Export pack…"), self.export_pack)
        self._action(bar, tr("Import…"), self.import_phrases)
        self.up_action = self._action(bar, tr("Move up"), lambda: self._nudge(-1), "Alt+Up")
        self.down_action = self._action(bar, tr("Move down"), lambda: self._nudge(1), "Alt+Down")
        self._update_undo()

    def _action(
        self,
        bar: QToolBar,
        text: str,
        slot: Callable[[], object],
        shortcut: str | QKeySequence.StandardKey | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        bar.addAction(action)
        return action

    # -- showing the library ---------------------------------------------------------------------

    def refresh(self) -> None:
        """Show the library again, keeping the selected category and snippet."""
        packs = {r.id: r.title for r in self.store.pack_records()}
        self.tree.fill(self.store.categories(), packs, self.tree.selection_key())
        self.refresh_snippets()

    def refresh_snippets(self) -> None:
        """List the snippets of the selected category that match the search box."""
        keep = self._current_id()
        category = self.tree.selected_category()
        pack = self.tree.selected_pack()
        text = self.search.text().strip()
        if text:
            snippets = [h.snippet for h in self.index.query(text, SEARCH_LIMIT, category)]
        else:
            # snippets without a category first: they are the agent's newest, not leftovers
            snippets = sorted(
                (s for s in self.store.snippets() if category in (None, s.category)),
                key=lambda s: bool(s.category),
            )
        if pack is not None:
            snippets = [s for s in snippets if (s.pack_id or "") == pack]
        self.snippet_list.blockSignals(True)
        self.snippet_list.clear()
        for snippet in snippets:
            item = QListWidgetItem(("🔒 " if snippet.locked else "") + snippet.title)
            item.setData(_ID, snippet.id)
            if snippet.auto_send:
                item.setIcon(auto_send_icon())
                item.setToolTip(auto_send_tooltip())
            self.snippet_list.addItem(item)
            if snippet.id == keep:
                self.snippet_list.setCurrentItem(item, _ONLY)
        self.snippet_list.blockSignals(False)
        if self.editor.is_new():
            return  # a snippet being written stays in the editor
        current = self.snippet_list.currentItem()
        if current is None and self.snippet_list.count():
            self.snippet_list.setCurrentRow(0, _ONLY)  # shows it through _snippet_chosen
        elif current is None:
            self._show(None)
        elif not self.editor.is_dirty():
            self._show(self.store.find(current.data(_ID)))

    def _current_id(self) -> str | None:
        item = self.snippet_list.currentItem()
        return item.data(_ID) if item is not None else None

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        """Show the library as it is now (changes made while hidden were not followed)."""
        super().showEvent(event)
        self.refresh()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        """Keep what is being edited: closing the window saves it."""
        self._save_before_leaving()
        super().closeEvent(event)

    def _library_changed(self, _change: object) -> None:
        if self.isVisible():
            QTimer.singleShot(0, self.refresh)  # once the search index has the change too

    def _snippet_chosen(self, current: QListWidgetItem | None, _previous: object) -> None:
        chosen = current.data(_ID) if current is not None else None
        self._save_before_leaving()
        self._show(self.store.find(chosen) if chosen else None)

    def _save_before_leaving(self) -> None:
        """Save the editor's changes before it shows another snippet (or say they were lost)."""
        if not self.editor.is_dirty():
            return
        self.editor.blockSignals(True)  # saved on the way elsewhere: no reselecting it
        saved = self.editor.save()
        self.editor.blockSignals(False)
        if not saved:
            self.statusBar().showMessage(tr("Unsaved changes were discarded"), 6000)

    def _show(self, snippet: Snippet | None) -> None:
        self.editor.load(snippet)
        self.delete_action.setEnabled(snippet is not None and not snippet.locked)

    def _snippet_saved(self, snippet_id: str) -> None:
        self.statusBar().showMessage(tr("Saved"), 3000)
        self.refresh()
        for row in range(self.snippet_list.count()):
            if self.snippet_list.item(row).data(_ID) == snippet_id:
                self.snippet_list.setCurrentRow(row, _ONLY)

    # -- snippets --------------------------------------------------------------------------------

    def new_snippet(self) -> None:
        """Start a new snippet in the selected category; it is added when saved."""
        self._save_before_leaving()
        draft = Snippet(
            id=self.store.new_snippet_id(),
            title="",
            body="",
            category=self.tree.selected_category() or "",
        )
        self.snippet_list.clearSelection()
        self.editor.load(draft, is_new=True)
        self.editor.title_edit.setFocus()

    def delete_selected(self) -> None:
        """Delete the selected snippets, or the selected category when the tree has the focus."""
        if self.tree.hasFocus() and self.tree.selected_category():
            self.delete_category(self.tree.selected_category() or "")
            return
        ids = [item.data(_ID) for item in self.snippet_list.selectedItems()]
        removed: list[Snippet] = []
        for snippet_id in ids:
            try:
                removed.append(self.store.remove(snippet_id))
            except QuickReplyError as exc:
                self.statusBar().showMessage(shown_error(exc), 8000)
        if removed:
            what = removed[0].title if len(removed) == 1 else str(len(removed))
            self._push_undo(what, lambda: self._restore(removed))

    def _restore(self, snippets: list[Snippet], category: Category | None = None) -> None:
        if category is not None:
            self.store.save_category(category)  # first: the snippets' check needs it stored
        with self.store.batch():
            for snippet in snippets:
                self.store.add(snippet)

    # -- categories ------------------------------------------------------------------------------

    def new_category(self) -> None:
        """Add a personal category and start renaming it."""
        category = self.store.new_category(tr("New category"))
        self.refresh()
        self.tree.fill(self.store.categories(), self._packs(), category.id)
        # after the refresh the library change has queued, which would close the editor
        QTimer.singleShot(0, lambda: self._rename(category.id))

    def _rename(self, category_id: str) -> None:
        """Start editing the name of `category_id` in the tree."""
        self.tree.fill(self.store.categories(), self._packs(), category_id)
        item = self.tree.currentItem()
        if item is not None and item.data(0, _ID) == category_id:
            self.tree.editItem(item)

    def delete_category(self, category_id: str) -> None:
        """Delete a personal category and its snippets (undo brings both back)."""
        category = self.store.category(category_id)
        if category.pack_id is not None:
            # its pack would bring it back on the next update: packs are removed whole
            self.statusBar().showMessage(tr("A pack's categories go with the pack"), 8000)
            return
        try:
            removed = self.store.remove_category(category_id)
        except QuickReplyError as exc:
            self.statusBar().showMessage(shown_error(exc), 8000)
            return
        self._push_undo(category.name, lambda: self._restore(removed, category))

    def edit_keywords(self) -> None:
        """Ask for the selected category's keywords (words buyers use, for suggestions)."""
        category_id = self.tree.selected_category()
        if category_id is None:
            return
        category = self.store.category(category_id)
        text, ok = QInputDialog.getText(
            self,
            tr("Category keywords"),
            tr("Words buyers use about “{name}”, comma-separated (e.g. 快递, 物流, 没收到):",
               name=category.name),
            text=", ".join(category.keywords),
        )  # fmt: skip
        if ok:
            self.set_keywords(category_id, text)

    def set_keywords(self, category_id: str, text: str) -> None:
        """Save a personal category's keywords from comma-separated `text`."""
        category = self.store.category(category_id)
        if category.pack_id is not None:
            self.statusBar().showMessage(tr("A pack's categories go with the pack"), 8000)
            return
        try:
            self.store.save_category(replace(category, keywords=split_tags(text)))
        except QuickReplyError as exc:
            self.statusBar().showMessage(shown_error(exc), 8000)

    def _category_renamed(self, item: QTreeWidgetItem, _column: int) -> None:
        category_id = item.data(0, _ID)
        if item.data(0, _KIND) != CATEGORY:
            return
        category = self.store.category(category_id)
        name = item.text(0).strip()
        if name == category.name:
            return
        try:
            self.store.save_category(replace(category, name=name))
        except QuickReplyError as exc:
            self.statusBar().showMessage(shown_error(exc), 8000)
            QTimer.singleShot(0, self.refresh)  # show the old name again

    def _save_order(self, ids: list[str]) -> None:
        with self.store.batch():
            for order, category_id in enumerate(ids, start=1):
                category = self.store.category(category_id)
                if category.order != order:
                    self.store.save_category(replace(category, order=order))

    def _nudge(self, step: int) -> None:
        category_id = self.tree.selected_category()
        ids = self.tree.personal_ids()
        if category_id in ids:
            self.tree.move_category(category_id, ids.index(category_id) + step)

    def _packs(self) -> dict[str, str]:
        return {r.id: r.title for r in self.store.pack_records()}

    # -- undo ------------------------------------------------------------------------------------

    def _push_undo(self, what: str, action: Callable[[], None]) -> None:
        self._undo.append((tr("Undo delete “{what}”", what=what), action))
        self.statusBar().showMessage(tr("Deleted “{what}” (Ctrl+Z brings it back)", what=what))
        self._update_undo()

    def undo(self) -> None:
        """Bring back what the last delete removed."""
        if not self._undo:
            return
        label, action = self._undo.pop()
        self.statusBar().clearMessage()  # "Deleted … (Ctrl+Z brings it back)" is no longer true
        try:
            action()
        except QuickReplyError as exc:
            self.statusBar().showMessage(shown_error(exc), 8000)
        self._update_undo()

    def _update_undo(self) -> None:
        self.undo_action.setEnabled(bool(self._undo))
        self.undo_action.setText(self._undo[-1][0] if self._undo else tr("Undo"))

    # -- packs -----------------------------------------------------------------------------------

    def install_pack(self) -> None:
        """Install a pack from a file, folder, URL or a lead's index."""
        InstallPackDialog(self.store, self).exec()

    def import_phrases(self) -> None:
        """Import phrases from another tool or a shop sheet, after a preview."""
        ImportDialog(self.store, default_undo_path(), self).exec()

    def export_pack(self) -> None:
        """Export the selected category, or the selected snippets, as a pack."""
        category = self.tree.selected_category()
        snippet_ids = [item.data(_ID) for item in self.snippet_list.selectedItems()]
        if len(snippet_ids) > 1 or not category:
            export_pack_from_selection(self.store, [], snippet_ids, self)
        else:
            export_pack_from_selection(self.store, [category], [], self)
