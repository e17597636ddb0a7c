"""The alert inbox panel: filters, counts, the live table, the flood view and the alarm actions.

It presents and commands: rows come from the Qt-free InboxService, actions go to CaseService on
the TaskRunner, and the panel reports "saved" only when the worker's commit came back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import timedelta

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from controlroom.domain.catalogue import CATALOGUE
from controlroom.models.enums import AlertStatus
from controlroom.services.cases import Actor, CaseConflict, CaseService
from controlroom.services.inbox import (
    FLOOD_WINDOW,
    OPEN_STATES,
    AlertList,
    AlertRow,
    Assignment,
    FloodGroup,
    InboxFilter,
    InboxService,
    filter_rows,
    flood_active,
    flood_groups,
    state_counts,
)
from controlroom.views import theme
from controlroom.views.cases.messages import error_message
from controlroom.views.inbox.announcer import Announcer
from controlroom.views.inbox.delegate import SeverityDelegate
from controlroom.views.inbox.dialogs import AcknowledgeDialog, ShelveDialog
from controlroom.views.inbox.model import (
    Col,
    InboxModel,
    InboxProxy,
    age_text,
    house_text,
    ids_text,
    severity_colour,
    severity_text,
    side_text,
    state_text,
    taipei_time,
)
from controlroom.views.tasks import TaskGroup, TaskRunner

logger = logging.getLogger(__name__)

UNSHELVE_EVERY_MS = 30_000
TICK_MS = 30_000
_ALL_OPEN = "open"
_ALL = "all"


class InboxPanel(QWidget):
    """The duty officer's alert list. ``add_or_update`` and ``refresh_alerts`` take live changes."""

    case_requested = Signal(int)  # alert id
    message = Signal(str)

    def __init__(
        self,
        tasks: TaskRunner,
        inbox: InboxService,
        cases: CaseService,
        actor: Actor,
        *,
        wall_scale: float = 1.0,
        sound: bool = True,
        unshelve_every_ms: int = UNSHELVE_EVERY_MS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("inbox")
        self._tasks = tasks
        self._inbox = inbox
        self._cases = cases
        self._actor = actor
        self._jobs = TaskGroup(tasks, self._failed)
        self._houses: dict[str, str] = {}
        self.alerts = AlertList()
        self.model = InboxModel(self.alerts, inbox.clock.now, self)
        self.proxy = InboxProxy(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.sort(Col.TIME, Qt.SortOrder.DescendingOrder)
        self.announcer = Announcer(self.model, sound=sound, parent=self)
        self.groups: list[FloodGroup] = []
        self._build(wall_scale)
        self._apply_filter()

        self._recount = QTimer(self)  # data rate ≠ paint rate: counts and groups follow on a short timer
        self._recount.setSingleShot(True)
        self._recount.setInterval(150)
        self._recount.timeout.connect(self._refresh_summary)
        for signal in (self.proxy.rowsInserted, self.proxy.rowsRemoved, self.proxy.modelReset):
            signal.connect(self._recount.start)
        self.model.dataChanged.connect(lambda *_: self._recount.start())
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self._on_tick)
        self._tick.start()
        self._unshelve = QTimer(self)
        self._unshelve.setInterval(unshelve_every_ms)
        self._unshelve.timeout.connect(self.unshelve_due)
        self._unshelve.start()
        self.announcer.changed.connect(self._update_silence)

    # -- building --------------------------------------------------------------------------------

    def _build(self, wall_scale: float) -> None:
        font = QFont(self.font())
        font.setPointSizeF(max(8.0, font.pointSizeF() * wall_scale))
        self.setFont(font)
        self._point_size = round(font.pointSizeF())

        self.search = QLineEdit()
        self.search.setObjectName("inbox_search")
        self.search.setPlaceholderText(self.tr("Search CN, container, plate or seal"))
        self.search.setClearButtonEnabled(True)
        self.state_filter = self._combo("filter_state")
        self.state_filter.addItem(self.tr("All open"), _ALL_OPEN)
        for state in AlertStatus:
            self.state_filter.addItem(state_text(state), state.value)
        self.state_filter.addItem(self.tr("All, closed included"), _ALL)
        self.code_filter = self._combo("filter_code")
        self.code_filter.addItem(self.tr("All alert types"), None)
        for code, kind in CATALOGUE.items():
            self.code_filter.addItem(f"{code} {kind.name_zh}", code)
        self.family_filter = self._combo("filter_family")
        self.family_filter.addItem(self.tr("Both seal families"), None)
        self.family_filter.addItem(self.tr("Vehicle seals"), "vehicle")
        self.family_filter.addItem(self.tr("Passive / e-paper seals"), "passive")
        self.house_filter = self._combo("filter_house")
        self.house_filter.addItem(self.tr("All customs houses"), None)
        for house in ("keelung", "taipei", "taichung", "kaohsiung"):
            self.house_filter.addItem(house_text(house), house)
        self.station_filter = self._combo("filter_station")
        self.station_filter.addItem(self.tr("All stations"), None)
        self.assignment_filter = self._combo("filter_assignment")
        self.assignment_filter.addItem(self.tr("Anyone's"), Assignment.ANY.value)
        self.assignment_filter.addItem(self.tr("Mine"), Assignment.MINE.value)
        self.assignment_filter.addItem(self.tr("Unassigned"), Assignment.UNASSIGNED.value)
        self.search.textChanged.connect(self._apply_filter)

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        for combo in (
            self.state_filter,
            self.code_filter,
            self.family_filter,
            self.house_filter,
            self.station_filter,
            self.assignment_filter,
        ):
            filters.addWidget(combo, 1)

        counts = QHBoxLayout()
        self.count_labels: dict[AlertStatus, QLabel] = {}
        for state in AlertStatus:
            label = QLabel()
            label.setObjectName(f"count_{state.value}")
            counts.addWidget(label)
            self.count_labels[state] = label
        counts.addStretch(1)

        self.flood_banner = QLabel()
        self.flood_banner.setObjectName("flood_banner")
        self.flood_banner.setStyleSheet(
            f"background:{theme.ALARM_HIGH}; color:white; font-weight:bold; padding:4px 8px;"
            f"font-size:{self._point_size}pt;"
        )
        self.flood_banner.hide()
        self.group_toggle = QPushButton(self.tr("Group by cause"))
        self.group_toggle.setObjectName("group_toggle")
        self.group_toggle.setCheckable(True)
        self.group_toggle.toggled.connect(self._show_groups)
        banner = QHBoxLayout()
        banner.addWidget(self.flood_banner, 1)
        banner.addWidget(self.group_toggle)

        self.table = QTableView()
        self.table.setObjectName("inbox_table")
        self.table.setModel(self.proxy)
        self.table.setItemDelegateForColumn(Col.SEVERITY, SeverityDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Col.TIME, Qt.SortOrder.DescendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(int(font.pointSizeF() * 2.6))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(Col.IDS, QHeaderView.ResizeMode.Stretch)
        metrics = QFontMetrics(font)
        samples = {  # widths from the type, not from the rows: no per-row measuring on a busy inbox
            Col.TIME: "11-23 14:08",
            Col.ALERT: "OVERDUE_NOT_ARRIVED 逾時未到站",
            Col.SEVERITY: "◆◆ " + max((severity_text(s) for s in ("high", "medium", "low")), key=len),
            Col.IDS: "CN202611200210 / TGHU0000210 / KLB1110",
            Col.ROUTE: "KHC101 → KHY201",
            Col.SIDE: max((side_text(s) for s in ("origin", "destination", "both", "jmc")), key=len),
            Col.STATE: max((state_text(s) for s in AlertStatus), key=len),
            Col.ASSIGNEE: "duty12",
            Col.AGE: age_text(59 * 3600 - 60),
            Col.COUNT: "×999",
        }
        for column, sample in samples.items():
            header.resizeSection(column, metrics.horizontalAdvance(sample) + metrics.height())
        self.table.doubleClicked.connect(lambda _index: self._open_case())

        self.tree = QTreeWidget()
        self.tree.setObjectName("flood_tree")
        self.tree.setHeaderLabels(
            [self.tr("Cause"), self.tr("Alerts"), self.tr("Severity"), self.tr("Where"), self.tr("Time")]
        )
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setStretchLastSection(False)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.tree)

        self.ack_button = QPushButton(self.tr("Acknowledge…"))
        self.ack_button.setObjectName("acknowledge")
        self.ack_button.clicked.connect(self._ask_acknowledge)
        self.shelve_button = QPushButton(self.tr("Shelve…"))
        self.shelve_button.setObjectName("shelve")
        self.shelve_button.clicked.connect(self._ask_shelve)
        self.case_button = QPushButton(self.tr("Open case"))
        self.case_button.setObjectName("open_case")
        self.case_button.clicked.connect(self._open_case)
        self.silence_button = QPushButton(self.tr("Silence alarm"))
        self.silence_button.setObjectName("silence")
        self.silence_button.setEnabled(False)
        self.silence_button.clicked.connect(self.announcer.silence)
        self.status = QLabel()
        self.status.setObjectName("inbox_status")
        actions = QHBoxLayout()
        for button in (self.ack_button, self.shelve_button, self.case_button, self.silence_button):
            actions.addWidget(button)
        actions.addWidget(self.status, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(counts)
        layout.addLayout(banner)
        layout.addWidget(self.stack, 1)
        layout.addLayout(actions)

    def _combo(self, name: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.currentIndexChanged.connect(self._apply_filter)
        return combo

    # -- loading and live updates ---------------------------------------------------------------------

    @property
    def idle(self) -> bool:
        """No action or load of this panel is still running (tests and screenshots wait for it)."""
        return self._jobs.idle

    def load(self) -> None:
        """The initial load: reference data for the filters, open and recently closed alerts."""

        def work() -> tuple[dict[str, str], list[AlertRow]]:
            return self._inbox.station_houses(), self._inbox.load_open()

        self._jobs.submit(work, self._loaded)

    def _loaded(self, result: tuple[dict[str, str], list[AlertRow]]) -> None:
        houses, rows = result
        self._houses = houses
        current = self.station_filter.currentData()
        self.station_filter.blockSignals(True)
        while self.station_filter.count() > 1:
            self.station_filter.removeItem(1)
        for code in sorted(houses):
            self.station_filter.addItem(code, code)
        index = self.station_filter.findData(current)
        self.station_filter.setCurrentIndex(max(0, index))
        self.station_filter.blockSignals(False)
        self.alerts.replace_all(rows)
        self._announce_from(rows, {})
        self._refresh_summary()

    def add_or_update(self, rows: Iterable[AlertRow]) -> None:
        """Live entry point: new alerts appear at the top, known ones change in place."""
        rows = list(rows)
        before = {row.id: known.status for row in rows if (known := self.alerts.get(row.id)) is not None}
        self.alerts.add_or_update(rows)
        self._announce_from(rows, before)

    def refresh_alerts(self, alert_ids: Iterable[int]) -> None:
        """Reload these alerts from the database (after an ingest event or another workstation's action)."""
        ids = list(alert_ids)
        if ids:
            self._jobs.submit(lambda: self._inbox.rows(ids), self.add_or_update)

    def _announce_from(self, rows: list[AlertRow], before: dict[int, AlertStatus]) -> None:
        announce, settle = [], []
        for row in rows:
            unacknowledged = row.status is AlertStatus.UNACKNOWLEDGED
            if (
                unacknowledged
                and row.severity == "high"
                and before.get(row.id) is not AlertStatus.UNACKNOWLEDGED
            ):
                announce.append(row.id)
            elif not unacknowledged:
                settle.append(row.id)
        if settle:
            self.announcer.settle(settle)
        if announce:
            self.announcer.announce(announce)

    def unshelve_due(self) -> None:
        """Shelved alerts whose time ran out come back unacknowledged (and are announced again)."""
        self._jobs.submit(lambda: self._inbox.rows(self._cases.unshelve_due()), self.add_or_update)

    def _on_tick(self) -> None:
        self.model.tick()
        self._refresh_summary()

    # -- filters, counts, floods ------------------------------------------------------------------------

    def current_filter(self) -> InboxFilter:
        state = self.state_filter.currentData()
        states: frozenset[AlertStatus]
        if state == _ALL_OPEN:
            states = frozenset(OPEN_STATES)
        elif state == _ALL or state is None:
            states = frozenset()
        else:
            states = frozenset({AlertStatus(state)})
        code = self.code_filter.currentData()
        return InboxFilter(
            states=states,
            codes=frozenset({code}) if code else frozenset(),
            family=self.family_filter.currentData(),
            customs_house=self.house_filter.currentData(),
            station=self.station_filter.currentData(),
            assignment=Assignment(self.assignment_filter.currentData() or Assignment.ANY.value),
            username=self._actor.username,
            text=self.search.text(),
        )

    def _apply_filter(self) -> None:
        if not hasattr(self, "assignment_filter"):
            return  # still building
        self.proxy.set_filter(self.current_filter())
        if hasattr(self, "_recount"):
            self._recount.start()

    def _refresh_summary(self) -> None:
        rows = self.alerts.rows()
        counts = state_counts(rows)
        for state, label in self.count_labels.items():
            label.setText(f"{state_text(state)} {counts[state]}")
            bold = state is AlertStatus.UNACKNOWLEDGED and counts[state] > 0
            label.setStyleSheet(
                f"font-size:{self._point_size}pt; font-weight:{'bold' if bold else 'normal'};"
                + (f"border-bottom:3px solid {theme.ALARM_HIGH};" if bold else "")
            )
        now = self._inbox.clock.now()
        visible = [r for r in filter_rows(rows, self.proxy.filter) if r.is_open]
        self.groups = flood_groups(visible)
        flooding = flood_active(rows, now)
        if flooding:
            recent = sum(1 for r in rows if now - FLOOD_WINDOW < r.raised_at <= now)
            self.flood_banner.setText(
                self.tr("⚠ Alert flood: {n} alerts in 10 minutes — {g} causes").format(
                    n=recent, g=len(self.groups)
                )
            )
        self.flood_banner.setVisible(flooding)
        if self.group_toggle.isChecked():
            self._fill_tree()

    def _show_groups(self, grouped: bool) -> None:
        if grouped:
            self._refresh_summary()
        self.stack.setCurrentWidget(self.tree if grouped else self.table)

    def _fill_tree(self) -> None:
        self.tree.clear()
        for group in self.groups:
            head = group.head
            item = QTreeWidgetItem(
                [
                    self._group_title(group),
                    str(group.count),
                    severity_text(group.severity),
                    self._group_where(group),
                    f"{taipei_time(group.first_at)}–{taipei_time(group.last_at)}",
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, head.id)
            item.setForeground(2, theme_brush(group.severity))
            for member in group.members:
                child = QTreeWidgetItem(
                    [
                        f"{member.code} {member.name_zh}  {ids_text(member)}",
                        f"×{member.occurrences}",
                        severity_text(member.severity),
                        f"{member.origin or '?'} → {member.destination or '?'}",
                        f"{taipei_time(member.raised_at)} {state_text(member.status)}",
                    ]
                )
                child.setData(0, Qt.ItemDataRole.UserRole, member.id)
                item.addChild(child)
            self.tree.addTopLevelItem(item)
        for column in range(1, 5):
            self.tree.resizeColumnToContents(column)

    def _group_title(self, group: FloodGroup) -> str:
        head = group.head
        name = f"{head.code} {head.name_zh}"
        if group.kind == "cause":
            return self.tr("Cause: {name} — {ids}").format(name=name, ids=ids_text(head))
        if group.kind == "code_station":
            return self.tr("Same alert at one station: {name}").format(name=name)
        if group.kind == "origin":
            return self.tr("Same origin: {codes}").format(codes=", ".join(group.codes))
        return f"{name} — {ids_text(head)}"

    @staticmethod
    def _group_where(group: FloodGroup) -> str:
        head = group.head
        if group.kind == "code_station":
            return head.station or "?"
        if group.kind == "origin":
            return head.origin or "?"
        return f"{head.origin or '?'} → {head.destination or '?'}"

    def _update_silence(self) -> None:
        self.silence_button.setEnabled(bool(self.announcer.pending) and not self.announcer.silenced)

    # -- actions --------------------------------------------------------------------------------------

    def selected_ids(self) -> list[int]:
        """The selected alert, or every member of the selected flood group."""
        if self.stack.currentWidget() is self.tree:
            item = self.tree.currentItem()
            if item is None:
                return []
            if item.parent() is None:
                children = (item.child(i) for i in range(item.childCount()))
                return [c.data(0, Qt.ItemDataRole.UserRole) for c in children if c is not None]
            return [item.data(0, Qt.ItemDataRole.UserRole)]
        rows = self.table.selectionModel().selectedRows()
        found = [self.proxy.row_at(index.row()) for index in rows]
        return [row.id for row in found if row is not None]

    def select_alert(self, alert_id: int) -> bool:
        for proxy_row in range(self.proxy.rowCount()):
            row = self.proxy.row_at(proxy_row)
            if row is not None and row.id == alert_id:
                flags = (
                    QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
                )
                self.table.selectionModel().select(self.proxy.index(proxy_row, 0), flags)
                self.table.setCurrentIndex(self.proxy.index(proxy_row, 0))
                return True
        return False

    def _summary(self, ids: list[int]) -> str:
        rows = [r for r in (self.alerts.get(i) for i in ids) if r is not None]
        if len(rows) == 1:
            row = rows[0]
            return f"{row.code} {row.name_zh} — {ids_text(row)}"
        return self.tr("{n} alerts").format(n=len(rows))

    def _ask_acknowledge(self) -> None:
        ids = [i for i in self.selected_ids() if self._is(i, AlertStatus.UNACKNOWLEDGED, AlertStatus.SHELVED)]
        if not ids:
            self._say(self.tr("Select an unacknowledged alert first."))
            return
        dialog = AcknowledgeDialog(self._summary(ids), self)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        if accepted:
            self.acknowledge(ids, dialog.note_text())

    def _ask_shelve(self) -> None:
        ids = [
            i
            for i in self.selected_ids()
            if self._is(i, AlertStatus.UNACKNOWLEDGED, AlertStatus.ACKNOWLEDGED)
        ]
        if not ids:
            self._say(self.tr("Select an unacknowledged or acknowledged alert first."))
            return
        dialog = ShelveDialog(self._summary(ids), self)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        if accepted:
            self.shelve(ids, dialog.chosen_duration(), dialog.reason_text())

    def _is(self, alert_id: int, *states: AlertStatus) -> bool:
        row = self.alerts.get(alert_id)
        return row is not None and row.status in states

    def acknowledge(self, alert_ids: list[int], note: str = "") -> None:
        """Acknowledge on the worker; the rows refresh and "saved" shows once the commit is back."""
        expected = {i: row.version for i in alert_ids if (row := self.alerts.get(i)) is not None}

        def work() -> list[AlertRow]:
            for alert_id in alert_ids:
                self._cases.acknowledge(alert_id, self._actor, note, expected_version=expected.get(alert_id))
            return self._inbox.rows(alert_ids)

        self._run_action(alert_ids, work, self.tr("Acknowledged — saved."))

    def shelve(self, alert_ids: list[int], duration: timedelta, reason: str) -> None:
        expected = {i: row.version for i in alert_ids if (row := self.alerts.get(i)) is not None}

        def work() -> list[AlertRow]:
            for alert_id in alert_ids:
                self._cases.shelve(
                    alert_id, self._actor, duration, reason, expected_version=expected.get(alert_id)
                )
            return self._inbox.rows(alert_ids)

        self._run_action(alert_ids, work, self.tr("Shelved — saved."))

    def _run_action(self, alert_ids: list[int], work: Callable[[], list[AlertRow]], saved: str) -> None:
        self._say(self.tr("Saving…"))

        def done(rows: list[AlertRow]) -> None:
            self.add_or_update(rows)
            self._say(saved)

        def failed(error: BaseException) -> None:
            self._failed(error)
            self.refresh_alerts(alert_ids)  # whatever did commit, and the other workstation's change

        self._jobs.submit(work, done, failed)

    def _open_case(self) -> None:
        ids = self.selected_ids()
        if len(ids) != 1:
            self._say(self.tr("Select one alert to open its case."))
            return
        self.case_requested.emit(ids[0])

    def _failed(self, error: BaseException) -> None:
        text = error_message(error)
        if text is None:
            logger.error("inbox action failed", exc_info=error)
            text = self.tr("The action failed; the error was logged.")
        elif isinstance(error, CaseConflict):
            logger.info("inbox: %s", error)
        self._say(text)

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.message.emit(text)

    def shutdown(self) -> None:
        """Stop timers and sound (the main window calls this before the task runner shuts down)."""
        for timer in (self._tick, self._unshelve, self._recount):
            timer.stop()
        self.announcer.close()


def theme_brush(severity: str) -> QBrush:
    return QBrush(QColor(severity_colour(severity)))
