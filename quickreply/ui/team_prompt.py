"""The one-time question when a lead's pack suggests a team drop: what is shared, yes or no."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from quickreply.core.i18n import tr
from quickreply.core.library.store import LibraryStore
from quickreply.core.team.suggestion import DropSuggestion, answer_suggestion, pending_suggestion


def suggestion_box(suggestion: DropSuggestion, parent: QWidget | None = None) -> QMessageBox:
    """Return the question for `suggestion` (not shown yet), saying exactly what is shared."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(tr("Share usage with your team lead?"))
    box.setText(
        tr(
            "The pack “{pack}” suggests publishing your usage to {location}.",
            pack=suggestion.pack_name,
            location=suggestion.location,
        )
    )
    box.setInformativeText(
        tr(
            "Shared: your agent name and id, which snippets you used, how often, and timings "
            "(pick, insert and reply times). Never shared: what you or buyers typed, snippet "
            "text or window titles. You can change this later in Settings."
        )
    )
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box


def ask_team_drop(store: LibraryStore, parent: QWidget | None = None) -> bool | None:
    """Ask once about a pack's team drop; return the answer, or None when nothing was asked."""
    suggestion = pending_suggestion(store)
    if suggestion is None:
        return None
    accepted = suggestion_box(suggestion, parent).exec() == QMessageBox.StandardButton.Yes
    answer_suggestion(store, suggestion, accepted)
    return accepted
