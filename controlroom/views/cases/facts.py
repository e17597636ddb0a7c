"""Case facts: a severity badge, the track excerpt as a small plot, and the recorded fact lines."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QRect, QSize
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from controlroom.views import theme
from controlroom.views.inbox.delegate import draw_severity_shape
from controlroom.views.inbox.model import severity_text, taipei_time


class SeverityBadge(QWidget):
    """The severity shape in its colour, beside the word."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.severity = "low"
        self.setMinimumSize(QSize(40, 32))

    def set_severity(self, severity: str) -> None:
        self.severity = severity
        self.setToolTip(severity_text(severity))
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(self.width(), self.height()) - 4
        draw_severity_shape(painter, QRect(2, (self.height() - side) // 2, side, side), self.severity)
        painter.end()


def _yes_no(value: Any) -> str:
    if value is None:
        return QCoreApplication.translate("FactsPanel", "unknown yet")
    if value:
        return QCoreApplication.translate("FactsPanel", "yes")
    return QCoreApplication.translate("FactsPanel", "no")


class FactsPanel(QWidget):
    """What the rules recorded when the alert was raised: the track, seal states, images, unsealing."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = pg.PlotWidget()
        self.plot.setObjectName("track_plot")
        self.plot.setBackground(theme.PANEL_GREY)
        self.plot.setMinimumHeight(180)
        self.plot.setLabel("bottom", self.tr("Longitude"))
        self.plot.setLabel("left", self.tr("Latitude"))
        self.plot.showGrid(x=True, y=True, alpha=0.3)
        self.plot.setAspectLocked(True)
        self.no_track = QLabel(self.tr("No track excerpt (passive seals are read only at the ends)."))
        self.no_track.setObjectName("no_track")
        self.images = QLabel()
        self.images.setObjectName("fact_images")
        self.unsealed = QLabel()
        self.unsealed.setObjectName("fact_unsealed")
        self.seal_states = QLabel()
        self.seal_states.setObjectName("fact_seal_states")
        self.seal_states.setWordWrap(True)
        self.track_points = 0
        form = QFormLayout()
        form.addRow(self.tr("System images present"), self.images)
        form.addRow(self.tr("Unsealed normally at destination"), self.unsealed)
        form.addRow(self.tr("Seal state history"), self.seal_states)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.no_track)
        layout.addLayout(form)

    def show_facts(self, facts: dict[str, Any]) -> None:
        track = [p for p in facts.get("track") or [] if "lat" in p and "lon" in p]
        self.plot.clear()
        self.track_points = len(track)
        self.plot.setVisible(bool(track))
        self.no_track.setVisible(not track)
        if track:
            lons = [float(p["lon"]) for p in track]
            lats = [float(p["lat"]) for p in track]
            self.plot.plot(lons, lats, pen=pg.mkPen(theme.NORMAL, width=2))
            self.plot.plot(
                lons, lats, pen=None, symbol="o", symbolSize=6, symbolBrush=theme.NORMAL, symbolPen=None
            )
            self.plot.plot(
                [lons[-1]], [lats[-1]], pen=None, symbol="t", symbolSize=14,
                symbolBrush=theme.ALARM_HIGH, symbolPen="k",
            )  # fmt: skip
            self.plot.setToolTip(
                self.tr("{n} fixes, last at {time}").format(n=len(track), time=_when(track[-1].get("ts")))
            )
        images = facts.get("images_present")
        if images is None and ("exit_image_present" in facts or "entry_image_present" in facts):
            images = bool(facts.get("exit_image_present") or facts.get("entry_image_present"))
        self.images.setText(_yes_no(images))
        self.unsealed.setText(_yes_no(facts.get("unsealed_normally")))
        states = facts.get("seal_states") or []
        self.seal_states.setText(
            "；".join(f"{_when(s.get('ts'))} {s.get('state', '?')}" for s in states) if states else "—"
        )


def _when(value: Any) -> str:
    if isinstance(value, datetime):
        return taipei_time(value, with_date=True)
    if isinstance(value, str):
        try:
            return taipei_time(datetime.fromisoformat(value.replace("Z", "+00:00")), with_date=True)
        except ValueError:
            return value
    return "?"
