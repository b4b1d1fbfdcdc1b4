"""The settings dialog: every field of core.settings.Settings, saved through save_settings.

A bad value is shown in the dialog, next to the buttons, and nothing is saved until it is fixed.
Hotkey and insertion settings take effect at once; the interface language after a restart.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from quickreply.app.controller import Controller
from quickreply.core.errors import QuickReplyError, ValidationError
from quickreply.core.hotkey import normalize_hotkey
from quickreply.core.i18n import tr
from quickreply.core.language import is_chinese
from quickreply.core.library.settings import (
    Settings,
    load_settings,
    save_settings,
    validate_settings,
)
from quickreply.core.library.store import LibraryStore
from quickreply.core.render import SHOP_FACTS, VARIABLES, default_values
from quickreply.ui.app_rules_editor import AppRulesEditor
from quickreply.ui.hotkey_edit import HotkeyEdit
from quickreply.ui.problem_text import shown_error
from quickreply.ui.screen_fit import fit_to_screen
from quickreply.ui.team_drop_fields import TeamDropCredentials
from quickreply.ui.widgets import error_label

LANGUAGES = (("auto", "Automatic (system language)"), ("zh-CN", "中文"), ("en", "English"))
BACKENDS = (
    ("auto", "Automatic"),
    ("x11", "X11"),
    ("win32", "RegisterHotKey"),
    ("keyboard", "keyboard"),
)
INSERT_MODES = (("paste", "Paste (clipboard and paste keys)"), ("type", "Type the text key by key"))
IMAGE_PASTE_MODES = (
    ("separate", "Each image its own paste, then the text"),
    ("combined", "One paste: HTML with the images, and the text"),
    ("text_only", "Text only (leave the images out)"),
)
END_KEYS = (("space", "Space"), ("tab", "Tab"), ("none", "Nothing (expand at once)"))


def _spin(low: int, high: int, suffix: str) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setSuffix(suffix)
    return box


def _combo(choices: tuple[tuple[str, str], ...]) -> QComboBox:
    box = QComboBox()
    for value, label in choices:
        box.addItem(tr(label), value)
    return box


def _explained(check: QCheckBox, explanation: str) -> QWidget:
    note = QLabel(explanation)
    note.setWordWrap(True)
    note.setStyleSheet("color: #555")
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(check)
    layout.addWidget(note)
    return box


class SettingsDialog(QDialog):
    """Edits the settings; Save validates and stores them, or shows what is wrong."""

    def __init__(
        self, controller: Controller, store: LibraryStore, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.store = store
        self.setWindowTitle(tr("QuickReply settings"))
        fit_to_screen(self, 900, 560)
        self.language = _combo(LANGUAGES)
        self.palette_hotkey = HotkeyEdit()
        self.suggest_hotkey = HotkeyEdit()
        self.suggest_hotkey.setObjectName("suggest-hotkey")
        self.hotkey_warning = QLabel()
        self.hotkey_warning.setWordWrap(True)
        self.hotkey_backend = _combo(BACKENDS)
        self.insert_mode = _combo(INSERT_MODES)
        self.image_paste_mode = _combo(IMAGE_PASTE_MODES)
        self.paste_keys = HotkeyEdit(allow_reserved=True)
        for recorder in (self.palette_hotkey, self.paste_keys):
            recorder.recording.connect(controller.suspend_hotkeys)
        self.app_paste_keys = self._table((tr("Program (e.g. wechat.exe)"), tr("Paste keys")))
        self.clipboard_restore_ms = _spin(50, 5000, " ms")
        self.shop_facts = self._table((tr("Fact"), tr("Value (empty: default)"), tr("Default")))
        self.typing_cjk = _spin(5, 400, tr(" characters/min"))
        self.typing_latin = _spin(5, 200, tr(" words/min"))
        self.retention = _spin(1, 120, tr(" months"))
        self.reply_speed = QCheckBox(tr("Measure my reply speed"))
        self.window_titles = QCheckBox(tr("Record window titles with each insertion"))
        self.subscription_minutes = _spin(5, 24 * 60, tr(" min"))
        self.app_rules = AppRulesEditor()
        self.abbreviations = QCheckBox(tr("Expand abbreviations typed in any program"))
        self.abbreviation_end_key = _combo(END_KEYS)
        self.agent_name = QLineEdit()
        self.agent_name.setPlaceholderText(tr("e.g. 小王 (empty: your computer user name)"))
        self.team_drop = QLineEdit()
        self.team_drop.setPlaceholderText(tr("Folder or http(s) WebDAV URL; empty: not shared"))
        self.team_publish_minutes = _spin(1, 24 * 60, tr(" min"))
        self.team_credentials = TeamDropCredentials(self.team_drop)
        self.problems = error_label()
        self.problems.setObjectName("settings-problems")

        tabs = QTabWidget()
        tabs.addTab(self._general_tab(), tr("General"))
        tabs.addTab(self._insertion_tab(), tr("Insertion"))
        tabs.addTab(self.app_rules, tr("Applications"))
        tabs.addTab(self._facts_tab(), tr("Shop facts"))
        tabs.addTab(self._usage_tab(), tr("Statistics and privacy"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr("Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(self.problems)
        layout.addWidget(buttons)
        self.palette_hotkey.changed.connect(self._palette_hotkey_changed)
        self.palette_hotkey.rejected.connect(self.hotkey_warning.setText)
        self.suggest_hotkey.rejected.connect(self.hotkey_warning.setText)
        self.load(load_settings(self.store))

    # -- layout ----------------------------------------------------------------------------------

    def _table(self, headers: tuple[str, ...]) -> QTableWidget:
        table = QTableWidget(0, len(headers))
        table.setHorizontalHeaderLabels(list(headers))
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        table.verticalHeader().hide()
        return table

    def _general_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.addRow(tr("Language"), self.language)
        form.addRow(tr("Your name in team reports"), self.agent_name)
        form.addRow("", QLabel(tr("A new language applies after QuickReply restarts.")))
        form.addRow(tr("Search palette hotkey"), self.palette_hotkey)
        form.addRow(tr("Suggest hotkey (reads the selected buyer message)"), self.suggest_hotkey)
        form.addRow("", self.hotkey_warning)
        form.addRow(tr("Hotkey method"), self.hotkey_backend)
        form.addRow(tr("Check subscribed packs every"), self.subscription_minutes)
        form.addRow(tr("Team drop for usage"), self.team_drop)
        form.addRow(tr("WebDAV user"), self.team_credentials.user)
        form.addRow(tr("WebDAV password"), self.team_credentials.password)
        form.addRow("", self.team_credentials)
        form.addRow(tr("Publish usage every"), self.team_publish_minutes)
        return page

    def _insertion_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.addRow(tr("Insert by"), self.insert_mode)
        form.addRow(tr("Paste keys"), self.paste_keys)
        form.addRow(tr("Images of a snippet"), self.image_paste_mode)
        form.addRow(tr("Restore the clipboard after at most"), self.clipboard_restore_ms)
        add = QPushButton(tr("Add program"))
        add.clicked.connect(lambda: self._add_row(self.app_paste_keys, "", "ctrl+v"))
        remove = QPushButton(tr("Remove program"))
        remove.clicked.connect(
            lambda: self.app_paste_keys.removeRow(self.app_paste_keys.currentRow())
        )
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        form.addRow(
            _explained(
                self.abbreviations,
                tr(
                    "Off unless you turn it on. Type a snippet's abbreviation, then the end key, "
                    "in any chat window: the abbreviation is deleted and the snippet inserted. "
                    "Start abbreviations with ; or / (e.g. ;hy, /tk) so they never collide with "
                    "pinyin typing; full-width ；／ count too. BackSpace right after takes it "
                    "back. QuickReply only keeps the last few characters in memory to match them "
                    "and never writes what you type anywhere. On Linux (X11) it cannot tell "
                    "password fields or an input method's composition, so keep the prefix."
                ),
            )
        )
        form.addRow(tr("Abbreviation ends with"), self.abbreviation_end_key)
        group = QGroupBox(tr("Other paste keys for some programs"))
        group_layout = QVBoxLayout(group)
        group_layout.addWidget(self.app_paste_keys)
        group_layout.addLayout(row)
        form.addRow(group)
        return page

    def _facts_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        note = QLabel(tr("Filled into snippets wherever their placeholder appears, e.g. {{shop}}."))
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addWidget(self.shop_facts)
        return page

    def _usage_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.addRow(tr("My typing speed, Chinese"), self.typing_cjk)
        form.addRow(tr("My typing speed, English"), self.typing_latin)
        form.addRow(tr("Keep usage history for"), self.retention)
        form.addRow(
            _explained(
                self.reply_speed,
                tr(
                    "Reply speed (off unless you turn it on): QuickReply counts key presses in the "
                    "chat window to measure how long each reply took, from the first key after you "
                    "sent the previous one to the Enter that sends it, and whether a snippet was "
                    "used. It never records which keys you press or what you type. The statistics "
                    "then show the share of replies within 15 s, 30 s and 3 minutes."
                ),
            )
        )
        form.addRow(
            _explained(
                self.window_titles,
                tr(
                    "Window titles can contain a buyer's name or an order number; they are kept "
                    "only on this computer and only when this is on."
                ),
            )
        )
        return page

    def _add_row(
        self, table: QTableWidget, key: str, value: str, editable_key: bool = True
    ) -> QTableWidgetItem:
        row = table.rowCount()
        table.insertRow(row)
        key_item = QTableWidgetItem(key)
        if not editable_key:
            key_item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        value_item = QTableWidgetItem(value)
        table.setItem(row, 0, key_item)
        table.setItem(row, 1, value_item)
        return value_item

    # -- values ----------------------------------------------------------------------------------

    def load(self, settings: Settings) -> None:
        """Show `settings` in the fields."""
        self._original = settings
        for box, value in (
            (self.language, settings.language),
            (self.hotkey_backend, settings.hotkey_backend),
            (self.insert_mode, settings.insert_mode),
            (self.image_paste_mode, settings.image_paste_mode),
        ):
            box.setCurrentIndex(max(0, box.findData(value)))
        self.palette_hotkey.set_combo(settings.palette_hotkey)
        self.suggest_hotkey.set_combo(settings.suggest_hotkey)
        self.paste_keys.set_combo(settings.paste_keys)
        self.app_paste_keys.setRowCount(0)
        for program, keys in sorted(settings.app_paste_keys.items()):
            self._add_row(self.app_paste_keys, program, keys)
        chinese = is_chinese(self.controller.settings.ui_language())
        defaults = default_values(self.controller.settings.ui_language())
        self.shop_facts.setRowCount(0)
        for name in SHOP_FACTS:
            variable = VARIABLES[name]
            label = variable.label_zh if chinese else variable.label_en
            cell = self._add_row(self.shop_facts, label, settings.shop_facts.get(name, ""), False)
            cell.setToolTip(tr("Default: {value}", value=defaults[name]))
            default = QTableWidgetItem(defaults[name])
            default.setFlags(Qt.ItemFlag.ItemIsEnabled)  # shown, not edited
            default.setToolTip(defaults[name])
            self.shop_facts.setItem(cell.row(), 2, default)
        self.clipboard_restore_ms.setValue(settings.clipboard_restore_ms)
        self.typing_cjk.setValue(settings.typing_speed_cjk_cpm)
        self.typing_latin.setValue(settings.typing_speed_latin_wpm)
        self.retention.setValue(settings.usage_retention_months)
        self.reply_speed.setChecked(settings.reply_speed_tracking)
        self.window_titles.setChecked(settings.record_window_titles)
        self.subscription_minutes.setValue(settings.subscription_check_minutes)
        self.abbreviations.setChecked(settings.abbreviations == "on")
        box = self.abbreviation_end_key
        box.setCurrentIndex(max(0, box.findData(settings.abbreviation_end_key)))
        self.app_rules.set_rules(settings.app_rules)
        self.app_rules.only_chat.setChecked(settings.only_chat_apps)
        self.agent_name.setText(settings.agent_name)
        self.team_drop.setText(settings.team_drop)
        self.team_credentials.user.setText(settings.team_drop_user)
        self.team_publish_minutes.setValue(settings.team_publish_minutes)
        self.problems.clear()

    def settings(self) -> Settings:
        """Return the Settings the fields describe; raise ValidationError for bad paste keys."""
        problems: list[str] = []
        per_app: dict[str, str] = {}
        for row in range(self.app_paste_keys.rowCount()):
            program = _cell(self.app_paste_keys, row, 0).strip().lower()
            keys = _cell(self.app_paste_keys, row, 1).strip()
            if not program:
                continue
            try:
                per_app[program] = normalize_hotkey(keys)
            except ValidationError as exc:
                problems.append(f"{program}: {exc}")
        facts = {
            name: _cell(self.shop_facts, row, 1).strip()
            for row, name in enumerate(SHOP_FACTS)
            if _cell(self.shop_facts, row, 1).strip()
        }
        if problems:
            raise ValidationError(problems)
        return replace(
            self._original,
            language=self.language.currentData(),
            palette_hotkey=self.palette_hotkey.combo(),
            suggest_hotkey=self.suggest_hotkey.combo(),
            hotkey_backend=self.hotkey_backend.currentData(),
            insert_mode=self.insert_mode.currentData(),
            image_paste_mode=self.image_paste_mode.currentData(),
            paste_keys=self.paste_keys.combo(),
            app_paste_keys=per_app,
            clipboard_restore_ms=self.clipboard_restore_ms.value(),
            shop_facts=facts,
            typing_speed_cjk_cpm=self.typing_cjk.value(),
            typing_speed_latin_wpm=self.typing_latin.value(),
            usage_retention_months=self.retention.value(),
            reply_speed_tracking=self.reply_speed.isChecked(),
            record_window_titles=self.window_titles.isChecked(),
            subscription_check_minutes=self.subscription_minutes.value(),
            abbreviations="on" if self.abbreviations.isChecked() else "off",
            abbreviation_end_key=self.abbreviation_end_key.currentData(),
            app_rules=self.app_rules.rules(),
            only_chat_apps=self.app_rules.only_chat.isChecked(),
            agent_name=self.agent_name.text().strip(),
            team_drop=self.team_drop.text().strip(),
            team_drop_user=self.team_credentials.user.text().strip(),
            team_publish_minutes=self.team_publish_minutes.value(),
        )

    def _palette_hotkey_changed(self, combo: str) -> None:
        warnings = []
        refused = self.controller.probe_hotkey(combo) if combo else None
        if refused:
            warnings.append(tr("The system refuses this hotkey: {reason}", reason=refused))
        users = [s.title for s in self.store.snippets() if combo and s.hotkey == combo]
        users += [c.name for c in self.store.categories() if combo and c.hotkey == combo]
        if users:
            warnings.append(
                tr("“{name}” uses it too; the search palette will take it over", name=users[0])
            )
        self.hotkey_warning.setText("\n".join(warnings))

    def save(self) -> bool:
        """Validate and store the settings, then close; show the problems instead if any."""
        try:
            settings = self.settings()
            validate_settings(settings)
            self.team_credentials.store_password()
            save_settings(self.store, settings)
        except ValidationError as exc:
            self.problems.setText(shown_error(exc))
            return False
        except QuickReplyError as exc:  # no keyring for the password: nothing saved
            self.problems.setText(str(exc))
            return False
        if settings.language != self._original.language and settings.language != "auto":
            self.controller.prefer_default_pack(settings.language)  # its replies on the hotkeys
        self.accept()
        return True


def _cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    return item.text() if item is not None else ""
