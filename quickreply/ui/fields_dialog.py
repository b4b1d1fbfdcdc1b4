"""A small keyboard-only form that asks for the values a snippet needs ({{order}}, {{input:..}} ...)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QWidget

from quickreply.core.i18n import tr
from quickreply.core.render import Field


class FieldsForm(QWidget):
    """One row per field: a line edit, or a combo box for {{choice:..}}. Tab moves, Enter submits.
    `changed` fires on every edit so a preview can follow what the agent types."""

    changed = Signal()

    def __init__(self, fields: list[Field], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fields = fields
        self.editors: dict[str, QLineEdit | QComboBox] = {}
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for field in fields:
            editor: QLineEdit | QComboBox
            if field.is_choice:
                editor = QComboBox()
                editor.addItems(list(field.options))
                editor.currentTextChanged.connect(lambda _text: self.changed.emit())
            else:
                editor = QLineEdit()
                editor.textChanged.connect(lambda _text: self.changed.emit())
            editor.setObjectName(f"field:{field.key}")
            layout.addRow(field.label, editor)
            self.editors[field.key] = editor

    def values(self) -> dict[str, str]:
        """Return what the agent entered, keyed by field key."""
        return {
            key: editor.currentText() if isinstance(editor, QComboBox) else editor.text()
            for key, editor in self.editors.items()
        }

    def focus_first(self) -> None:
        """Put the caret in the first field."""
        if self.editors:
            next(iter(self.editors.values())).setFocus(Qt.FocusReason.OtherFocusReason)


class FieldsDialog(QDialog):
    """Asks for a snippet's missing values before a hotkey or tray insertion."""

    def __init__(self, title: str, fields: list[Field], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Fill in: {title}", title=title))
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint)
        self.form = FieldsForm(fields, self)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Insert"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QFormLayout(self)
        layout.addRow(self.form)
        layout.addRow(buttons)

    def showEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt override
        """Focus the first field as soon as the dialog shows."""
        super().showEvent(event)
        self.activateWindow()
        self.form.focus_first()
