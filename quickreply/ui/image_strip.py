"""Snippet images in the UI. The snippet editor's strip: thumbnails in order, added by file picker, by pasting (Ctrl+V in
the strip) or by dropping files; reordered by dragging or the arrow buttons, removed; and whether
the images go before or after the text.

Each added picture is stored as an asset through the controller at once (content-addressed: the
same picture twice is one file); the snippet keeps only the references.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QSize, Qt, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QGuiApplication,
    QIcon,
    QKeyEvent,
    QKeySequence,
    QPixmap,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from quickreply.app.controller import Controller
from quickreply.core.errors import QuickReplyError
from quickreply.core.i18n import tr
from quickreply.core.library.model import ImageOrder, Snippet
from quickreply.platform.clipboard_image import png_bytes

THUMBNAIL = QSize(72, 72)
_REF_ROLE = Qt.ItemDataRole.UserRole
_FILE_FILTER = "*.png *.jpg *.jpeg *.gif *.webp"


# Assets are content-addressed (a file's name is its bytes' hash), so a thumbnail never goes stale;
# cached, the palette's preview does not decode a 10 MB picture again at every arrow key.
_THUMBNAILS: dict[tuple[str, int], QIcon] = {}
_THUMBNAIL_CACHE_SIZE = 256


def thumbnail(path: Path, size: QSize = THUMBNAIL) -> QIcon:
    """A thumbnail icon of the picture at `path` (an empty icon when it cannot be read)."""
    key = (str(path), size.width())
    cached = _THUMBNAILS.get(key)
    if cached is not None:
        return cached
    pixmap = QPixmap(str(path))
    if pixmap.isNull():
        return QIcon()  # not cached: the file may still arrive (a pack being installed)
    icon = QIcon(pixmap.scaled(size, Qt.AspectRatioMode.KeepAspectRatio))
    if len(_THUMBNAILS) >= _THUMBNAIL_CACHE_SIZE:
        _THUMBNAILS.pop(next(iter(_THUMBNAILS)))
    _THUMBNAILS[key] = icon
    return icon


class _ThumbnailList(QListWidget):
    """The thumbnails: drag to reorder, drop files to add, Ctrl+V to paste a picture."""

    files_dropped = Signal(list)  # list[Path]
    paste_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setViewMode(QListWidget.ViewMode.IconMode)
        self.setIconSize(THUMBNAIL)
        self.setFlow(QListWidget.Flow.LeftToRight)
        self.setWrapping(False)
        self.setMovement(QListWidget.Movement.Snap)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setAcceptDrops(True)
        self.setFixedHeight(THUMBNAIL.height() + 28)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        """Ctrl+V pastes a picture from the clipboard; other keys as usual."""
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste_requested.emit()
            return
        super().keyPressEvent(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        """Accept dropped files, and our own thumbnails being moved."""
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 - Qt override
        """Keep accepting dropped files while they move over the strip."""
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        """Dropped files are added; a moved thumbnail takes its new place."""
        files = dropped_files(event.mimeData())
        if files:
            event.acceptProposedAction()
            self.files_dropped.emit(files)
        else:
            super().dropEvent(event)


def dropped_files(data: QMimeData) -> list[Path]:
    """The local files in dropped data."""
    return [Path(url.toLocalFile()) for url in data.urls() if url.isLocalFile()]


class ImageStrip(QWidget):
    """A snippet's images and their order; `changed` after every edit."""

    changed = Signal()
    problem = Signal(str)  # a picture that could not be added, for the editor to show

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self._read_only = False
        self.list = _ThumbnailList()
        self.list.setToolTip(tr("Drop picture files here, or press Ctrl+V to paste a picture"))
        self.add_button = QPushButton(tr("Add image…"))
        self.remove_button = QPushButton(tr("Remove"))
        self.left_button = QPushButton("◀")
        self.left_button.setToolTip(tr("Move the image earlier"))
        self.right_button = QPushButton("▶")
        self.right_button.setToolTip(tr("Move the image later"))
        self.order_combo = QComboBox()
        self.order_combo.addItem(tr("Images, then the text"), "images_first")
        self.order_combo.addItem(tr("The text, then the images"), "text_first")
        buttons = QHBoxLayout()
        for button in (self.add_button, self.left_button, self.right_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.order_combo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self.pick_files)
        self.remove_button.clicked.connect(self.remove_selected)
        self.left_button.clicked.connect(lambda: self.move_selected(-1))
        self.right_button.clicked.connect(lambda: self.move_selected(1))
        self.order_combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.list.files_dropped.connect(self.add_files)
        self.list.paste_requested.connect(self.paste)
        self.list.model().rowsMoved.connect(lambda *_a: self.changed.emit())
        self.list.currentRowChanged.connect(lambda _r: self._update_buttons())
        self._update_buttons()

    # -- the snippet's fields --------------------------------------------------------------------

    def set_images(self, refs: tuple[str, ...], order: ImageOrder) -> None:
        """Show `refs` (in order) and `order`, without emitting `changed`."""
        self.blockSignals(True)
        self.list.clear()
        for ref in refs:
            self._append(ref)
        self.order_combo.setCurrentIndex(max(0, self.order_combo.findData(order)))
        self.blockSignals(False)
        self._update_buttons()

    def images(self) -> tuple[str, ...]:
        """The image references, in the order shown."""
        return tuple(str(self.list.item(i).data(_REF_ROLE)) for i in range(self.list.count()))

    def order(self) -> ImageOrder:
        """Images first or the text first."""
        return "text_first" if self.order_combo.currentData() == "text_first" else "images_first"

    def set_read_only(self, read_only: bool) -> None:
        """A locked pack snippet: its images are shown but cannot change."""
        for widget in (self.add_button, self.order_combo):
            widget.setEnabled(not read_only)
        self.list.setDragDropMode(
            QAbstractItemView.DragDropMode.NoDragDrop
            if read_only
            else QAbstractItemView.DragDropMode.InternalMove
        )
        self.list.setAcceptDrops(not read_only)
        self._read_only = read_only
        self._update_buttons()

    # -- editing ---------------------------------------------------------------------------------

    def pick_files(self) -> None:
        """Ask for picture files and add them."""
        names, _ = QFileDialog.getOpenFileNames(
            self, tr("Add image"), "", tr("Pictures") + f" ({_FILE_FILTER})"
        )
        self.add_files([Path(n) for n in names])

    def add_files(self, paths: list[Path]) -> None:
        """Store and add each picture file; a file that is not a picture is reported."""
        if self._read_only:
            return
        for path in paths:
            try:
                self._append(self.controller.add_image_file(path))
            except QuickReplyError as exc:
                self.problem.emit(f"{path.name}: {exc}")
        self._edited()

    def paste(self) -> None:
        """Add the picture on the clipboard (Ctrl+V in the strip), or the files copied there."""
        if self._read_only:
            return
        data = QGuiApplication.clipboard().mimeData()
        png = b""
        if data is not None and data.hasFormat("image/png"):
            png = bytes(data.data("image/png").data())
        elif data is not None and data.hasImage():
            png = png_bytes(data.imageData())
        if png:
            try:
                self._append(self.controller.add_image_bytes(png))
            except QuickReplyError as exc:
                self.problem.emit(str(exc))
            self._edited()
        elif data is not None and dropped_files(data):
            self.add_files(dropped_files(data))
        else:
            self.problem.emit(tr("The clipboard holds no picture"))

    def remove_selected(self) -> None:
        """Take the selected image out of the snippet (its file goes when nothing refers to it)."""
        row = self.list.currentRow()
        if row >= 0:
            self.list.takeItem(row)
            self._edited()

    def move_selected(self, step: int) -> None:
        """Move the selected image `step` places (-1 earlier, 1 later)."""
        row = self.list.currentRow()
        new_row = row + step
        if row < 0 or not 0 <= new_row < self.list.count():
            return
        item = self.list.takeItem(row)
        self.list.insertItem(new_row, item)
        self.list.setCurrentRow(new_row)
        self._edited()

    def _append(self, ref: str) -> None:
        path = self.controller.image_path(ref)
        item = QListWidgetItem(thumbnail(path), "" if path.is_file() else tr("(missing)"))
        item.setData(_REF_ROLE, ref)
        item.setToolTip(ref)
        self.list.addItem(item)

    def _edited(self) -> None:
        self._update_buttons()
        self.changed.emit()

    def _update_buttons(self) -> None:
        editable = not self._read_only
        selected = self.list.currentRow() >= 0
        for button in (self.remove_button, self.left_button, self.right_button):
            button.setEnabled(editable and selected)


class ThumbnailRow(QWidget):
    """Read-only thumbnails of a snippet's images (the palette's preview); hidden without any."""

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addStretch(1)
        self.hide()

    def show_snippet(self, snippet: Snippet | None) -> None:
        """Show the thumbnails of `snippet`'s images, in their order."""
        while self._layout.count() > 1:
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        refs = snippet.images if snippet is not None else ()
        for position, ref in enumerate(refs):
            label = QLabel()
            pixmap = thumbnail(self.controller.image_path(ref)).pixmap(THUMBNAIL)
            if pixmap.isNull():
                label.setText(tr("(missing)"))
            else:
                label.setPixmap(pixmap)
            label.setToolTip(ref)
            self._layout.insertWidget(position, label)
        self.setVisible(bool(refs))

    def count(self) -> int:
        """How many thumbnails are shown."""
        return self._layout.count() - 1
