"""Draw the sample size chart (尺码表) of the zh-CN default pack, with Qt offscreen (Pillow is
not a dependency), and store it as resources/packs/zh-CN/assets/<sha256>.png.

    QT_QPA_PLATFORM=offscreen python benchmarks/make_size_chart.py

Prints the asset reference to put in the pack's `images:` list. The figures are sample values,
and the picture says so: a shop replaces it with its own measured chart.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, Qt  # noqa: E402
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter, QPen  # noqa: E402

ASSETS = Path(__file__).resolve().parents[1] / "resources" / "packs" / "zh-CN" / "assets"
HEADER = ("尺码", "身高 (cm)", "体重 (kg)", "胸围 (cm)", "衣长 (cm)")
ROWS = (
    ("S", "155-160", "45-52", "86", "64"),
    ("M", "160-165", "52-58", "90", "66"),
    ("L", "165-172", "58-65", "94", "68"),
    ("XL", "172-178", "65-73", "98", "70"),
    ("XXL", "178-185", "73-82", "102", "72"),
)
CELL_W, CELL_H, MARGIN, TITLE_H, NOTE_H = 130, 44, 24, 56, 40


def draw() -> bytes:
    """Return the chart as PNG bytes."""
    width = MARGIN * 2 + CELL_W * len(HEADER)
    height = MARGIN * 2 + TITLE_H + CELL_H * (len(ROWS) + 1) + NOTE_H
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    family = "Noto Sans CJK SC"
    painter.setFont(QFont(family, 18, QFont.Weight.Bold))
    painter.drawText(
        QRect(MARGIN, MARGIN, width - 2 * MARGIN, TITLE_H),
        Qt.AlignmentFlag.AlignCenter,
        "尺码表（示例）",
    )
    top = MARGIN + TITLE_H
    for row, cells in enumerate((HEADER, *ROWS)):
        y = top + row * CELL_H
        fill = QColor("#fde9d9") if row == 0 else QColor("#ffffff" if row % 2 else "#f7f7f7")
        painter.fillRect(QRect(MARGIN, y, CELL_W * len(HEADER), CELL_H), fill)
        painter.setFont(QFont(family, 12, QFont.Weight.Bold if row == 0 else QFont.Weight.Normal))
        for col, text in enumerate(cells):
            cell = QRect(MARGIN + col * CELL_W, y, CELL_W, CELL_H)
            painter.setPen(QPen(QColor("#999999")))
            painter.drawRect(cell)
            painter.setPen(QPen(QColor("#222222")))
            painter.drawText(cell, Qt.AlignmentFlag.AlignCenter, text)
    painter.setFont(QFont(family, 10))
    painter.setPen(QPen(QColor("#666666")))
    painter.drawText(
        QRect(MARGIN, top + CELL_H * (len(ROWS) + 1), width - 2 * MARGIN, NOTE_H),
        Qt.AlignmentFlag.AlignCenter,
        "示例数据，请换成本店商品的实测尺码  ·  Sample figures: use your own measured chart",
    )
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def main() -> int:
    """Write the chart into the default pack's assets and print its reference."""
    app = QGuiApplication(sys.argv[:1])
    png = draw()
    ref = f"{hashlib.sha256(png).hexdigest()}.png"
    ASSETS.mkdir(parents=True, exist_ok=True)
    (ASSETS / ref).write_bytes(png)
    print(f"{ref}  ({len(png)} bytes)")
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
