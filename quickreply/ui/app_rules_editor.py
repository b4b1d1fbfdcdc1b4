"""Editing the per-application rules in the settings dialog: one row per rule, first match wins."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from quickreply.core.app_rules import (
    IMAGE_PASTE_MODES,
    INSERT_MODES,
    NEWLINE_KEYS,
    PASTE_KEYS,
    SEND_KEYS,
    default_rule_dicts,
)
from quickreply.core.i18n import tr

TEXT_COLUMNS = ("name", "process", "window_class", "title")
CHOICE_COLUMNS = (
    ("paste_keys", PASTE_KEYS),
    ("send_key", SEND_KEYS),
    ("newline_key", NEWLINE_KEYS),
    ("insert_mode", INSERT_MODES),
)
SWITCH_COLUMNS = ("hotkeys", "abbreviations", "chat")
LAST_CHOICE_COLUMNS = (("image_paste_mode", IMAGE_PASTE_MODES),)  # after the switches
_UNCONFIRMED = Qt.ItemDataRole.UserRole


def _headers() -> list[str]:
    return [
        tr("Name"),
        tr("Programs"),
        tr("Window class"),
        tr("Title pattern"),
        tr("Paste keys"),
        tr("Send key"),
        tr("New line"),
        tr("Insert by"),
        tr("Hotkeys"),
        tr("Abbreviations"),
        tr("Chat app"),
        tr("Images"),
    ]


class AppRulesEditor(QWidget):
    """A table of app rules with add, remove, move and restore-defaults buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, len(_headers()))
        self.table.setHorizontalHeaderLabels(_headers())
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.only_chat = QCheckBox(tr("Only in chat applications"))
        note = QLabel(
            tr(
                "The first rule that matches the focused window applies: its programs (process "
                "names, comma-separated), window class and title pattern must all fit. Empty "
                "choices use the Insertion settings. Process names on yellow could not be confirmed; "
                "`quickreply doctor --active-window` shows a window's real process name. With "
                "“Only in chat applications”, hotkeys work only in windows of rules marked Chat app."
            )
        )
        note.setWordWrap(True)
        buttons = QHBoxLayout()
        for text, slot in (
            (tr("Add rule"), self.add_rule),
            (tr("Remove rule"), self.remove_rule),
            (tr("Move up"), lambda: self.move_rule(-1)),
            (tr("Move down"), lambda: self.move_rule(1)),
            (tr("Restore default rules"), lambda: self.set_rules(default_rule_dicts())),
        ):
            button = QPushButton(text)
            button.clicked.connect(lambda _checked=False, slot=slot: slot())
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.only_chat)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def set_rules(self, rules: list[dict[str, Any]]) -> None:
        """Show `rules` (their stored form)."""
        self.table.setRowCount(0)
        for rule in rules:
            self._append(rule)

    def add_rule(self) -> None:
        """Add an empty rule at the end (it needs a name and something to match)."""
        self._append({"name": tr("New rule")})
        self.table.setCurrentCell(self.table.rowCount() - 1, 0)

    def remove_rule(self) -> None:
        """Remove the selected rule."""
        if self.table.currentRow() >= 0:
            self.table.removeRow(self.table.currentRow())

    def move_rule(self, step: int) -> None:
        """Move the selected rule up (-1) or down (1): earlier rules win."""
        rules = self.rules()
        row = self.table.currentRow()
        other = row + step
        if row < 0 or not 0 <= other < len(rules):
            return
        rules[row], rules[other] = rules[other], rules[row]
        self.set_rules(rules)
        self.table.setCurrentCell(other, 0)

    def rules(self) -> list[dict[str, Any]]:
        """Return the rules as shown, in their stored form (AppRule.to_dict; validated on save)."""
        rules = []
        for row in range(self.table.rowCount()):
            rule: dict[str, Any] = {}
            for column, key in enumerate(TEXT_COLUMNS):
                item = self.table.item(row, column)
                text = item.text().strip() if item is not None else ""
                if key in ("process", "window_class"):
                    rule[key] = [part.strip() for part in text.split(",") if part.strip()]
                else:
                    rule[key] = text
            for offset, (key, _choices) in enumerate(CHOICE_COLUMNS):
                box = self.table.cellWidget(row, len(TEXT_COLUMNS) + offset)
                rule[key] = box.currentData() if isinstance(box, QComboBox) else None
            for offset, key in enumerate(SWITCH_COLUMNS):
                box = self.table.cellWidget(row, len(TEXT_COLUMNS) + len(CHOICE_COLUMNS) + offset)
                rule[key] = box.isChecked() if isinstance(box, QCheckBox) else True
            for offset, (key, _choices) in enumerate(LAST_CHOICE_COLUMNS):
                box = self.table.cellWidget(row, _LAST_CHOICES_AT + offset)
                rule[key] = box.currentData() if isinstance(box, QComboBox) else None
            name_item = self.table.item(row, 0)
            rule["unconfirmed"] = bool(name_item is not None and name_item.data(_UNCONFIRMED))
            rules.append(rule)
        return rules

    def _append(self, rule: dict[str, Any]) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, key in enumerate(TEXT_COLUMNS):
            value = rule.get(key, "")
            text = ", ".join(value) if isinstance(value, list) else str(value or "")
            item = QTableWidgetItem(text)
            if rule.get("unconfirmed") and column < 2:
                item.setData(_UNCONFIRMED, True)
                item.setBackground(QColor("#fff3c4"))
                item.setToolTip(tr("Process names not confirmed: please check them"))
            self.table.setItem(row, column, item)
        for offset, (key, choices) in enumerate(CHOICE_COLUMNS):
            self.table.setCellWidget(
                row, len(TEXT_COLUMNS) + offset, _choice(choices, rule.get(key))
            )
        for offset, key in enumerate(SWITCH_COLUMNS):
            check = QCheckBox()
            check.setChecked(bool(rule.get(key, True)))
            self.table.setCellWidget(row, len(TEXT_COLUMNS) + len(CHOICE_COLUMNS) + offset, check)
        for offset, (key, choices) in enumerate(LAST_CHOICE_COLUMNS):
            self.table.setCellWidget(
                row, _LAST_CHOICES_AT + offset, _choice(choices, rule.get(key))
            )


_LAST_CHOICES_AT = len(TEXT_COLUMNS) + len(CHOICE_COLUMNS) + len(SWITCH_COLUMNS)


def _choice(choices: tuple[str, ...], value: object) -> QComboBox:
    """A rule's choice: "(default)" (the Insertion setting) or one of `choices`."""
    box = QComboBox()
    box.addItem(tr("(default)"), None)
    for choice in choices:
        box.addItem(choice, choice)
    box.setCurrentIndex(max(0, box.findData(value)))
    return box
