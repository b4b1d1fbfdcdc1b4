"""The WebDAV user name and password of the team drop in Settings, and "Test connection".

The password goes to the OS keyring only (never library.json, never the log); the field stays
empty when one is stored, and an empty field keeps it. The test runs on a worker thread.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from quickreply.app.drop_access import DropCall, check_connection, save_password
from quickreply.core.i18n import tr
from quickreply.core.team.location import is_url


class TeamDropCredentials(QWidget):
    """User, password and a connection test for the drop typed in `location`."""

    def __init__(self, location: QLineEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.location = location
        self.user = QLineEdit()
        self.user.setPlaceholderText(tr("WebDAV user name (empty: no sign-in)"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(tr("Kept in the system keyring; empty: unchanged"))
        self.test_button = QPushButton(tr("Test connection"))
        self.test_button.clicked.connect(self.test)
        self.status = QLabel()
        self.status.setObjectName("team-drop-status")
        self.status.setWordWrap(True)
        self.call = DropCall(self)
        self.call.done.connect(self._tested)
        self.call.failed.connect(self._tested)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.test_button)
        row.addWidget(self.status, 1)

    def test(self) -> bool:
        """Start the connection test on a worker thread; False when there is nothing to test."""
        location = self.location.text().strip()
        if not location:
            self.status.setText(tr("Give a folder or an http(s) WebDAV URL first"))
            return False
        user, password = self.user.text().strip(), self.password.text()
        if not self.call.start(lambda: check_connection(location, user, password)):
            return False
        self.test_button.setEnabled(False)
        self.status.setText(tr("Connecting…"))
        return True

    def store_password(self) -> None:
        """Keep a typed password in the keyring (for a WebDAV URL); raise QuickReplyError."""
        location, password = self.location.text().strip(), self.password.text()
        if password and is_url(location) and self.user.text().strip():
            save_password(location, self.user.text().strip(), password)
            self.password.clear()

    def _tested(self, message: str) -> None:
        self.test_button.setEnabled(True)
        self.status.setText(message)
