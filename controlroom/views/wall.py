"""Wall-screen mode: the map, a ticker of the newest alerts and big counters, readable at three metres."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QFont, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from controlroom.domain.catalogue import CATALOGUE
from controlroom.models.enums import TripState
from controlroom.services.fleet import FleetPicture
from controlroom.services.ingest import AlertRaised, IngestEvent
from controlroom.views.fleet_markers import truck_markers
from controlroom.views.map.map_view import MapView
from controlroom.views.theme import ALARM_HIGH, ALARM_MEDIUM, TEXT

TAIPEI = ZoneInfo("Asia/Taipei")


class WallWindow(QWidget):
    def __init__(
        self,
        map_view: MapView,
        fleet: FleetPicture,
        now: Callable[[], datetime],
        language: str = "zh_TW",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("wall")
        self.setWindowTitle(self.tr("Joint Management Center — wall screen"))
        self._fleet = fleet
        self._now = now
        self._zh = language == "zh_TW"
        self._ticker_items: deque[str] = deque(maxlen=6)
        big = QFont(self.font())
        big.setPointSize(28)
        huge = QFont(self.font())
        huge.setPointSize(44)
        huge.setBold(True)
        self.counters: dict[str, QLabel] = {}
        grid = QGridLayout()
        for row, (key, title) in enumerate(
            (
                ("active", self.tr("Trips on the road")),
                ("alerts", self.tr("Trips with open alerts")),
                ("lost", self.tr("Lost contact")),
            )
        ):
            caption = QLabel(title)
            caption.setFont(big)
            caption.setWordWrap(True)
            value = QLabel("0")
            value.setObjectName(f"wall_{key}")
            value.setFont(huge)
            grid.addWidget(caption, row, 0)
            grid.addWidget(value, row, 1, Qt.AlignmentFlag.AlignRight)
            self.counters[key] = value
        self.ticker = QLabel(self.tr("No new alerts"))
        self.ticker.setObjectName("wall_ticker")
        self.ticker.setFont(big)
        self.ticker.setWordWrap(True)
        self.ticker.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        side = QWidget()
        side.setMaximumWidth(620)
        side_layout = QVBoxLayout(side)
        side_layout.addLayout(grid)
        side_layout.addWidget(self.ticker, 1)
        layout = QHBoxLayout(self)
        layout.addWidget(map_view, 3)
        layout.addWidget(side, 1)
        self.map = map_view
        map_view.fit_once_when_trucks_arrive()
        QShortcut(QKeySequence("Escape"), self, self.close)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.refresh)
        self._timer.start(1000)
        self.refresh()

    def shutdown(self) -> None:
        self._timer.stop()
        self.map.shutdown()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()  # a wall screen closed with Esc is rebuilt when asked for again
        super().closeEvent(event)

    def on_events(self, events: list[IngestEvent]) -> None:
        for event in events:
            if isinstance(event, AlertRaised):
                kind = CATALOGUE.get(event.code)
                name = (kind.name_zh if self._zh else kind.name_en) if kind else event.code
                mark = "▲" if event.severity == "high" else "●"
                when = event.raised_at.astimezone(TAIPEI).strftime("%H:%M")
                self._ticker_items.appendleft(f"{mark} {when} {name}")
        if self._ticker_items:
            self.ticker.setText("\n".join(self._ticker_items))
            self.ticker.setStyleSheet(f"color: {TEXT};")

    def refresh(self) -> None:
        now = self._now()
        trucks = self._fleet.trucks()
        self.map.set_trucks(truck_markers(trucks, now))
        lost = sum(1 for t in trucks if t.display_state(now) == "lost")
        alerts = sum(1 for t in trucks if t.open_alerts)
        on_road = sum(1 for t in trucks if t.trip_state == TripState.IN_TRANSIT.value)
        self.counters["active"].setText(str(on_road))
        self.counters["alerts"].setText(str(alerts))
        self.counters["lost"].setText(str(lost))
        self.counters["alerts"].setStyleSheet(f"color: {ALARM_HIGH if alerts else TEXT};")
        self.counters["lost"].setStyleSheet(f"color: {ALARM_MEDIUM if lost else TEXT};")

    def show_on_wall(self) -> None:
        """Full screen on the second monitor when there is one."""
        screens = QGuiApplication.screens()
        if len(screens) > 1:
            self.setScreen(screens[1])
            self.move(screens[1].geometry().topLeft())
        self.showFullScreen()
