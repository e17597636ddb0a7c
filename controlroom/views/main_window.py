"""The main window: assembles the map, trips, inbox, case and reference panels and the status bar,
and wires their signals. It holds no business logic; every action goes through the services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QHeaderView, QLabel, QMainWindow, QTableView, QTabWidget, QWidget

from controlroom.domain.roles import Role
from controlroom.feed.health import HealthSnapshot
from controlroom.services.fleet import FleetPicture, TripDetail
from controlroom.services.ingest import AlertOccurred, AlertRaised, IngestEvent
from controlroom.views.cases.panel import CasePanel
from controlroom.views.feed_status import FeedStatus
from controlroom.views.fleet_markers import truck_markers
from controlroom.views.inbox.model import house_text
from controlroom.views.inbox.panel import InboxPanel
from controlroom.views.map.map_view import MapView
from controlroom.views.row_model import Column, RowTableModel
from controlroom.views.tasks import TaskRunner
from controlroom.views.trips_panel import TripsPanel

TAIPEI = ZoneInfo("Asia/Taipei")
LAYOUT_VERSION = 1


class StationsPanel(QTableView):
    """The stations of the reference data, with their customs house."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stations")
        self.model_ = RowTableModel(
            [
                Column("code", self.tr("Code")),
                Column("name_zh", self.tr("Station")),
                Column("name_en", self.tr("English name")),
                Column("customs_house", self.tr("Customs house"), house_text),
            ],
            self,
        )
        self.setModel(self.model_)
        self.setAlternatingRowColors(True)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)
        self.verticalHeader().hide()


def role_text(role: Role) -> str:
    names = {
        Role.DUTY_OFFICER: QCoreApplication.translate("Roles", "Duty officer"),
        Role.SECTION_CHIEF: QCoreApplication.translate("Roles", "Section chief"),
        Role.DIVISION_CHIEF: QCoreApplication.translate("Roles", "Division chief"),
        Role.UNIT_HEAD: QCoreApplication.translate("Roles", "Unit head"),
        Role.TECHNICIAN: QCoreApplication.translate("Roles", "Technician"),
        Role.ADMINISTRATOR: QCoreApplication.translate("Roles", "Administrator"),
    }
    return names[role]


@dataclass
class Panels:
    """The panels the composition root built; the window only places and wires them."""

    map: MapView
    trips: TripsPanel
    inbox: InboxPanel
    case: CasePanel


