"""The palette's suggest mode: the buyer's message on top (shortened), the replies suggested for it
below, each with the message's words that matched it highlighted.

Entered by the suggest hotkey (the selected message) or by pasting a sentence into the search box;
typing a search leaves it. The message is kept in memory only while the palette shows it.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from quickreply.core.i18n import tr
from quickreply.core.search.hit import SearchHit
from quickreply.core.suggest.text import looks_like_message

if TYPE_CHECKING:
    from quickreply.app.suggestions import Suggestions
    from quickreply.core.suggest.index import Suggestion

RESULTS = 9  # suggestions listed: each has a number key
HTML_ROLE = Qt.ItemDataRole.UserRole + 7  # a row's rich text (matched words marked)
SHOWN_CHARS = 60  # of the message, in the label above the results
_MARK = '<span style="background-color:#ffe58f;color:#000">{}</span>'


def highlight(text: str, words: tuple[str, ...]) -> str:
    """Return `text` as HTML with every occurrence of `words` marked (longest words first)."""
    lowered = text.lower()
    marked = [False] * len(text)
    for word in sorted(words, key=len, reverse=True):
        at = lowered.find(word.lower()) if word else -1
        while at != -1:
            for i in range(at, at + len(word)):
                marked[i] = True
            at = lowered.find(word.lower(), at + len(word))
    # consecutive characters of one kind (marked or not) are escaped and wrapped together
    out: list[str] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or marked[i] != marked[start]:
            piece = html.escape(text[start:i])
            out.append(_MARK.format(piece) if marked[start] else piece)
            start = i
    return "".join(out)


def shortened(message: str, limit: int = SHOWN_CHARS) -> str:
    """Return the message on one line, cut to `limit` characters with an ellipsis."""
    flat = " ".join(message.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class SuggestMode:
    """State and drawing of suggest mode for one palette."""

    def __init__(self, suggestions: Suggestions | None) -> None:
        self.suggestions = suggestions
        self.message = ""
        self.active = False
        self._ranks: dict[str, int] = {}
        self.label = QLabel()
        self.label.setObjectName("palette-message")
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setWordWrap(True)
        self.label.hide()

    def start(self, message: str) -> bool:
        """Enter suggest mode for `message`; with no message show how to give one. Returns
        whether suggest mode is on."""
        self.message = message.strip()
        self.active = bool(self.message) and self.suggestions is not None
        self._ranks = {}
        if not self.active:
            self.label.setText(
                html.escape(
                    tr(
                        "No buyer message selected: select it (or copy it) in the chat window "
                        "before pressing the suggest hotkey, or paste it here with Ctrl+V."
                    )
                )
            )
            self.label.setVisible(self.suggestions is not None)
        return self.active

    def take_paste(self, text: str) -> bool:
        """Enter suggest mode when pasted `text` reads as a buyer's sentence; else leave it."""
        return looks_like_message(text) and self.start(text)

    def stop(self) -> None:
        """Leave suggest mode and forget the message."""
        self.active = False
        self.message = ""
        self._ranks = {}
        self.label.hide()

    def fill(self, results: QListWidget, categories: dict[str, str]) -> list[SearchHit]:
        """List the suggestions for the message in `results`; return them as the palette's hits."""
        results.clear()
        found = self.suggestions.suggest(self.message, RESULTS) if self.suggestions else None
        if found is None:
            self.label.setText(html.escape(tr("Preparing suggestions…")))
            self.label.show()
            return []
        words = tuple(dict.fromkeys(w for s in found for w in s.matched))
        self.label.setText(html.escape(tr("Buyer: ")) + highlight(shortened(self.message), words))
        self.label.show()
        self._ranks = {s.snippet.id: rank for rank, s in enumerate(found, start=1)}
        if not isinstance(results.itemDelegate(), HtmlDelegate):
            results.setItemDelegate(HtmlDelegate(results))
        for rank, suggestion in enumerate(found, start=1):
            item = QListWidgetItem(f"{rank}  {suggestion.snippet.title}")
            item.setData(HTML_ROLE, _item_html(rank, suggestion, categories))
            results.addItem(item)
        if not found:
            empty = QListWidgetItem(tr("No reply matches this message: type to search instead"))
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            results.addItem(empty)
        return [SearchHit(s.snippet, s.score, "suggest") for s in found]

    def rank_of(self, snippet_id: str) -> int | None:
        """Return the place (1, 2 ...) at which the snippet was suggested, or None."""
        return self._ranks.get(snippet_id) if self.active else None


class HtmlDelegate(QStyledItemDelegate):
    """Paints rows that carry rich text (HTML_ROLE) as HTML; other rows as usual.

    A delegate rather than a label widget per row: nine QLabel widgets cost the palette ~10 ms
    to create and lay out before it shows, a painted row a fraction of a millisecond.
    """

    def __init__(self, parent: QListWidget) -> None:
        super().__init__(parent)
        self._sizes: dict[str, QSize] = {}  # the view asks for a row's size many times

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        """Draw the row's background and selection, then its rich text."""
        text = index.data(HTML_ROLE)
        if not text:
            super().paint(painter, option, index)
            return
        view = QStyleOptionViewItem(option)
        self.initStyleOption(view, index)
        view.text = ""
        style = view.widget.style() if view.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, view, painter, view.widget)
        document = _document(text, view)
        painter.save()
        painter.translate(view.rect.topLeft())
        document.drawContents(painter, QRectF(0, 0, view.rect.width(), view.rect.height()))
        painter.restore()

    def sizeHint(  # noqa: N802 - Qt override
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        """The rich text's size (two lines)."""
        text = index.data(HTML_ROLE)
        if not text:
            return super().sizeHint(option, index)
        size = self._sizes.get(text)
        if size is None:
            if len(self._sizes) > 256:
                self._sizes.clear()
            document = _document(text, option)
            size = QSize(int(document.idealWidth()) + 4, int(document.size().height()) + 2)
            self._sizes[text] = size
        return size


def _document(text: str, option: QStyleOptionViewItem) -> QTextDocument:
    document = QTextDocument()
    document.setDefaultFont(option.font)
    document.setDocumentMargin(2)
    document.setHtml(text)
    return document


def _item_html(rank: int, suggestion: Suggestion, categories: dict[str, str]) -> str:
    snippet = suggestion.snippet
    title = highlight(snippet.title, suggestion.matched)
    category = html.escape(categories.get(snippet.category, ""))
    words = " · ".join(_MARK.format(html.escape(w)) for w in suggestion.matched)
    return (
        f"{rank}&nbsp;&nbsp;{title}&nbsp;&nbsp;<span style='color:gray'>{category}</span>"
        f"<br><small>{html.escape(tr('matched:'))} {words}</small>"
    )
