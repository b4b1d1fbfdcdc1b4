"""The manager's Import… dialog: choose a file, see what would be added, merged and skipped
(and why), map a sheet's columns when its headers are unknown, then import in one step."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from quickreply.core.errors import QuickReplyError
from quickreply.core.i18n import tr
from quickreply.core.importers import FORMATS, detect_format, read_import
from quickreply.core.importers.plan import ImportPlan, apply_import, plan_import
from quickreply.core.importers.sheets import ColumnMap, guess_columns, read_table
from quickreply.core.library.store import LibraryStore
from quickreply.core.message_translation import translate_message
from quickreply.ui.problem_text import shown_error
from quickreply.ui.widgets import error_label

FILTER = "Phrases (*.yml *.yaml *.json *.ahk *.csv *.txt *.xlsx);;All files (*)"
ROLES = ("category", "abbrev", "body", "title")


class ImportDialog(QDialog):
    """Preview an import before anything is written; the Import button applies that preview."""

    def __init__(self, store: LibraryStore, undo_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Import phrases"))
        self.resize(720, 560)
        self.store = store
        self.undo_path = undo_path
        self.plan: ImportPlan | None = None
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(
            tr(
                "An Espanso folder or file, a Beeftext export, an AutoHotkey script, a CSV/XLSX sheet"
            )
        )
        file_button = QPushButton(tr("File…"))
        folder_button = QPushButton(tr("Folder…"))
        file_button.clicked.connect(self._pick_file)
        folder_button.clicked.connect(self._pick_folder)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(file_button)
        row.addWidget(folder_button)
        self.format_combo = QComboBox()
        self.format_combo.addItem(tr("Automatic"), None)
        for name in FORMATS:
            self.format_combo.addItem(name, name)
        self.category_edit = QLineEdit()
        self.category_edit.setPlaceholderText(tr("Optional: put everything in this category"))
        self.keep_check = QCheckBox(
            tr("Import phrases with unsupported variables (the variable stays as plain text)")
        )
        self.columns: dict[str, QComboBox] = {role: QComboBox() for role in ROLES}
        self.columns_box = QWidget()
        columns_form = QFormLayout(self.columns_box)
        columns_form.setContentsMargins(0, 0, 0, 0)
        labels = {
            "category": tr("Category column"),
            "abbrev": tr("Abbreviation column"),
            "body": tr("Text column"),
            "title": tr("Title column"),
        }
        for role, combo in self.columns.items():
            columns_form.addRow(labels[role], combo)
            combo.activated.connect(lambda _index: self.preview())
        self.columns_box.setVisible(False)
        form = QFormLayout()
        form.addRow(tr("Format"), self.format_combo)
        form.addRow(tr("Category"), self.category_edit)
        self.preview_text = QPlainTextEdit()
        self.preview_text.setReadOnly(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.error = error_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.preview_button = buttons.addButton(
            tr("Preview"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.import_button = buttons.addButton(tr("Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setEnabled(False)
        self.preview_button.clicked.connect(self.preview)
        buttons.accepted.connect(self.apply)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addLayout(form)
        layout.addWidget(self.keep_check)
        layout.addWidget(self.columns_box)
        layout.addWidget(self.summary)
        layout.addWidget(self.preview_text, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.path_edit.textChanged.connect(self._source_changed)
        self.format_combo.activated.connect(lambda _index: self._source_changed())
        self.keep_check.toggled.connect(lambda _on: self._stale())
        self.category_edit.textChanged.connect(lambda _text: self._stale())

    def _pick_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Import phrases"), "", FILTER)
        if path:
            self.path_edit.setText(path)

    def _pick_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, tr("Espanso folder"))
        if path:
            self.path_edit.setText(path)

    def _stale(self) -> None:
        """Anything changed after a preview: the Import button waits for a new preview."""
        self.plan = None
        self.import_button.setEnabled(False)

    def _source_changed(self, _text: str = "") -> None:
        self._stale()
        self.columns_box.setVisible(False)
        path = Path(self.path_edit.text().strip())
        try:
            kind = self.format_combo.currentData() or detect_format(path)
        except QuickReplyError:
            return
        if kind in ("csv", "xlsx") and path.is_file():
            self._fill_columns(path)

    def _fill_columns(self, path: Path) -> None:
        """Offer the sheet's columns (named by their first cells) for each role."""
        try:
            table = read_table(path)
        except QuickReplyError as exc:
            self.error.setText(shown_error(exc))
            return
        first = table.rows[0] if table.rows else []
        width = max((len(r) for r in table.rows[:50]), default=0)
        guessed = guess_columns(first) or ColumnMap()
        for role, combo in self.columns.items():
            combo.clear()
            if role != "body":
                combo.addItem(tr("(none)"), None)
            for index in range(width):
                sample = first[index].strip()[:20] if index < len(first) else ""
                combo.addItem(f"{index + 1}: {sample}", index)
            current = combo.findData(getattr(guessed, role))
            combo.setCurrentIndex(max(current, 0))
        self.columns_box.setVisible(width > 0)

    def column_map(self) -> ColumnMap | None:
        """The columns chosen in the dialog, or None when no sheet is shown."""
        if not self.columns_box.isVisibleTo(self):
            return None
        values = {role: combo.currentData() for role, combo in self.columns.items()}
        if values["body"] is None:
            return None
        return ColumnMap(values["category"], values["abbrev"], values["body"], values["title"])

    def preview(self) -> ImportPlan | None:
        """Read the source and show what importing it would do; nothing is written."""
        self._stale()
        self.error.clear()
        path = self.path_edit.text().strip()
        if not path:
            self.error.setText(tr("Choose a file or folder to import"))
            return None
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result = read_import(
                Path(path),
                self.format_combo.currentData(),
                keep_unsupported=self.keep_check.isChecked(),
                columns=self.column_map(),
            )
            if self.category_edit.text().strip():
                result = result.with_category(self.category_edit.text())
            self.plan = plan_import(self.store, result)
        except QuickReplyError as exc:
            self.error.setText(shown_error(exc))
            self.preview_text.clear()
            self.summary.clear()
            return None
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.summary.setText(self.plan.summary())
        self.preview_text.setPlainText("\n".join(preview_lines(self.plan, self.store)))
        self.import_button.setEnabled(not self.plan.is_empty)
        return self.plan

    def apply(self) -> bool:
        """Write the previewed import in one step; return whether it was written."""
        if self.plan is None:
            return False
        try:
            apply_import(self.store, self.plan, self.undo_path)
        except QuickReplyError as exc:
            self.error.setText(shown_error(exc))
            return False
        self.summary.setText(
            tr("Imported: {summary}", summary=self.plan.summary())
            + "  "
            + tr("(`quickreply import --undo` takes it back)")
        )
        self.plan = None
        self.import_button.setEnabled(False)
        self.close_button.setText(tr("Close"))
        return True


def preview_lines(plan: ImportPlan, store: LibraryStore) -> list[str]:
    """Return the preview as lines: added, merged, clashes, skipped (and why), notes."""
    names = {c.id: c.name for c in [*store.categories(), *plan.new_categories]}
    lines = [f"{tr('New category')}: {c.name}" for c in plan.new_categories]
    for snippet in plan.added:
        abbrev = f"  ({snippet.abbrev})" if snippet.abbrev else ""
        lines.append(f"+ [{names.get(snippet.category, '')}] {snippet.title}{abbrev}")
    lines += [f"= {m.imported.title} → {m.existing.title}" for m in plan.merged]
    lines += [f"! {clash}" for clash in plan.clashes]
    lines += [
        f"- {translate_message(s.where)}: {translate_message(s.reason)}" for s in plan.skipped
    ]
    lines += [f"· {translate_message(note)}" for note in plan.notes]
    return lines