class MainWindow(QMainWindow):
    language_requested = Signal(str)
    wall_requested = Signal()

    def __init__(
        self,
        tasks: TaskRunner,
        panels: Panels,
        fleet: FleetPicture,
        load_stations: Callable[[], list[dict[str, Any]]],
        reload_trips: Callable[[set[int]], None],
        user: dict[str, Any],
        database_label: str,
        health: Callable[[], HealthSnapshot | None],
        now: Callable[[], datetime],
    ) -> None:
        super().__init__()
        self._tasks = tasks
        self._fleet = fleet
        self._reload_trips = reload_trips
        self._now = now
        self.panels = panels
        self.setObjectName("main_window")
        self.setWindowTitle(self.tr("Joint Management Center — Container Monitoring"))
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks)
        # The map and the case being handled share the centre: each needs the room, rarely both at once.
        self.centre = QTabWidget()
        self.centre.setObjectName("centre")
        self.centre.addTab(panels.map, self.tr("Map"))
        self.centre.addTab(panels.case, self.tr("Case"))
        self.setCentralWidget(self.centre)
        panels.map.fit_once_when_trucks_arrive()
        self.stations = StationsPanel()
        self.docks: dict[str, QDockWidget] = {}
        self._dock("trips", self.tr("Trips"), panels.trips, Qt.DockWidgetArea.LeftDockWidgetArea)
        self._dock("inbox", self.tr("Alerts"), panels.inbox, Qt.DockWidgetArea.BottomDockWidgetArea)
        self._dock("stations", self.tr("Stations"), self.stations, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.tabifyDockWidget(self.docks["trips"], self.docks["stations"])
        self.docks["trips"].raise_()

        self._default_state = self.saveState(LAYOUT_VERSION)
        self._build_menus()
        self._build_status(user, database_label, health)
        self._wire()
        self._repaint = QTimer(self)  # the fleet picture repaints on a timer, whatever the message rate
        self._repaint.timeout.connect(self.repaint_fleet)
        self._repaint.start(1000)
        tasks.submit(load_stations, self.stations.model_.set_rows)
        self.restore_layout()

    # -- assembly ---------------------------------------------------------------------------------

    def _dock(self, name: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> None:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock_{name}")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        self.docks[name] = dock

    def _action(
        self, text: str, shortcut: str | QKeySequence.StandardKey | None, slot: Callable[[], None]
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_menus(self) -> None:
        view = self.menuBar().addMenu(self.tr("&View"))
        view.addAction(
            self._action(self.tr("Find trip (CN / plate / container)"), "Ctrl+F", self.focus_search)
        )
        view.addAction(self._action(self.tr("Wall screen mode"), "F11", self.wall_requested.emit))
        view.addAction(self._action(self.tr("Reset layout"), None, self.reset_layout))
        view.addSeparator()
        for dock in self.docks.values():
            view.addAction(dock.toggleViewAction())
        language = self.menuBar().addMenu(self.tr("&Language"))
        language.addAction(
            self._action("繁體中文", "Ctrl+Shift+C", lambda: self.language_requested.emit("zh_TW"))
        )
        language.addAction(
            self._action("English", "Ctrl+Shift+E", lambda: self.language_requested.emit("en"))
        )

    def _build_status(
        self, user: dict[str, Any], database_label: str, health: Callable[[], HealthSnapshot | None]
    ) -> None:
        role = Role(user["role"])
        self.user_label = QLabel(
            self.tr("User: {name} ({role})").format(name=user["display_name"], role=role_text(role))
        )
        self.database_label = QLabel(self.tr("Database: {db}").format(db=database_label))
        self.feed_status = FeedStatus(health)
        self.clock = QLabel()
        self.clock.setObjectName("clock")
        self.statusBar().addWidget(self.user_label)
        self.statusBar().addWidget(self.feed_status)
        self.statusBar().addPermanentWidget(self.database_label)
        self.statusBar().addPermanentWidget(self.clock)
        self._clock_timer = QTimer(self)
        self._clock_timer.timeout.connect(self._tick)
        self._clock_timer.start(1000)
        self._tick()

    def _wire(self) -> None:
        self.panels.trips.trip_selected.connect(self.panels.map.follow)
        self.panels.map.truck_clicked.connect(self.panels.trips.lock_on)
        self.panels.inbox.case_requested.connect(self._open_case)

    def _open_case(self, alert_id: int) -> None:
        self.panels.case.open_alert(alert_id)
        self.centre.setCurrentWidget(self.panels.case)

    def _tick(self) -> None:
        now = datetime.now(TAIPEI)
        self.clock.setText(self.tr("Taipei time {time}").format(time=now.strftime("%Y-%m-%d %H:%M:%S")))

    # -- live data --------------------------------------------------------------------------------

    def on_events(self, events: list[IngestEvent]) -> None:
        """A batch of ingest events (GUI thread): fold into the fleet picture and refresh the inbox."""
        unknown = {t for t in self._fleet.apply(events) if self._fleet.get(t) is None}
        if unknown:
            self._reload_trips(unknown)
        alert_ids = {e.alert_id for e in events if isinstance(e, AlertRaised | AlertOccurred)}
        if alert_ids:
            self.panels.inbox.refresh_alerts(alert_ids)

    def repaint_fleet(self) -> None:
        now = self._now()
        trucks = self._fleet.trucks()
        self.panels.map.set_trucks(truck_markers(trucks, now))
        self.panels.trips.set_trucks(trucks, now)

    def show_trip_detail(self, detail: TripDetail | None) -> None:
        self.panels.trips.show_detail(detail)

    def show_feed_started(self) -> None:
        self.statusBar().showMessage(self.tr("Simulated fleet running"), 10000)

    def show_feed_failed(self, error: str) -> None:
        self.statusBar().showMessage(self.tr("The feed could not start: {error}").format(error=error))

    def focus_inbox(self) -> None:
        self.docks["inbox"].show()
        self.panels.inbox.setFocus()

    def focus_search(self) -> None:
        self.docks["trips"].show()
        self.panels.trips.search.setFocus()
        self.panels.trips.search.selectAll()

    # -- layout per workstation --------------------------------------------------------------------

    def restore_layout(self) -> None:
        settings = QSettings()
        geometry = settings.value("main_window/geometry")
        state = settings.value("main_window/state")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        if isinstance(state, QByteArray) and self.restoreState(state, LAYOUT_VERSION):
            return
        QTimer.singleShot(0, self._default_sizes)

    def _default_sizes(self) -> None:
        """The map stays the largest part; the lists get room to read several rows at once."""
        self.resizeDocks([self.docks["trips"]], [460], Qt.Orientation.Horizontal)
        self.resizeDocks([self.docks["inbox"]], [max(380, self.height() * 2 // 5)], Qt.Orientation.Vertical)

    def save_layout(self) -> None:
        settings = QSettings()
        settings.setValue("main_window/geometry", self.saveGeometry())
        settings.setValue("main_window/state", self.saveState(LAYOUT_VERSION))

    def reset_layout(self) -> None:
        self.restoreState(self._default_state, LAYOUT_VERSION)
        for dock in self.docks.values():
            dock.show()
        self._default_sizes()

    def shutdown(self) -> None:
        """Stop every timer of the window and its panels; after this it only waits to be deleted."""
        for timer in (self._repaint, self._clock_timer):
            timer.stop()
        self.feed_status.stop()
        self.panels.inbox.shutdown()
        self.panels.case.shutdown()
        self.panels.map.shutdown()

    def closeEvent(self, event: Any) -> None:
        self.save_layout()
        super().closeEvent(event)
