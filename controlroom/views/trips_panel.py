"""Active trips beside the map, lock-on search (CN / plate / container), and the locked trip's detail
with its track (gaps broken) and a time slider to replay it."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import pyqtgraph as pg
from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSlider,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from controlroom.services.fleet import TripDetail, TruckInfo
from controlroom.views.row_model import Column, RowTableModel
from controlroom.views.theme import ALARM_HIGH, MUTED

TAIPEI = ZoneInfo("Asia/Taipei")


def _minutes(value: object) -> str:
    if not isinstance(value, float | int) or not math.isfinite(value):
        return "—"
    sign = "-" if value < 0 else ""
    minutes = abs(int(value))
    return f"{sign}{minutes // 60}:{minutes % 60:02d}"


def _taipei(value: datetime | None) -> str:
    return "—" if value is None else value.astimezone(TAIPEI).strftime("%m-%d %H:%M")


class TrackPlot(pg.PlotWidget):  # type: ignore[misc]
    """The trip's fixes as a line broken at gaps, with a marker the slider moves."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent, background="#e4e5e7")
        self.setAspectLocked(True)
        self.hideAxis("bottom")
        self.hideAxis("left")
        self._line = self.plot([], [], pen=pg.mkPen("#5a6069", width=2), connect="finite")
        self._cursor = self.plot([], [], pen=None, symbol="o", symbolSize=12, symbolBrush=ALARM_HIGH)

    def show_track(self, detail: TripDetail) -> None:
        xs: list[float] = []
        ys: list[float] = []
        gaps = set(detail.gaps)
        for index, (_ts, lat, lon) in enumerate(detail.track):
            if index in gaps:
                xs.append(math.nan)
                ys.append(math.nan)
            xs.append(lon)
            ys.append(lat)
        self._line.setData(xs, ys)
        self._cursor.setData([], [])

    def show_cursor(self, lat: float, lon: float) -> None:
        self._cursor.setData([lon], [lat])


