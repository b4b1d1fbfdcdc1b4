"""The search palette: a frameless popup at the mouse that finds a snippet and inserts it, by
keyboard only, into the window that had the focus when it opened.

Keys in the search box: Up/Down or Ctrl+N/P move, Enter inserts, Shift+Enter inserts and sends,
1-9 pick a numbered result, Ctrl+C copies only, Tab/Shift+Tab cycle the category, Esc closes.
A snippet that needs values ({{input:..}}, {{choice:..}}, {{order}} ...) opens a small form in
the palette: Tab moves between fields, Enter inserts, Esc goes back to the results.
"""

from __future__ import annotations

import contextlib
import time
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer
from PySide6.QtGui import QCursor, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from quickreply.app.controller import Controller
from quickreply.app.search_index import Searcher
from quickreply.core.errors import QuickReplyError
from quickreply.core.hotkey import parse_hotkey
from quickreply.core.i18n import tr
from quickreply.core.library.model import Snippet
from quickreply.core.prepare import Prepared
from quickreply.core.search.hit import SearchHit
from quickreply.platform.window import WindowInfo
from quickreply.ui.auto_send_mark import auto_send_icon, auto_send_tooltip
from quickreply.ui.fields_dialog import FieldsForm
from quickreply.ui.image_strip import ThumbnailRow
from quickreply.ui.problem_text import shown_error
from quickreply.ui.suggest_mode import SuggestMode

if TYPE_CHECKING:
    from quickreply.app.suggestions import Suggestions

PaletteAction = Literal["insert", "send", "copy"]  # Enter, Shift+Enter, Ctrl+C

RESULTS = 50  # results listed; the first nine are numbered
_CURSOR_OFFSET = QPoint(16, 16)  # the popup's corner this far up-left of the mouse pointer
_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_DIGITS = {getattr(Qt.Key, f"Key_{n}"): n for n in range(1, 10)}


