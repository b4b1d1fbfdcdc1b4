"""Pack dialogs: a lead exports chosen categories or snippets as a pack, an agent installs one
(file, folder, URL or a lead's index), and a lead turns agents' usage exports into a team report.

The manager window and the tray menu open these; all work is done by quickreply.core.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
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
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from quickreply.app.drop_access import DropCall
from quickreply.core.errors import QuickReplyError
from quickreply.core.i18n import tr
from quickreply.core.library.model import now_iso
from quickreply.core.library.settings import Settings, load_settings
from quickreply.core.library.store import LibraryStore
from quickreply.core.packs.export import (
    guess_language,
    pack_from_library,
    pack_id_from_name,
    suggested_version,
    with_version,
)
from quickreply.core.packs.file import PackFile, write_pack_file
from quickreply.core.packs.format import PACK_ID, SEMVER, Pack, PackManifest
from quickreply.core.packs.index import INDEX_NAME, MAX_INDEX_BYTES, IndexEntry, parse_index
from quickreply.core.packs.manage import install_from, source_kind
from quickreply.core.packs.signing import load_signing_key
from quickreply.core.packs.sources import fetch, is_url
from quickreply.core.packs.subscriptions import UpdateReport
from quickreply.core.team.read import ReadCounts
from quickreply.core.team.report import DropReport
from quickreply.core.usage.team_report import TeamReport, write_team_report
from quickreply.ui.buttons import translate_buttons
from quickreply.ui.problem_text import shown_error
from quickreply.ui.widgets import error_label


def _path_row(edit: QLineEdit, button_text: str, pick: Callable[[], None]) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(edit, 1)
    button = QPushButton(button_text)
    button.clicked.connect(pick)
    layout.addWidget(button)
    return row


class ExportPackDialog(QDialog):
    """Export the chosen categories and snippets as a .qrpack, optionally signed."""

    def __init__(
        self,
        store: LibraryStore,
        category_ids: list[str],
        snippet_ids: list[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Export as pack"))
        self.store = store
        self.category_ids = list(category_ids)
        self.snippet_ids = list(snippet_ids)
        self.written: PackFile | None = None
        self._version_edited = False
        settings = load_settings(store)  # author and key are remembered from the last export
        self.name_edit = QLineEdit()
        self.id_edit = QLineEdit()
        self.version_edit = QLineEdit()
        self.version_hint = QLabel()
        self.author_edit = QLineEdit(settings.pack_author)
        self.description_edit = QLineEdit()
        self.lock_check = QCheckBox(tr("Locked: agents cannot edit these snippets"))
        self.sign_check = QCheckBox(tr("Sign with my key"))
        self.key_edit = QLineEdit(settings.pack_signing_key)
        self.sign_check.setChecked(bool(self.key_edit.text()))
        self.output_edit = QLineEdit()
        self.summary = QLabel()
        self.error = error_label()
        form = QFormLayout()
        form.addRow(tr("Name"), self.name_edit)
        form.addRow(tr("Pack id"), self.id_edit)
        form.addRow(tr("Version"), self.version_edit)
        form.addRow("", self.version_hint)
        form.addRow(tr("Author"), self.author_edit)
        form.addRow(tr("Description"), self.description_edit)
        form.addRow("", self.lock_check)
        form.addRow(self.sign_check, _path_row(self.key_edit, tr("Key…"), self._pick_key))
        form.addRow(tr("Save as"), _path_row(self.output_edit, tr("Browse…"), self._pick_output))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        translate_buttons(buttons)
        buttons.accepted.connect(self.export)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.name_edit.textEdited.connect(self._name_changed)
        self.id_edit.editingFinished.connect(self._suggest_version)
        self.version_edit.textEdited.connect(self._version_typed)
        self._fill_defaults()

    def _fill_defaults(self) -> None:
        names = [self.store.category(c).name for c in self.category_ids]
        self.name_edit.setText(" / ".join(names[:3]) or tr("Team replies"))
        self._name_changed(self.name_edit.text())
        try:
            pack = self._build("1.0.0")
        except QuickReplyError as exc:
            self.error.setText(shown_error(exc))
            return
        self.summary.setText(
            tr(
                "{snippets} snippets in {categories} categories",
                snippets=len(pack.snippets),
                categories=len(pack.categories),
            )
        )

    def _name_changed(self, name: str) -> None:
        self.id_edit.setText(pack_id_from_name(name))
        self.output_edit.setText(str(Path.home() / f"{self.id_edit.text()}.qrpack"))
        self._suggest_version()

    def _version_typed(self, _text: str) -> None:
        self._version_edited = True

    def _suggest_version(self) -> None:
        """Fill the version from the installed pack of this id and what changed since."""
        if not PACK_ID.match(self.id_edit.text()):
            return
        try:
            pack = self._build("1.0.0")
        except QuickReplyError:
            return
        version = suggested_version(self.store, pack)
        if version == "1.0.0":
            self.version_hint.setText(tr("first version"))
        else:
            self.version_hint.setText(tr("suggested from the installed version and the changes"))
        if not self._version_edited:
            self.version_edit.setText(version)

    def _build(self, version: str) -> Pack:
        manifest = PackManifest(
            id=self.id_edit.text().strip(),
            name=self.name_edit.text().strip(),
            version=version,
            author=self.author_edit.text().strip(),
            description=self.description_edit.text().strip(),
            created=now_iso(),
        )
        pack = pack_from_library(
            self.store,
            manifest,
            category_ids=self.category_ids,
            snippet_ids=self.snippet_ids,
            lock=self.lock_check.isChecked(),
        )
        language = guess_language(pack.snippets)
        return Pack(replace(pack.manifest, language=language), pack.categories, pack.snippets)

    def _pick_key(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Your secret key"), self.key_edit.text())
        if path:
            self.key_edit.setText(path)
            self.sign_check.setChecked(True)

    def _pick_output(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, tr("Save pack"), self.output_edit.text(), "QuickReply pack (*.qrpack)"
        )
        if path:
            self.output_edit.setText(path if path.endswith(".qrpack") else path + ".qrpack")

    def export(self) -> PackFile | None:
        """Write the pack; on success remember author and key and close, else show why."""
        version = self.version_edit.text().strip()
        output = self.output_edit.text().strip()
        problems = []
        if not SEMVER.match(version):
            problems.append(tr("Version must look like 1.2.0"))
        if not output:
            problems.append(tr("Choose where to save the pack"))
        if problems:
            self.error.setText("; ".join(problems))
            return None
        try:
            key = None
            if self.sign_check.isChecked():
                key = load_signing_key(Path(self.key_edit.text().strip()))
            pack = with_version(self._build(version), version)
            self.written = write_pack_file(Path(output), pack, key=key)
            self.store.set_settings(
                pack_author=self.author_edit.text().strip(),
                pack_signing_key=self.key_edit.text().strip() if key else "",
            )
        except QuickReplyError as exc:
            self.error.setText(shown_error(exc))
            return None
        self.accept()
        return self.written


def export_pack_from_selection(
    store: LibraryStore,
    category_ids: list[str],
    snippet_ids: list[str],
    parent: QWidget | None = None,
) -> PackFile | None:
    """Show the export dialog for the selection; return the written pack, or None if cancelled."""
    dialog = ExportPackDialog(store, category_ids, snippet_ids, parent)
    dialog.exec()
    return dialog.written


class InstallPackDialog(QDialog):
    """Install a pack from a file, a folder, a URL or a lead's index (then choose the pack)."""

    def __init__(self, store: LibraryStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Install pack"))
        self.store = store
        self.report: UpdateReport | None = None
        self.source_edit = QLineEdit()
        self.source_edit.setPlaceholderText(tr("A .qrpack file, a folder, or an http(s) address"))
        file_button = QPushButton(tr("File…"))
        folder_button = QPushButton(tr("Folder…"))
        list_button = QPushButton(tr("List packs"))
        file_button.clicked.connect(self._pick_file)
        folder_button.clicked.connect(self._pick_folder)
        list_button.clicked.connect(self.list_index)
        row = QHBoxLayout()
        row.addWidget(self.source_edit, 1)
        for button in (file_button, folder_button, list_button):
            row.addWidget(button)
        self.pack_combo = QComboBox()
        self.pack_combo.setEnabled(False)
        self.subscribe_check = QCheckBox(tr("Keep it up to date (check this source regularly)"))
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        self.error = error_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        translate_buttons(buttons)
        self.install_button = buttons.addButton(
            tr("Install"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.accepted.connect(self.install)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.pack_combo)
        layout.addWidget(self.subscribe_check)
        layout.addWidget(self.outcome)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.source_edit.textChanged.connect(self._source_changed)

    def _source_changed(self, text: str) -> None:
        # URLs and shared drives are where leads publish updates: subscribe by default
        self.subscribe_check.setChecked(is_url(text) or text.startswith(("\\\\", "//")))
        self.pack_combo.clear()
        self.pack_combo.setEnabled(False)

    def _pick_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, tr("Pack file"), "", "QuickReply pack (*.qrpack index.json);;All files (*)"
        )
        if path:
            self.source_edit.setText(path)

    def _pick_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, tr("Pack folder"))
        if path:
            self.source_edit.setText(path)

    def list_index(self) -> list[IndexEntry]:
        """Fill the pack chooser from the source's index.json; return the listed packs."""
        source = self.source_edit.text().strip()
        self.error.clear()
        try:
            if source_kind(source) != "index":
                raise QuickReplyError(tr("This source has no {index}", index=INDEX_NAME))
            location = source + INDEX_NAME if source.endswith("/") else source
            if Path(location).is_dir():
                location = str(Path(location) / INDEX_NAME)
            entries = parse_index(fetch(location, max_bytes=MAX_INDEX_BYTES).data, location)
        except QuickReplyError as exc:
            self.error.setText(shown_error(exc))
            return []
        self.pack_combo.clear()
        for entry in entries:
            self.pack_combo.addItem(f"{entry.name} {entry.version} ({entry.author})", entry.id)
        self.pack_combo.setEnabled(bool(entries))
        self.subscribe_check.setChecked(True)
        return entries

    def install(self) -> UpdateReport | None:
        """Install (blocking, with a busy cursor); show what changed, or why it was refused."""
        source = self.source_edit.text().strip()
        if not source:
            self.error.setText(tr("Give a file, a folder or an address"))
            return None
        self.error.clear()
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.report = install_from(
                self.store,
                source,
                pack_id=self.pack_combo.currentData() if self.pack_combo.isEnabled() else None,
                subscribe=self.subscribe_check.isChecked(),
            )
        except QuickReplyError as exc:
            self.error.setText(shown_error(exc))
            return None
        finally:
            QGuiApplication.restoreOverrideCursor()
        lines = [self.report.notification(), *self.report.warnings]
        self.outcome.setText("\n".join(lines))
        self.install_button.setEnabled(False)
        self.close_button.setText(tr("Close"))
        return self.report


