"""The inbox table: a thin Qt adapter over the plain AlertList, its sort/filter proxy and texts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from controlroom.models.enums import AlertStatus
from controlroom.services.inbox import (
    AlertList,
    AlertListEvent,
    AlertRow,
    InboxFilter,
    SortKey,
    matches,
    sort_value,
)
from controlroom.views import theme

TAIPEI = ZoneInfo("Asia/Taipei")
Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the AlertRow itself
SORT_ROLE = Qt.ItemDataRole.UserRole + 2  # a value that sorts the column naturally
SEVERITY_ROLE = Qt.ItemDataRole.UserRole + 3  # "high" / "medium" / "low"


class Col(IntEnum):
    TIME = 0
    ALERT = 1
    SEVERITY = 2
    IDS = 3
    ROUTE = 4
    SIDE = 5
    STATE = 6
    ASSIGNEE = 7
    AGE = 8
    COUNT = 9


_SORT_KEYS = {
    Col.TIME: SortKey.RAISED,
    Col.ALERT: SortKey.CODE,
    Col.SEVERITY: SortKey.SEVERITY,
    Col.IDS: SortKey.CN,
    Col.ROUTE: SortKey.ORIGIN,
    Col.STATE: SortKey.STATUS,
    Col.ASSIGNEE: SortKey.ASSIGNEE,
    Col.AGE: SortKey.RAISED,
    Col.COUNT: SortKey.OCCURRENCES,
}


def state_text(status: AlertStatus) -> str:
    return {
        AlertStatus.UNACKNOWLEDGED: QCoreApplication.translate("Inbox", "Unacknowledged"),
        AlertStatus.ACKNOWLEDGED: QCoreApplication.translate("Inbox", "Acknowledged"),
        AlertStatus.SHELVED: QCoreApplication.translate("Inbox", "Shelved"),
        AlertStatus.IN_HANDLING: QCoreApplication.translate("Inbox", "In handling"),
        AlertStatus.AWAITING_SIGNOFF: QCoreApplication.translate("Inbox", "Awaiting sign-off"),
        AlertStatus.CLOSED: QCoreApplication.translate("Inbox", "Closed"),
    }[status]


def severity_text(severity: str) -> str:
    return {
        "high": QCoreApplication.translate("Inbox", "High"),
        "medium": QCoreApplication.translate("Inbox", "Medium"),
        "low": QCoreApplication.translate("Inbox", "Low"),
    }.get(severity, severity)


def side_text(side: str) -> str:
    return {
        "origin": QCoreApplication.translate("Inbox", "Origin"),
        "destination": QCoreApplication.translate("Inbox", "Destination"),
        "both": QCoreApplication.translate("Inbox", "Both"),
        "jmc": QCoreApplication.translate("Inbox", "JMC"),
    }.get(side, side)


def house_text(house: str) -> str:
    return {
        "keelung": QCoreApplication.translate("Inbox", "Keelung Customs"),
        "taipei": QCoreApplication.translate("Inbox", "Taipei Customs"),
        "taichung": QCoreApplication.translate("Inbox", "Taichung Customs"),
        "kaohsiung": QCoreApplication.translate("Inbox", "Kaohsiung Customs"),
        "national": QCoreApplication.translate("Inbox", "National"),
    }.get(house, house)


def severity_colour(severity: str) -> str:
    return {"high": theme.ALARM_HIGH, "medium": theme.ALARM_MEDIUM, "low": theme.ALARM_LOW}.get(
        severity, theme.NORMAL
    )


def taipei_time(value: datetime, with_date: bool = False) -> str:
    local = value.astimezone(TAIPEI)
    return local.strftime("%m-%d %H:%M:%S" if with_date else "%H:%M:%S")


def age_text(seconds: float) -> str:
    minutes = max(0, int(seconds // 60))
    if minutes < 60:
        return QCoreApplication.translate("Inbox", "{m} min").format(m=minutes)
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return QCoreApplication.translate("Inbox", "{h} h {m} min").format(h=hours, m=minutes)
    return QCoreApplication.translate("Inbox", "{d} d").format(d=hours // 24)


def ids_text(row: AlertRow) -> str:
    return " / ".join(value for value in (row.cn_no, row.container_no, row.plate) if value)


def route_text(row: AlertRow) -> str:
    return f"{row.origin or '?'} → {row.destination or '?'}"


class InboxModel(QAbstractTableModel):
    """Presents an AlertList; it holds no rows of its own and follows the list's events."""

    def __init__(
        self,
        alerts: AlertList,
        now: Callable[[], datetime] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._alerts = alerts
        self._now = now or (lambda: datetime.now(UTC))
        self._flashing: frozenset[int] = frozenset()
        self._sort_keys: dict[tuple[int, int], Any] = {}  # (alert id, column) → sort value
        self._flash_on = False
        self._bold = QFont()
        self._bold.setBold(True)
        self._headers = [
            self.tr("Time"),
            self.tr("Alert"),
            self.tr("Severity"),
            self.tr("CN / container / plate"),
            self.tr("Origin → destination"),
            self.tr("Handled by"),
            self.tr("State"),
            self.tr("Assignee"),
            self.tr("Age"),
            self.tr("Count"),
        ]
        alerts.subscribe(self._on_list_event)

    @property
    def alerts(self) -> AlertList:
        return self._alerts

    def detach(self) -> None:
        self._alerts.unsubscribe(self._on_list_event)

    def _on_list_event(self, event: AlertListEvent, first: int, last: int) -> None:
        if event is AlertListEvent.CHANGED:
            for row in range(first, last + 1):
                alert_id = self._alerts[row].id
                for column in Col:
                    self._sort_keys.pop((alert_id, column), None)
        elif event is AlertListEvent.RESET:
            self._sort_keys.clear()
        if event is AlertListEvent.INSERTING:
            self.beginInsertRows(_ROOT, first, last)
        elif event is AlertListEvent.INSERTED:
            self.endInsertRows()
        elif event is AlertListEvent.REMOVING:
            self.beginRemoveRows(_ROOT, first, last)
        elif event is AlertListEvent.REMOVED:
            self.endRemoveRows()
        elif event is AlertListEvent.RESETTING:
            self.beginResetModel()
        elif event is AlertListEvent.RESET:
            self.endResetModel()
        elif event is AlertListEvent.CHANGED:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(Col) - 1))

    # -- flashing and the clock ---------------------------------------------------------------------

    def set_flash(self, alert_ids: frozenset[int], on: bool) -> None:
        """Rows of announced alerts alternate their background; the state text says why."""
        changed = self._flashing | alert_ids
        self._flashing, self._flash_on = alert_ids, on
        for alert_id in changed:
            row = self._alerts.index_of(alert_id)
            if row is not None:
                self.dataChanged.emit(
                    self.index(row, 0), self.index(row, len(Col) - 1), [Qt.ItemDataRole.BackgroundRole]
                )

    def tick(self) -> None:
        """The age column moves with the clock."""
        if self._alerts:
            self.dataChanged.emit(
                self.index(0, Col.AGE),
                self.index(len(self._alerts) - 1, Col.AGE),
                [Qt.ItemDataRole.DisplayRole],
            )

    # -- QAbstractTableModel -----------------------------------------------------------------------

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._alerts)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(Col)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
        return self._headers[section] if horizontal and 0 <= section < len(self._headers) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == SORT_ROLE:  # the hot path while the proxy sorts: cached, no formatting
            return self._sort_key(index.row(), index.column())
        if not index.isValid() or not 0 <= index.row() < len(self._alerts):
            return None
        row = self._alerts[index.row()]
        column = Col(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == ROW_ROLE:
            return row
        if role == SEVERITY_ROLE:
            return row.severity
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row)
        if role == Qt.ItemDataRole.BackgroundRole and row.id in self._flashing and self._flash_on:
            return QBrush(QColor(theme.ALARM_HIGH).lighter(170))
        if role == Qt.ItemDataRole.FontRole and row.status is AlertStatus.UNACKNOWLEDGED:
            return self._bold
        if role == Qt.ItemDataRole.ForegroundRole and row.status is AlertStatus.CLOSED:
            return QBrush(QColor(theme.MUTED))
        return None

    def _sort_key(self, row_index: int, column: int) -> Any:
        if not 0 <= row_index < len(self._alerts) or not 0 <= column < len(Col):
            return None
        row = self._alerts[row_index]
        cached = self._sort_keys.get((row.id, column))
        if cached is None:
            key = _SORT_KEYS.get(Col(column))
            cached = sort_value(row, key) if key is not None else self._display(row, Col(column))
            self._sort_keys[(row.id, column)] = cached
        return cached

    def _display(self, row: AlertRow, column: Col) -> str:
        if column is Col.TIME:  # today's alerts by time alone; older ones with the date
            local, today = row.raised_at.astimezone(TAIPEI), self._now().astimezone(TAIPEI).date()
            return local.strftime("%H:%M:%S") if local.date() == today else local.strftime("%m-%d %H:%M")
        if column is Col.ALERT:
            return f"{row.code} {row.name_zh}"
        if column is Col.SEVERITY:
            return severity_text(row.severity)
        if column is Col.IDS:
            return ids_text(row)
        if column is Col.ROUTE:
            return route_text(row)
        if column is Col.SIDE:
            return side_text(row.side)
        if column is Col.STATE:
            if row.status is AlertStatus.SHELVED and row.shelved_until is not None:
                until = taipei_time(row.shelved_until)
                return self.tr("Shelved until {time}").format(time=until)
            return state_text(row.status)
        if column is Col.ASSIGNEE:
            return row.assignee or "—"
        if column is Col.AGE:
            return age_text((self._now() - row.raised_at).total_seconds())
        return f"×{row.occurrences}"

    def _tooltip(self, row: AlertRow) -> str:
        last = taipei_time(row.last_occurrence_at, with_date=True)
        return self.tr("{name} — seal {seal}; {n} occurrence(s), last at {last}").format(
            name=row.name_en, seal=row.seal_no or "—", n=row.occurrences, last=last
        )


class InboxProxy(QSortFilterProxyModel):
    """Filters with the plain ``matches`` rule and sorts on the natural value of each column."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._filter = InboxFilter()
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    @property
    def filter(self) -> InboxFilter:
        return self._filter

    def set_filter(self, query: InboxFilter) -> None:
        if query != self._filter:
            self.beginFilterChange()
            self._filter = query
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        source = self.sourceModel()
        if not isinstance(source, InboxModel) or source_row >= len(source.alerts):
            return True
        return matches(source.alerts[source_row], self._filter)

    def row_at(self, proxy_row: int) -> AlertRow | None:
        value = self.index(proxy_row, 0).data(ROW_ROLE)
        return value if isinstance(value, AlertRow) else None
