"""Standard dialog buttons in the interface language (Qt's own translations are not shipped)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

from quickreply.core.i18n import tr

_TEXTS = {
    QDialogButtonBox.StandardButton.Ok: "OK",
    QDialogButtonBox.StandardButton.Save: "Save",
    QDialogButtonBox.StandardButton.Cancel: "Cancel",
    QDialogButtonBox.StandardButton.Close: "Close",
}


def translate_buttons(box: QDialogButtonBox) -> None:
    """Give the standard buttons of `box` (OK, Save, Cancel, Close) translated texts."""
    for standard, text in _TEXTS.items():
        button = box.button(standard)
        if button is not None:
            button.setText(tr(text))
