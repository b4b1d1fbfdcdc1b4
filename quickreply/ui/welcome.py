"""The first-run welcome window: the three main hotkeys with a box to try them, the agent's facts.

Shown once on the first start (the `welcome_shown` setting), and again from the tray menu's
"Welcome / help". It follows the interface language like every window (tr). The "try it" box is a
plain editor: a hotkey pressed while it has focus goes through the normal insertion path.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from quickreply.app.controller import HotkeyAction
from quickreply.core.errors import QuickReplyError
from quickreply.core.hotkey import parse_hotkey
from quickreply.core.i18n import tr
from quickreply.core.library.settings import Settings
from quickreply.ui.problem_text import shown_error
from quickreply.ui.settings_dialog import LANGUAGES
from quickreply.ui.widgets import error_label

_END_KEYS = {"space": "Space", "tab": "Tab", "none": "no key (it expands at once)"}


def abbreviation_help(end_key: str) -> str:
    """Return the welcome window's explanation of typed abbreviations for `end_key`."""
    return tr(
        "<b>Typed abbreviations</b> (off until you turn them on): type a reply's abbreviation "
        "in any chat window, then press {end}: the abbreviation is deleted and the reply "
        "inserted. Start abbreviations with ; or / (for example ;hy for a greeting) so they "
        "never clash with pinyin typing. Pressing BackSpace right after (within 3 seconds) "
        "takes the reply back and types your abbreviation again.",
        end=tr(_END_KEYS.get(end_key, "Space")),
    )


def main_hotkeys(active: dict[str, HotkeyAction]) -> list[tuple[str, str]]:
    """Return up to three (hotkey as shown, what it does): palette, a snippet, a category menu."""
    chosen: list[tuple[str, str]] = []
    for kind, label in (
        ("palette", tr("Search all replies")),
        ("snippet", tr("Insert “{title}”")),
        ("category", tr("Pick from the “{title}” menu")),
    ):
        for combo, action in active.items():
            if action.kind == kind:
                chosen.append((parse_hotkey(combo).display(), label.format(title=action.label)))
                break
    return chosen


class WelcomeWindow(QDialog):
    """Hotkeys to try, typed abbreviations explained, language, shop name, agent name, typing
    speed and start with the computer."""

    def __init__(
        self,
        settings: Settings,
        hotkeys: list[tuple[str, str]],
        autostart_enabled: bool,
        save: Callable[[Settings, bool], None],
        parent: QWidget | None = None,
    ) -> None:
        """`save(settings, start_with_computer)` stores both; it raises QuickReplyError."""
        super().__init__(parent)
        self._settings = settings
        self._save = save
        self.setWindowTitle(tr("Welcome to QuickReply"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            tr(
                "QuickReply puts your shop's approved replies into any chat window. "
                "Click in the box below and press one of these keys:"
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        keys = QFormLayout()
        for shown, meaning in hotkeys:
            key = QLabel(f"<b>{shown}</b>")
            key.setTextFormat(Qt.TextFormat.RichText)
            keys.addRow(key, QLabel(meaning))
        layout.addLayout(keys)
        self.try_box = QPlainTextEdit()
        self.try_box.setPlaceholderText(tr("Try it here: press a hotkey and the reply appears"))
        self.try_box.setFixedHeight(90)
        layout.addWidget(self.try_box)
        self.abbreviation_help = QLabel(abbreviation_help(settings.abbreviation_end_key))
        self.abbreviation_help.setTextFormat(Qt.TextFormat.RichText)
        self.abbreviation_help.setWordWrap(True)
        layout.addWidget(self.abbreviation_help)
        self.abbreviations = QCheckBox(tr("Expand abbreviations typed in any program"))
        self.abbreviations.setChecked(settings.abbreviations == "on")
        layout.addWidget(self.abbreviations)
        facts = QFormLayout()
        self.language = QComboBox()
        for value, label in LANGUAGES:
            self.language.addItem(tr(label), value)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        self.shop = QLineEdit(settings.shop_facts.get("shop", ""))
        self.shop.setPlaceholderText(tr("used for {{shop}} in replies"))
        self.agent = QLineEdit(settings.shop_facts.get("agent", ""))
        self.agent.setPlaceholderText(tr("used for {{agent}} in replies"))
        self.typing_speed = QSpinBox()
        self.typing_speed.setRange(10, 300)
        self.typing_speed.setSuffix(tr(" characters/min"))
        self.typing_speed.setValue(settings.typing_speed_cjk_cpm)
        self.autostart = QCheckBox(tr("Start QuickReply with the computer"))
        self.autostart.setChecked(autostart_enabled)
        facts.addRow(tr("Language (its default replies go on the hotkeys)"), self.language)
        facts.addRow(tr("Shop name"), self.shop)
        facts.addRow(tr("Your name (agent)"), self.agent)
        facts.addRow(tr("Your typing speed"), self.typing_speed)
        facts.addRow("", self.autostart)
        layout.addLayout(facts)
        self.problems = error_label()
        layout.addWidget(self.problems)
        buttons = QDialogButtonBox()
        buttons.addButton(tr("Start"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.save)
        layout.addWidget(buttons)

    def settings(self) -> Settings:
        """Return the settings with this window's fields applied and the welcome marked shown."""
        facts = dict(self._settings.shop_facts)
        for name, field in (("shop", self.shop), ("agent", self.agent)):
            value = field.text().strip()
            if value:
                facts[name] = value
            else:
                facts.pop(name, None)
        return replace(
            self._settings,
            shop_facts=facts,
            typing_speed_cjk_cpm=self.typing_speed.value(),
            language=self.language.currentData(),
            abbreviations="on" if self.abbreviations.isChecked() else "off",
            welcome_shown=True,
        )

    def save(self) -> bool:
        """Store the fields and close; show the problem instead when storing fails."""
        try:
            self._save(self.settings(), self.autostart.isChecked())
        except QuickReplyError as exc:
            self.problems.setText(shown_error(exc))
            return False
        self.accept()
        return True