class TeamReportDialog(QDialog):
    """Choose agents' usage exports and where to write the team report (HTML or CSV)."""

    def __init__(self, parent: QWidget | None = None, settings: Settings | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Team report"))
        self.report: TeamReport | None = None
        self.settings = settings or Settings()
        self.drop_counts: ReadCounts | None = None
        self.inputs = QListWidget()
        add_button = QPushButton(tr("Add exports…"))
        remove_button = QPushButton(tr("Remove"))
        add_button.clicked.connect(self._add_inputs)
        remove_button.clicked.connect(self._remove_selected)
        self.drop_edit = QLineEdit()
        self.drop_edit.setPlaceholderText(tr("Folder or http(s) WebDAV URL; empty: the exports"))
        self.output_edit = QLineEdit(str(Path.home() / "team-report.html"))
        self.format_combo = QComboBox()
        self.format_combo.addItem(tr("HTML with charts"), "html")
        self.format_combo.addItem("CSV", "csv")
        self.format_combo.currentIndexChanged.connect(self._format_changed)
        self.open_check = QCheckBox(tr("Open when done"))
        self.open_check.setChecked(True)
        self.error = error_label()
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(add_button)
        buttons_row.addWidget(remove_button)
        buttons_row.addStretch(1)
        form = QFormLayout()
        form.addRow(tr("From team drop"), self.drop_edit)
        form.addRow(tr("Format"), self.format_combo)
        form.addRow(tr("Save as"), _path_row(self.output_edit, tr("Browse…"), self._pick_output))
        form.addRow("", self.open_check)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        translate_buttons(buttons)
        self.create_button = buttons.addButton(
            tr("Create report"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.accepted.connect(self.generate)
        self._output = Path()
        self._cancelled = False
        self.drop_call = DropCall(self)
        self.drop_call.done.connect(self._drop_read)
        self.drop_call.failed.connect(self._drop_failed)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("Usage exports of your agents (.jsonl)")))
        layout.addWidget(self.inputs)
        layout.addLayout(buttons_row)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def add_inputs(self, paths: list[str]) -> None:
        """Add export files to the list (duplicates are skipped)."""
        present = {self.inputs.item(i).text() for i in range(self.inputs.count())}
        for path in paths:
            if path not in present:
                self.inputs.addItem(path)

    def _add_inputs(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, tr("Usage exports"), "", "Usage export (*.jsonl);;All files (*)"
        )
        self.add_inputs(paths)

    def _remove_selected(self) -> None:
        for item in self.inputs.selectedItems():
            self.inputs.takeItem(self.inputs.row(item))

    def _format_changed(self) -> None:
        fmt = self.format_combo.currentData()
        self.output_edit.setText(str(Path(self.output_edit.text()).with_suffix(f".{fmt}")))

    def _pick_output(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, tr("Save report"), self.output_edit.text())
        if path:
            self.output_edit.setText(path)

    def generate(self) -> TeamReport | None:
        """Write the report; open it when asked; show why when it cannot be made.

        From a team drop the report is read on a worker thread: this returns None at once, and
        `drop_call.done` (or `failed`) follows; the dialog closes when the report is written.
        """
        inputs = [Path(self.inputs.item(i).text()) for i in range(self.inputs.count())]
        output = Path(self.output_edit.text().strip())
        if self.drop_edit.text().strip():
            self._from_drop(output)
            return None
        try:
            self.report = write_team_report(inputs, output, self.format_combo.currentData())
        except QuickReplyError as exc:
            self.error.setText(shown_error(exc))
            return None
        return self._written(output)

    def _written(self, output: Path) -> TeamReport | None:
        if self.open_check.isChecked():
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(output)))
        self.accept()
        return self.report

    def _from_drop(self, output: Path) -> None:
        """Read the team drop on a worker thread (the dialog stays responsive meanwhile)."""
        from quickreply.app.team_publisher import write_report_from_drop

        location, fmt, settings = (
            self.drop_edit.text(),
            self.format_combo.currentData(),
            self.settings,
        )
        if self.drop_call.start(lambda: write_report_from_drop(location, output, fmt, settings)):
            self._output = output
            self.create_button.setEnabled(False)
            self.error.setText(tr("Reading the team drop…"))

    def reject(self) -> None:
        """Close; a report still being read is written but neither opened nor kept here."""
        self._cancelled = True
        super().reject()

    def _drop_read(self, result: DropReport) -> None:
        if self._cancelled:
            return
        self.create_button.setEnabled(True)
        self.error.clear()
        self.drop_counts = result.counts
        self.report = result.report
        self._written(self._output)

    def _drop_failed(self, message: str) -> None:
        self.create_button.setEnabled(True)
        self.error.setText(message)


def open_team_report_dialog(
    parent: QWidget | None = None, settings: Settings | None = None
) -> TeamReport | None:
    """Show the team-report dialog; return the report written, or None if cancelled."""
    dialog = TeamReportDialog(parent, settings)
    dialog.exec()
    return dialog.report
