"""The severity cell: an Okabe–Ito coloured shape plus the word, so colour is never the only cue."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from controlroom.views.inbox.model import SEVERITY_ROLE, severity_colour

Index = QModelIndex | QPersistentModelIndex


def draw_severity_shape(painter: QPainter, rect: QRect, severity: str) -> None:
    """High: triangle; medium: diamond; low: circle — distinct in grey scale as well."""
    colour = QColor(severity_colour(severity))
    painter.setPen(QPen(QColor("#1f2328"), 1))
    painter.setBrush(colour)
    cx, cy, r = rect.center().x(), rect.center().y(), min(rect.width(), rect.height()) / 2 - 1
    if severity == "high":
        painter.drawPolygon(
            QPolygonF([QPointF(cx, cy - r), QPointF(cx + r, cy + r), QPointF(cx - r, cy + r)])
        )
    elif severity == "medium":
        painter.drawPolygon(
            QPolygonF([QPointF(cx, cy - r), QPointF(cx + r, cy), QPointF(cx, cy + r), QPointF(cx - r, cy)])
        )
    else:
        painter.drawEllipse(QPointF(cx, cy), r * 0.8, r * 0.8)


class SeverityDelegate(QStyledItemDelegate):
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        severity = index.data(SEVERITY_ROLE)
        if not isinstance(severity, str):
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        text = option.text
        option.text = ""
        style = option.widget.style() if option.widget is not None else None
        painter.save()
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        rect: QRect = option.rect
        size = int(rect.height() * 0.6)
        shape = QRect(rect.left() + 6, rect.top() + (rect.height() - size) // 2, size, size)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        draw_severity_shape(painter, shape, severity)
        painter.setPen(QColor("#1f2328"))
        painter.setFont(option.font)
        text_rect = rect.adjusted(size + 12, 0, 0, 0)
        painter.drawText(text_rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), text)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(hint.width() + hint.height() + 12, hint.height())
