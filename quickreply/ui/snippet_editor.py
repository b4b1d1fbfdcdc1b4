"""The manager's snippet editor: every field, a live rendered preview, and the problems of the
snippet as it is typed (placeholders, hotkey and abbreviation clashes, hotkeys the system refuses).

A locked snippet of a lead's pack shows read-only with the pack's name; only the agent's own
hotkey and abbreviation stay editable (the store's lock protects the content, not those).
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from quickreply.app.controller import Controller
from quickreply.core.errors import QuickReplyError, ValidationError
from quickreply.core.i18n import tr
from quickreply.core.library.model import Snippet
from quickreply.core.library.store import LibraryStore
from quickreply.core.render import placeholder_problems
from quickreply.ui.hotkey_edit import HotkeyEdit
from quickreply.ui.image_strip import ImageStrip
from quickreply.ui.problem_text import shown_error, shown_problem
from quickreply.ui.widgets import error_label

_CHECK_DELAY_MS = 150  # clash checks read the whole library: once typing pauses, not per key
_TAG_SEPARATORS = "，,;；"


def split_tags(text: str) -> tuple[str, ...]:
    """Split a tag field on commas or semicolons (either width); drop empty tags."""
    for separator in _TAG_SEPARATORS[1:]:
        text = text.replace(separator, _TAG_SEPARATORS[0])
    return tuple(t.strip() for t in text.split(_TAG_SEPARATORS[0]) if t.strip())


class SnippetEditor(QWidget):
    """Edits one snippet (or a new one); `saved` carries its id after a successful save."""

    saved = Signal(str)

    def __init__(
        self, controller: Controller, store: LibraryStore, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.store = store
        self._original: Snippet | None = None
        self._is_new = False
        self._loading = False
        self.locked_banner = QLabel()
        self.locked_banner.setWordWrap(True)
        self.locked_banner.setStyleSheet("background: #fff4ce; padding: 4px")
        self.edited_banner = QLabel()
        self.edited_banner.setWordWrap(True)
        self.pack_version_button = QPushButton(tr("Revert to the pack's version"))
        self.pack_version_button.clicked.connect(self._revert_to_pack)
        self.title_edit = QLineEdit()
        self.category_combo = QComboBox()
        self.tags_edit = QLineEdit()
        self.tags_edit.setPlaceholderText(tr("Comma-separated, e.g. 退款, 售后"))
        self.questions_edit = QPlainTextEdit()
        self.questions_edit.setObjectName("questions")
        self.questions_edit.setPlaceholderText(
            tr("Buyer messages this reply answers, one a line, e.g. 退货运费谁出")
        )
        self.questions_edit.setMaximumHeight(72)
        self.abbrev_edit = QLineEdit()
        self.abbrev_edit.setPlaceholderText(tr("Short word typed in the search palette"))
        self.hotkey_edit = HotkeyEdit()
        clear_hotkey = QPushButton(tr("Clear"))
        clear_hotkey.clicked.connect(self._clear_hotkey)
        self.auto_send_check = QCheckBox(tr("Press Enter after inserting (send at once)"))
        self.body_edit = QPlainTextEdit()
        self.body_edit.setPlaceholderText(
            tr("The reply. Placeholders: {{customer}}, {{order}}, {{input:label}}, {{cursor}} …")
        )
        self.image_strip = ImageStrip(controller)
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.problems_label = error_label()
        self.hotkey_warning = error_label()
        self.save_button = QPushButton(tr("Save"))
        self.save_button.setShortcut("Ctrl+S")
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton(tr("Revert"))
        self.revert_button.clicked.connect(self.revert)

        hotkey_row = QHBoxLayout()
        hotkey_row.addWidget(self.hotkey_edit, 1)
        hotkey_row.addWidget(clear_hotkey)
        form = QFormLayout()
        form.addRow(tr("Title"), self.title_edit)
        form.addRow(tr("Category"), self.category_combo)
        form.addRow(tr("Tags"), self.tags_edit)
        form.addRow(tr("Example questions"), self.questions_edit)
        form.addRow(tr("Abbreviation"), self.abbrev_edit)
        form.addRow(tr("Hotkey"), hotkey_row)
        form.addRow("", self.hotkey_warning)
        form.addRow("", self.auto_send_check)
        self._form = form
        form.setRowVisible(self.hotkey_warning, False)  # no blank row while there is no warning
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.locked_banner)
        edited_row = QHBoxLayout()
        edited_row.addWidget(self.edited_banner, 1)
        edited_row.addWidget(self.pack_version_button)
        layout.addLayout(edited_row)
        layout.addLayout(form)
        layout.addWidget(QLabel(tr("Text")))
        layout.addWidget(self.body_edit, 2)
        layout.addWidget(QLabel(tr("Images")))
        layout.addWidget(self.image_strip)
        layout.addWidget(QLabel(tr("Preview")))
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.problems_label)
        layout.addLayout(buttons)

        self._check_timer = QTimer(self, singleShot=True, interval=_CHECK_DELAY_MS)
        self._check_timer.timeout.connect(self.check)
        for edit in (self.title_edit, self.tags_edit, self.abbrev_edit):
            edit.textChanged.connect(self._edited)
        self.body_edit.textChanged.connect(self._body_edited)
        self.questions_edit.textChanged.connect(self._edited)
        self.category_combo.currentIndexChanged.connect(self._edited)
        self.auto_send_check.toggled.connect(self._edited)
        self.image_strip.changed.connect(self._edited)
        self.image_strip.problem.connect(self.problems_label.setText)
        self.hotkey_edit.changed.connect(self._hotkey_changed)
        self.hotkey_edit.rejected.connect(self._warn_hotkey)
        self.hotkey_edit.recording.connect(controller.suspend_hotkeys)
        self.load(None)

    # -- loading ---------------------------------------------------------------------------------

    def load(self, snippet: Snippet | None, is_new: bool = False) -> None:
        """Show `snippet` for editing (None: nothing selected); `is_new` for an unsaved one."""
        self._loading = True
        self._original = snippet
        self._is_new = is_new
        self._fill_categories()
        self.title_edit.setText(snippet.title if snippet else "")
        index = self.category_combo.findData(snippet.category if snippet else "")
        self.category_combo.setCurrentIndex(max(0, index))
        self.tags_edit.setText(", ".join(snippet.tags) if snippet else "")
        self.questions_edit.setPlainText("\n".join(snippet.questions) if snippet else "")
        self.abbrev_edit.setText(snippet.abbrev or "" if snippet else "")
        self.hotkey_edit.set_combo(snippet.hotkey or "" if snippet else "")
        self.auto_send_check.setChecked(bool(snippet and snippet.auto_send))
        self.body_edit.setPlainText(snippet.body if snippet else "")
        self.image_strip.set_images(
            snippet.images if snippet else (), snippet.image_order if snippet else "images_first"
        )
        self._warn_hotkey("")
        self._loading = False
        locked = bool(snippet and snippet.locked)
        for widget in (self.title_edit, self.tags_edit, self.body_edit, self.questions_edit):
            widget.setReadOnly(locked)
        self.category_combo.setEnabled(bool(snippet) and not locked)
        self.auto_send_check.setEnabled(bool(snippet) and not locked)
        self.image_strip.set_read_only(locked)
        self.setEnabled(snippet is not None)
        self.locked_banner.setVisible(locked)
        if snippet is not None and locked:
            self.locked_banner.setText(
                tr(
                    "Locked by the pack “{pack}”: the text cannot be changed here. "
                    "You can still give it your own hotkey or abbreviation.",
                    pack=self._pack_name(snippet.pack_id),
                )
            )
        edited = snippet is not None and not is_new and self.controller.is_edited(snippet)
        self.edited_banner.setVisible(edited)
        self.pack_version_button.setVisible(edited)
        if snippet is not None and edited:
            self.edited_banner.setText(
                tr(
                    "Edited: your version of this reply from “{pack}” is kept when the pack updates.",
                    pack=self._pack_name(snippet.pack_id),
                )
            )
        self._render_preview()
        self.check()

    def _revert_to_pack(self) -> None:
        if self._original is None:
            return
        try:
            reverted = self.controller.revert_to_pack(self._original.id)
        except QuickReplyError as exc:
            self.problems_label.setText(shown_error(exc))
            return
        self.load(reverted)
        self.saved.emit(reverted.id)

    def _fill_categories(self) -> None:
        packs = {r.id: r.title for r in self.store.pack_records()}
        self.category_combo.blockSignals(True)
        self.category_combo.clear()
        self.category_combo.addItem(tr("(no category)"), "")
        for category in self.store.categories():
            pack = f" — {packs.get(category.pack_id, category.pack_id)}" if category.pack_id else ""
            self.category_combo.addItem(category.name + pack, category.id)
        self.category_combo.blockSignals(False)

    def _pack_name(self, pack_id: str | None) -> str:
        for record in self.store.pack_records():
            if record.id == pack_id:
                return record.title
        return str(pack_id or "")

    # -- editing ---------------------------------------------------------------------------------

    def snippet(self) -> Snippet | None:
        """The snippet as the fields describe it now (not saved), or None when none is loaded."""
        if self._original is None:
            return None
        return self._original.edited(
            title=self.title_edit.text(),
            body=self.body_edit.toPlainText(),
            category=self.category_combo.currentData() or "",
            tags=split_tags(self.tags_edit.text()),
            questions=tuple(
                q.strip() for q in self.questions_edit.toPlainText().splitlines() if q.strip()
            ),
            abbrev=self.abbrev_edit.text().strip() or None,
            hotkey=self.hotkey_edit.combo() or None,
            auto_send=self.auto_send_check.isChecked(),
            images=self.image_strip.images(),
            image_order=self.image_strip.order(),
        )

    def is_dirty(self) -> bool:
        """True when the fields differ from the saved snippet (always for a new one)."""
        current = self.snippet()
        if current is None or self._original is None:
            return False
        return self._is_new or _fields(current) != _fields(self._original)

    def is_new(self) -> bool:
        """True while the loaded snippet has never been saved."""
        return self._is_new

    def _edited(self) -> None:
        if not self._loading:
            self._check_timer.start()
            self._update_buttons()

    def _body_edited(self) -> None:
        if self._loading:
            return
        # placeholder mistakes show at once; clashes with the library once typing pauses
        self.problems_label.setText("\n".join(placeholder_problems(self.body_edit.toPlainText())))
        self._render_preview()
        self._edited()

    def _hotkey_changed(self, combo: str) -> None:
        refused = self.controller.probe_hotkey(combo) if combo else None
        self._warn_hotkey(
            tr("The system refuses this hotkey: {reason}", reason=refused) if refused else ""
        )
        self._edited()

    def _warn_hotkey(self, text: str) -> None:
        """Show a warning under the hotkey; its row takes no room while there is none."""
        self.hotkey_warning.setText(text)
        self._form.setRowVisible(self.hotkey_warning, bool(text))

    def _clear_hotkey(self) -> None:
        self.hotkey_edit.set_combo("")
        self._hotkey_changed("")

    def _render_preview(self) -> None:
        current = self.snippet()
        if current is None or not current.body.strip():
            self.preview.clear()
            return
        try:
            self.preview.setPlainText(self.controller.prepare(current).preview())
        except QuickReplyError as exc:
            problems = exc.problems if isinstance(exc, ValidationError) else [str(exc)]
            shown = "; ".join(shown_problem(p) for p in problems)
            self.preview.setPlainText(tr("(no preview: {problem})", problem=shown))

    def problems(self) -> list[str]:
        """Every problem that would stop the snippet from being saved as it is now."""
        current = self.snippet()
        if current is None:
            return []
        try:
            self.store.check(current)
        except ValidationError as exc:
            return exc.problems
        return []

    def check(self) -> None:
        """Show the problems of the snippet as it is now and enable Save when there are none."""
        self._check_timer.stop()
        self.problems_label.setText("\n".join(shown_problem(p) for p in self.problems()))
        self._update_buttons()

    def _update_buttons(self) -> None:
        dirty = self.is_dirty()
        self.save_button.setEnabled(dirty and not self.problems_label.text())
        self.revert_button.setEnabled(dirty and not self._is_new)

    # -- saving ----------------------------------------------------------------------------------

    def save(self) -> bool:
        """Store the snippet; return whether it was saved (problems are shown otherwise)."""
        current = self.snippet()
        if current is None:
            return False
        try:
            stored = self.store.add(current) if self._is_new else self.store.update(current)
        except QuickReplyError as exc:
            problems = exc.problems if isinstance(exc, ValidationError) else [str(exc)]
            self.problems_label.setText("\n".join(shown_problem(p) for p in problems))
            self._update_buttons()
            return False
        self.load(stored)
        self.saved.emit(stored.id)
        return True

    def revert(self) -> None:
        """Throw the unsaved changes away."""
        self.load(self._original, self._is_new)


def _fields(snippet: Snippet) -> tuple[object, ...]:
    return (
        snippet.title,
        snippet.body,
        snippet.category,
        snippet.tags,
        snippet.questions,
        snippet.abbrev,
        snippet.hotkey,
        snippet.auto_send,
        snippet.images,
        snippet.image_order,
    )