class Palette(QWidget):
    """Search box, numbered results, a rendered preview and, when needed, an inline form."""

    def __init__(
        self, controller: Controller, index: Searcher, suggestions: Suggestions | None = None
    ) -> None:
        super().__init__(
            None,
            Qt.WindowType.Tool
            | Qt.WindowType.FramelessWindowHint
            | Qt.WindowType.WindowStaysOnTopHint,
        )
        self.controller = controller
        self.index = index
        self.setObjectName("palette")
        self.setWindowTitle(tr("QuickReply search"))
        self._target: WindowInfo | None = None
        self._opened_ns = 0
        self._was_active = False
        self._category: str | None = None  # chosen with Tab; a typed "#name " wins
        self._hits: list[SearchHit] = []
        self._form: FieldsForm | None = None
        self._pending: tuple[Prepared, PaletteAction] | None = None
        self.suggest_mode = SuggestMode(suggestions)
        if suggestions is not None:
            suggestions.ready.connect(self._on_suggestions_ready)

        self.category_label = QLabel()
        self.category_label.setObjectName("palette-category")
        self.search = QLineEdit()
        self.search.setObjectName("palette-search")
        self.search.setPlaceholderText(tr("Search: pinyin, initials, words or #category"))
        self.search.textChanged.connect(self.refresh)
        self.search.installEventFilter(self)
        self.results = QListWidget()
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard stays in the search box
        self.results.currentRowChanged.connect(self._show_preview)
        self.results.itemActivated.connect(lambda _item: self.choose(self.results.currentRow()))
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.preview.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.preview_images = ThumbnailRow(controller)
        self.form_title = QLabel()
        self.form_box = QFrame()
        self.form_box.setFrameShape(QFrame.Shape.StyledPanel)
        self.form_layout = QVBoxLayout(self.form_box)
        self.form_layout.addWidget(self.form_title)
        self.form_box.hide()
        self._list_hint = (
            tr("↑↓ choose · Enter insert · Shift+Enter insert and send · 1-9 pick · Ctrl+C copy")
            + " · "
            + tr("Tab category · Esc close")
        )
        self.hint = QLabel(self._list_hint)
        self.hint.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(self.category_label)
        top.addWidget(self.search, 1)
        middle = QHBoxLayout()
        middle.addWidget(self.results, 1)
        preview_column = QVBoxLayout()
        preview_column.addWidget(self.preview, 1)
        preview_column.addWidget(self.preview_images)
        middle.addLayout(preview_column, 1)
        frame = QFrame(self)
        frame.setObjectName("palette-frame")
        frame.setFrameShape(QFrame.Shape.Box)
        layout = QVBoxLayout(frame)
        layout.addLayout(top)
        layout.addWidget(self.suggest_mode.label)
        layout.addLayout(middle, 1)
        layout.addWidget(self.form_box)
        layout.addWidget(self.hint)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)
        self.resize(720, 380)
        controller.library_changed.connect(self._on_library_changed)
        self.winId()  # create the native window now, so opening only maps it
        index.prepare()  # and lay the index out now, not at the first keystroke

    def set_index(self, index: Searcher) -> None:
        """Search with `index` from now on (the full index replaces plain search once built)."""
        self.index = index
        index.prepare()
        if self.isVisible():
            self.refresh()

    # -- opening and closing ---------------------------------------------------------------------

    def open(self) -> None:
        """Remember the focused window, then show the palette at the mouse, ready for typing."""
        if not self.isVisible():
            self._target = self.controller.menu_target()  # not the taskbar
            self._opened_ns = time.perf_counter_ns()
            self._was_active = False
            self._category = None
            self._close_form()
            self.index.refresh_usage()
            self.search.blockSignals(True)  # one refresh below, not one per cleared character
            self.search.clear()
            self.search.blockSignals(False)
            self.refresh()
            self.move(self._position())
        self.show()
        self.raise_()
        # without a window manager (X11) this sets the input focus directly
        self.activateWindow()
        self.controller.activate_own_window(int(self.winId()))  # Windows refuses activateWindow
        self.search.setFocus(Qt.FocusReason.ActiveWindowFocusReason)

    def open_suggest(self, message: str) -> None:
        """Open (or reuse) the palette in suggest mode for the buyer's `message`."""
        if self.suggest_mode.suggestions is not None:
            self.suggest_mode.suggestions.refresh_usage()
        self.suggest_mode.start(message)  # before open(): its one refresh lists the suggestions
        if self.isVisible():
            self._close_form()
            self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(False)
            self.refresh()
        self.open()

    def _on_suggestions_ready(self) -> None:
        if self.suggest_mode.active:
            self.refresh()

    def _position(self) -> QPoint:
        """Return the top-left corner near the mouse that keeps the whole palette on screen."""
        mouse = QCursor.pos()
        screen = QGuiApplication.screenAt(mouse) or QGuiApplication.primaryScreen()
        area = screen.availableGeometry()
        corner = mouse - _CURSOR_OFFSET
        x = max(area.left(), min(corner.x(), area.right() + 1 - self.width()))
        y = max(area.top(), min(corner.y(), area.bottom() + 1 - self.height()))
        return QPoint(x, y)

    def close_palette(self, refocus: bool = True) -> None:
        """Hide the palette; give the focus back to the window it was opened over."""
        self.hide()
        self._close_form()
        self.suggest_mode.stop()  # the buyer's message is forgotten with the palette
        if refocus:
            # the window may be gone meanwhile: then there is nothing to give the focus back to
            with contextlib.suppress(Exception):
                self.controller.focus_back(self._target)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        """Close when the agent clicks into another window (the palette was active before)."""
        super().changeEvent(event)
        if event.type() != QEvent.Type.ActivationChange or not self.isVisible():
            return
        if self.isActiveWindow():
            self._was_active = True
        elif self._was_active and QApplication.activePopupWidget() is None:
            self.close_palette(refocus=False)

    # -- searching -------------------------------------------------------------------------------

    def _on_library_changed(self, _change: object) -> None:
        # once every listener, the index too, has the change: lay the index out now rather
        # than at the agent's next keystroke
        QTimer.singleShot(0, self.refresh if self.isVisible() else self.index.prepare)

    def query(self) -> tuple[str | None, str]:
        """Return (category id or None, words) for the search box: a typed ``#name `` first."""
        text = self.search.text()
        if text.startswith("#"):
            return self.index.parse_category(text)
        return self._category, text

    def refresh(self) -> None:
        """Search again for the box's text and list the results, the first one selected."""
        category, words = self.query()
        names = {c.id: c.name for c in self.index.categories}
        self.category_label.setText(names.get(category or "", tr("All")))
        if self.suggest_mode.active and not words:
            self._hits = self.suggest_mode.fill(self.results, names)
            if self._hits:
                self.results.setCurrentRow(0)
            return
        if words:
            self.suggest_mode.stop()  # typing a search leaves suggest mode (and its hint)
        self._hits = self.index.query(words, RESULTS, category)
        self.results.clear()
        for number, hit in enumerate(self._hits, start=1):
            item = QListWidgetItem(_item_text(number, hit.snippet, names))
            if hit.snippet.auto_send:
                item.setIcon(auto_send_icon())
                item.setToolTip(auto_send_tooltip())
            self.results.addItem(item)
        if not self._hits:
            empty = QListWidgetItem(tr("No matching snippet"))
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.results.addItem(empty)
            self.preview.clear()
            self.preview_images.show_snippet(None)
        else:
            self.results.setCurrentRow(0)

    def hits(self) -> list[SearchHit]:
        """The results listed now, best first."""
        return list(self._hits)

    def _show_preview(self, row: int) -> None:
        if not 0 <= row < len(self._hits):
            return
        snippet = self._hits[row].snippet
        self.preview_images.show_snippet(snippet)
        # placeholders still to be asked show their label, e.g. [订单号]
        try:
            self.preview.setPlainText(self.controller.prepare(snippet).preview())
        except QuickReplyError as exc:
            self.preview.setPlainText(shown_error(exc))

    def _move(self, step: int) -> None:
        if self._hits:
            row = (self.results.currentRow() + step) % len(self._hits)
            self.results.setCurrentRow(row)

    def _cycle_category(self, step: int) -> None:
        ids: list[str | None] = [None, *(c.id for c in self.index.categories)]
        current = ids.index(self._category) if self._category in ids else 0
        self._category = ids[(current + step) % len(ids)]
        if self.search.text().startswith("#"):
            self.search.clear()  # the typed filter gives way to the cycled one
        self.refresh()

    # -- keys ------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Handle the palette's keys in the search box and in the inline form's fields."""
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if watched is self.search:
            return self._search_key(event)
        return self._form_key(event)

    def _search_key(self, event: QKeyEvent) -> bool:
        key, mods = event.key(), event.modifiers()
        ctrl = mods & Qt.KeyboardModifier.ControlModifier
        shift = mods & Qt.KeyboardModifier.ShiftModifier
        if key == Qt.Key.Key_Down or (ctrl and key == Qt.Key.Key_N):
            self._move(1)
        elif key == Qt.Key.Key_Up or (ctrl and key == Qt.Key.Key_P):
            self._move(-1)
        elif key in _ENTER_KEYS:
            self.choose(self.results.currentRow(), "send" if shift else "insert")
        elif ctrl and key == Qt.Key.Key_C:
            self.choose(self.results.currentRow(), "copy")
        elif ctrl and key == Qt.Key.Key_V and self.suggest_mode.take_paste(_clipboard_text()):
            self.search.clear()  # a pasted sentence is the buyer's message, not a search
            self.refresh()
        elif key == Qt.Key.Key_Escape:
            self.close_palette()
        elif key == Qt.Key.Key_Tab:
            self._cycle_category(1)
        elif key == Qt.Key.Key_Backtab:
            self._cycle_category(-1)
        elif key in _DIGITS and not (ctrl or mods & Qt.KeyboardModifier.AltModifier):
            if not self._hits:
                return False  # nothing to pick: the digit is typed
            self.choose(_DIGITS[key] - 1)
        else:
            return False
        return True

    def _form_key(self, event: QKeyEvent) -> bool:
        if event.key() in _ENTER_KEYS:
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier and self._pending:
                self._pending = (self._pending[0], "send")
            self._submit_form()
            return True
        if event.key() == Qt.Key.Key_Escape:
            self._close_form()
            self.search.setFocus()
            return True
        return False

    # -- choosing --------------------------------------------------------------------------------

    def choose(self, row: int, action: PaletteAction = "insert") -> None:
        """Insert ("insert"), insert and send ("send") or copy ("copy") result `row`; a snippet
        that needs values asks for them in the palette first."""
        if not 0 <= row < len(self._hits):
            return
        snippet = self._hits[row].snippet
        self.results.setCurrentRow(row)
        prepared = self.controller.prepare(snippet)
        if prepared.missing:
            self._open_form(prepared, action)
            return
        self._finish(prepared, action, None)

    def _open_form(self, prepared: Prepared, action: PaletteAction) -> None:
        self._close_form()
        snippet = prepared.snippet
        self._pending = (prepared, action)
        self._form = FieldsForm(list(prepared.missing), self.form_box)
        for editor in self._form.editors.values():
            editor.installEventFilter(self)
        self.form_layout.addWidget(self._form)
        self._form.changed.connect(self._preview_form)
        self.hint.setText(tr("Tab next field · Enter insert · Esc back to the list"))
        self.form_title.setText(
            tr("Fill in: {title}", title=snippet.title) + "  " + tr("(Enter inserts, Esc back)")
        )
        self.form_box.show()
        self.search.setEnabled(False)  # Tab then moves only between the fields
        self._form.focus_first()

    def _close_form(self) -> None:
        if self._form is not None:
            self._form.hide()
            self._form.deleteLater()
            self._form = None
        self._pending = None
        self.form_box.hide()
        self.hint.setText(self._list_hint)
        self.search.setEnabled(True)

    def _preview_form(self) -> None:
        """Show the snippet as it will be inserted with what has been typed so far."""
        if self._form is None or self._pending is None:
            return
        given = {key: value for key, value in self._form.values().items() if value}
        try:
            self.preview.setPlainText(self._pending[0].with_values(given).preview())
        except QuickReplyError as exc:
            self.preview.setPlainText(shown_error(exc))

    def _submit_form(self) -> None:
        if self._form is None or self._pending is None:
            return
        prepared, action = self._pending
        values = self._form.values()
        self._finish(prepared, action, values)

    def _finish(
        self, prepared: Prepared, action: PaletteAction, values: dict[str, str] | None
    ) -> None:
        snippet = prepared.snippet
        if values:
            prepared = prepared.with_values(values)
        if action == "copy":
            try:
                text = prepared.render().text
            except QuickReplyError as exc:
                self.preview.setPlainText(shown_error(exc))
                return
            self.controller.copy_snippet(snippet, text)  # its first image too, as one item
            self.close_palette()
            return
        target = self._target
        pick_ms = (time.perf_counter_ns() - self._opened_ns) / 1e6
        keys_typed = len(self.search.text())
        send = True if action == "send" else None
        rank = self.suggest_mode.rank_of(snippet.id)
        self.close_palette(refocus=False)  # the controller gives the focus back, then pastes

        def insert() -> None:
            self.controller.insert(
                snippet,
                "palette" if rank is None else "suggest",
                prepared=prepared,
                send=send,
                pick_ms=pick_ms,
                keys_typed=keys_typed,
                target=target,
                rank=rank,
            )

        # after this key event has returned and the palette's window is gone
        QTimer.singleShot(0, insert)


def _item_text(number: int, snippet: Snippet, categories: dict[str, str]) -> str:
    """Result text: its number (1-9), title, category, abbreviation and hotkey."""
    prefix = f"{number}  " if number <= 9 else "    "
    details = [categories.get(snippet.category, "")]
    if snippet.abbrev:
        details.append(snippet.abbrev)
    if snippet.hotkey:
        details.append(parse_hotkey(snippet.hotkey).display())
    extra = " · ".join(d for d in details if d)
    return f"{prefix}{snippet.title}" + (f"    {extra}" if extra else "")


def _clipboard_text() -> str:
    board = QGuiApplication.clipboard()
    return board.text() if board is not None else ""