class TripsPanel(QWidget):
    trip_selected = Signal(int)

    def __init__(
        self,
        load_detail: Callable[[int, Callable[[TripDetail | None], None]], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("trips_panel")
        self._load_detail = load_detail
        self._detail: TripDetail | None = None
        self._now = datetime.now(TAIPEI)
        self.search = QLineEdit()
        self.search.setObjectName("trip_search")
        self.search.setPlaceholderText(self.tr("Lock on: CN number, plate or container number"))
        self.search.setClearButtonEnabled(True)
        self.search.returnPressed.connect(self._lock_on_first)
        self.model = RowTableModel(
            [
                Column("cn_no", self.tr("CN")),
                Column("plate", self.tr("Plate")),
                Column("container_no", self.tr("Container")),
                Column("route", self.tr("Origin → destination")),
                Column("state", self.tr("State")),
                Column("left_min", self.tr("Time left"), _minutes),
                Column("open_alerts", self.tr("Alerts")),
            ],
            self,
        )
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.search.textChanged.connect(self._filter)
        self.table = QTableView()
        self.table.setObjectName("trips")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(5, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.clicked.connect(lambda index: self.lock_on(self._trip_at(index.row())))

        self.detail_form = QFormLayout()
        self.fields: dict[str, QLabel] = {}
        for key, label in (
            ("cn_no", self.tr("CN")),
            ("container_no", self.tr("Container")),
            ("plate", self.tr("Plate")),
            ("driver", self.tr("Driver")),
            ("seal", self.tr("Seal")),
            ("battery", self.tr("Battery")),
            ("route", self.tr("Origin → destination")),
            ("deadline", self.tr("Deadline")),
            ("left", self.tr("Time left")),
            ("alerts", self.tr("Alerts")),
        ):
            value = QLabel("—")
            value.setObjectName(f"detail_{key}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[key] = value
            self.detail_form.addRow(label, value)
        self.track = TrackPlot()
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("track_slider")
        self.slider.setEnabled(False)
        self.slider.valueChanged.connect(self._replay_to)
        self.slider_time = QLabel()
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.addLayout(self.detail_form)
        self.track.setMinimumHeight(160)
        detail_layout.addWidget(self.track, 1)
        detail_layout.addWidget(self.slider)
        detail_layout.addWidget(self.slider_time)
        scroll = QScrollArea()  # the detail scrolls; the list keeps enough rows to choose from
        scroll.setWidget(detail)
        scroll.setWidgetResizable(True)
        self.table.setMinimumHeight(220)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 3)  # the list first: the detail shows one trip
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(splitter, 1)

    # -- the list ---------------------------------------------------------------------------

    def set_trucks(self, trucks: list[TruckInfo], now: datetime) -> None:
        self._now = now
        rows = []
        for truck in trucks:
            left = truck.time_left(now)
            rows.append(
                {
                    "trip_id": truck.trip_id,
                    "cn_no": truck.cn_no,
                    "plate": truck.plate,
                    "container_no": truck.container_no,
                    "route": f"{truck.origin} → {truck.destination}",
                    "state": self._state_text(truck.display_state(now)),
                    "open_alerts": truck.open_alerts,
                    "left_min": left.total_seconds() / 60 if left is not None else math.inf,
                }
            )
        self.model.set_rows(rows)
        self._filter(self.search.text())

    def _state_text(self, state: str) -> str:
        texts = {
            "moving": self.tr("Moving"),
            "stopped": self.tr("Stopped"),
            "lost": self.tr("Lost contact"),
            "untracked": self.tr("Read at exit and arrival only"),
        }
        return texts.get(state, state)

    def _filter(self, text: str) -> None:
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterFixedString(text.strip().upper().replace("-", "").replace(" ", ""))

    def _trip_at(self, proxy_row: int) -> int:
        source = self.proxy.mapToSource(self.proxy.index(proxy_row, 0))
        return int(self.model.row(source.row())["trip_id"])

    def _lock_on_first(self) -> None:
        if self.proxy.rowCount() > 0:
            self.lock_on(self._trip_at(0))

    # -- the locked trip -------------------------------------------------------------------

    def lock_on(self, trip_id: int) -> None:
        self.trip_selected.emit(trip_id)
        self._load_detail(trip_id, self.show_detail)

    def show_detail(self, detail: TripDetail | None) -> None:
        self._detail = detail
        if detail is None:
            for value in self.fields.values():
                value.setText("—")
            return
        left = None if detail.deadline is None else (detail.deadline - self._now).total_seconds() / 60
        seal = detail.seal_no + (f"（{detail.seal_state}）" if detail.seal_state else "")
        values = {
            "cn_no": detail.cn_no,
            "container_no": detail.container_no,
            "plate": detail.plate,
            "driver": detail.driver_masked or "—",
            "seal": seal,
            "battery": "—" if detail.battery_pct is None else f"{detail.battery_pct} %",
            "route": f"{detail.origin} → {detail.destination}",
            "deadline": _taipei(detail.deadline),
            "left": _minutes(left),
            "alerts": "、".join(code for _id, code, _status, _at in detail.alerts) or "—",
        }
        for key, text in values.items():
            self.fields[key].setText(text)
        late = left is not None and left < 0
        self.fields["left"].setStyleSheet(f"color: {ALARM_HIGH if late else MUTED}; font-weight: bold;")
        self.track.show_track(detail)
        self.slider.setEnabled(len(detail.track) > 1)
        self.slider.setRange(0, max(0, len(detail.track) - 1))
        self.slider.setValue(max(0, len(detail.track) - 1))
        self._replay_to(self.slider.value())

    def _replay_to(self, index: int) -> None:
        if self._detail is None or not self._detail.track:
            self.slider_time.clear()
            return
        ts, lat, lon = self._detail.track[index]
        self.track.show_cursor(lat, lon)
        self.slider_time.setText(self.tr("Track at {time}").format(time=_taipei(ts)))
