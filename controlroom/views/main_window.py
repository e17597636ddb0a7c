"""The main window: assembles panels and the status bar; it holds no business logic."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QHeaderView, QLabel, QMainWindow, QTableView, QTabWidget, QWidget

from controlroom.domain.roles import Role
from controlroom.views.row_model import Column, RowTableModel
from controlroom.views.tasks import TaskRunner

TAIPEI = ZoneInfo("Asia/Taipei")


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
                Column("customs_house", self.tr("Customs house"), self._house_name),
            ],
            self,
        )
        self.setModel(self.model_)
        self.setAlternatingRowColors(True)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)
        self.verticalHeader().hide()

    def _house_name(self, value: str) -> str:
        names = {
            "keelung": self.tr("Keelung Customs"),
            "taipei": self.tr("Taipei Customs"),
            "taichung": self.tr("Taichung Customs"),
            "kaohsiung": self.tr("Kaohsiung Customs"),
        }
        return names.get(value, value)


class MainWindow(QMainWindow):
    def __init__(
        self,
        tasks: TaskRunner,
        load_stations: Callable[[], list[dict[str, Any]]],
        user: dict[str, Any],
        database_label: str,
    ) -> None:
        super().__init__()
        self._tasks = tasks
        self.setObjectName("main_window")
        self.setWindowTitle(self.tr("Joint Management Center — Container Monitoring"))
        self.tabs = QTabWidget()
        self.stations = StationsPanel()
        self.tabs.addTab(self.stations, self.tr("Stations"))
        self.setCentralWidget(self.tabs)

        role = Role(user["role"])
        self.user_label = QLabel(
            self.tr("User: {name} ({role})").format(name=user["display_name"], role=role_text(role))
        )
        self.database_label = QLabel(self.tr("Database: {db}").format(db=database_label))
        self.clock = QLabel()
        self.clock.setObjectName("clock")
        for widget in (self.user_label, self.database_label):
            self.statusBar().addWidget(widget)
        self.statusBar().addPermanentWidget(self.clock)
        self._clock_timer = QTimer(self)
        self._clock_timer.timeout.connect(self._tick)
        self._clock_timer.start(1000)
        self._tick()
        tasks.submit(load_stations, self.stations.model_.set_rows)

    def _tick(self) -> None:
        now = datetime.now(TAIPEI)
        self.clock.setText(self.tr("Taipei time {time}").format(time=now.strftime("%Y-%m-%d %H:%M:%S")))


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
