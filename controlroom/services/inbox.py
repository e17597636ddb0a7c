"""The alert inbox without Qt: rows, a plain evented list, loaders, filters, counts and flood grouping.

The Qt table model in ``controlroom.views.inbox`` is a thin adapter over :class:`AlertList`; every
rule about which alert shows, in which order and in which flood group lives here and is tested
without a display.

Flood grouping (ISA-18.2 "alarm flood": more than 10 alarms in 10 minutes per operator): the
alerts of a flood are grouped by their cause so the officer sees the few real problems:

1. alerts linked through ``caused_by`` form one group under the root cause (a unit losing power
   brings its seal's loss of contact along);
2. the rest group by the same code at the same station (a gate or yard whose reader or network
   failed raises the same alert for every truck);
3. what is left groups by the same origin when two or more share it; the rest stay single.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from controlroom.domain.catalogue import CATALOGUE, Severity, alert_kind
from controlroom.models import Alert, Station
from controlroom.models.enums import AlertStatus
from controlroom.rules.clock import Clock
from controlroom.storage.database import Database

__all__ = [
    "FLOOD_THRESHOLD",
    "FLOOD_WINDOW",
    "OPEN_STATES",
    "AlertList",
    "AlertListEvent",
    "AlertRow",
    "Assignment",
    "FloodGroup",
    "HistoryPage",
    "HistoryQuery",
    "InboxFilter",
    "InboxService",
    "SortKey",
    "filter_rows",
    "flood_active",
    "flood_groups",
    "matches",
    "row_from_alert",
    "sort_rows",
    "state_counts",
]

FLOOD_WINDOW = timedelta(minutes=10)
FLOOD_THRESHOLD = 10  # more than this many arrivals within FLOOD_WINDOW is a flood
RECENTLY_CLOSED = timedelta(hours=24)
OPEN_STATES = frozenset(s for s in AlertStatus if s is not AlertStatus.CLOSED)
SEVERITY_RANK = {Severity.HIGH.value: 0, Severity.MEDIUM.value: 1, Severity.LOW.value: 2}


@dataclass(frozen=True, slots=True)
class AlertRow:
    """One inbox line: what the officer needs to recognise and triage an alert, nothing live."""

    id: int
    code: str
    name_zh: str
    name_en: str
    severity: str
    family: str
    status: AlertStatus
    cn_no: str | None
    container_no: str | None
    plate: str | None
    seal_no: str | None
    origin: str | None
    destination: str | None
    side: str
    assignee: str | None
    raised_at: datetime
    last_occurrence_at: datetime
    occurrences: int
    caused_by: int | None
    origin_house: str | None
    destination_house: str | None
    version: int
    shelved_until: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.status is not AlertStatus.CLOSED

    @property
    def station(self) -> str | None:
        """The station whose officers act: the destination for entry anomalies, else the origin."""
        return self.destination if self.side == "destination" else self.origin

    @property
    def severity_rank(self) -> int:
        return SEVERITY_RANK.get(self.severity, 3)


_ROW_COLUMNS = (
    Alert.id,
    Alert.code,
    Alert.severity,
    Alert.family,
    Alert.status,
    Alert.cn_no,
    Alert.container_no,
    Alert.plate,
    Alert.seal_no,
    Alert.origin,
    Alert.destination,
    Alert.side,
    Alert.assignee,
    Alert.raised_at,
    Alert.last_occurrence_at,
    Alert.occurrences,
    Alert.caused_by_id,
    Alert.version,
    Alert.shelved_until,
)


def _names(code: str) -> tuple[str, str]:
    kind = CATALOGUE.get(code)
    return (kind.name_zh, kind.name_en) if kind is not None else (code, code)


def _rows(session: Session, statement: Any, houses: Mapping[str, str]) -> list[AlertRow]:
    """Rows straight from the selected columns (_ROW_COLUMNS order): no ORM objects, no facts JSON."""
    rows = []
    for v in session.execute(statement):
        name_zh, name_en = _names(v[1])
        rows.append(
            AlertRow(
                id=v[0],
                code=v[1],
                name_zh=name_zh,
                name_en=name_en,
                severity=v[2],
                family=v[3],
                status=v[4],
                cn_no=v[5],
                container_no=v[6],
                plate=v[7],
                seal_no=v[8],
                origin=v[9],
                destination=v[10],
                side=v[11],
                assignee=v[12],
                raised_at=v[13],
                last_occurrence_at=v[14],
                occurrences=v[15],
                caused_by=v[16],
                origin_house=houses.get(v[9] or ""),
                destination_house=houses.get(v[10] or ""),
                version=v[17],
                shelved_until=v[18],
            )
        )
    return rows


def row_from_alert(alert: Alert, houses: Mapping[str, str]) -> AlertRow:
    try:
        kind = alert_kind(alert.code)
        name_zh, name_en = kind.name_zh, kind.name_en
    except KeyError:
        name_zh = name_en = alert.code
    return AlertRow(
        id=alert.id,
        code=alert.code,
        name_zh=name_zh,
        name_en=name_en,
        severity=alert.severity,
        family=alert.family,
        status=alert.status,
        cn_no=alert.cn_no,
        container_no=alert.container_no,
        plate=alert.plate,
        seal_no=alert.seal_no,
        origin=alert.origin,
        destination=alert.destination,
        side=alert.side,
        assignee=alert.assignee,
        raised_at=alert.raised_at,
        last_occurrence_at=alert.last_occurrence_at,
        occurrences=alert.occurrences,
        caused_by=alert.caused_by_id,
        origin_house=houses.get(alert.origin or ""),
        destination_house=houses.get(alert.destination or ""),
        version=alert.version,
        shelved_until=alert.shelved_until,
    )


# -- the evented list ----------------------------------------------------------------------------


class AlertListEvent(StrEnum):
    """What a listener is told; the ``*ing`` events come before the list changes, the others after."""

    INSERTING = "inserting"
    INSERTED = "inserted"
    REMOVING = "removing"
    REMOVED = "removed"
    CHANGED = "changed"
    RESETTING = "resetting"
    RESET = "reset"


Listener = Callable[[AlertListEvent, int, int], None]  # event, first index, last index (inclusive)


class AlertList:
    """The inbox's rows, newest first, with listeners told of every insert, update and removal.

    Ordering is by ``raised_at`` then id, both descending, so a live alert lands at index 0 and a
    late, out-of-order one lands where its original time puts it.
    """

    def __init__(self, rows: Iterable[AlertRow] = ()) -> None:
        self._rows: list[AlertRow] = sorted(rows, key=_newest_first)
        self._index = {row.id: i for i, row in enumerate(self._rows)}
        self._listeners: list[Listener] = []

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, index: int) -> AlertRow:
        return self._rows[index]

    def __iter__(self) -> Any:
        return iter(self._rows)

    def rows(self) -> list[AlertRow]:
        return list(self._rows)

    def get(self, alert_id: int) -> AlertRow | None:
        index = self._index.get(alert_id)
        return None if index is None else self._rows[index]

    def index_of(self, alert_id: int) -> int | None:
        return self._index.get(alert_id)

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        self._listeners.remove(listener)

    def _emit(self, event: AlertListEvent, first: int, last: int) -> None:
        for listener in list(self._listeners):
            listener(event, first, last)

    def _reindex(self, start: int = 0) -> None:
        for i in range(start, len(self._rows)):
            self._index[self._rows[i].id] = i

    def replace_all(self, rows: Iterable[AlertRow]) -> None:
        self._emit(AlertListEvent.RESETTING, 0, -1)
        self._rows = sorted(rows, key=_newest_first)
        self._index = {row.id: i for i, row in enumerate(self._rows)}
        self._emit(AlertListEvent.RESET, 0, len(self._rows) - 1)

    def add_or_update(self, rows: Iterable[AlertRow]) -> list[int]:
        """Insert new alerts at their place and update known ones; returns the ids that were new."""
        new: list[int] = []
        for row in rows:
            index = self._index.get(row.id)
            if index is None:
                self._insert(row)
                new.append(row.id)
            elif row.raised_at != self._rows[index].raised_at:
                self.remove(row.id)
                self._insert(row)
            elif row != self._rows[index]:
                self._rows[index] = row
                self._emit(AlertListEvent.CHANGED, index, index)
        return new

    def _insert(self, row: AlertRow) -> None:
        key = _newest_first(row)
        lo, hi = 0, len(self._rows)
        while lo < hi:  # bisect on the sort key (bisect's key= would rebuild keys per call)
            mid = (lo + hi) // 2
            if _newest_first(self._rows[mid]) < key:
                lo = mid + 1
            else:
                hi = mid
        self._emit(AlertListEvent.INSERTING, lo, lo)
        self._rows.insert(lo, row)
        self._reindex(lo)
        self._emit(AlertListEvent.INSERTED, lo, lo)

    def remove(self, alert_id: int) -> bool:
        index = self._index.get(alert_id)
        if index is None:
            return False
        self._emit(AlertListEvent.REMOVING, index, index)
        del self._rows[index]
        del self._index[alert_id]
        self._reindex(index)
        self._emit(AlertListEvent.REMOVED, index, index)
        return True


def _newest_first(row: AlertRow) -> tuple[float, int]:
    return (-row.raised_at.timestamp(), -row.id)


# -- filters, sorting, counts --------------------------------------------------------------------


class Assignment(StrEnum):
    ANY = "any"
    MINE = "mine"
    UNASSIGNED = "unassigned"


@dataclass(frozen=True)
class InboxFilter:
    """What the officer asked to see; empty fields match everything."""

    states: frozenset[AlertStatus] = frozenset()
    codes: frozenset[str] = frozenset()
    family: str | None = None
    customs_house: str | None = None
    station: str | None = None
    assignment: Assignment = Assignment.ANY
    username: str | None = None
    text: str = ""

    def with_(self, **changes: Any) -> InboxFilter:
        return replace(self, **changes)


def matches(row: AlertRow, query: InboxFilter) -> bool:
    if query.states and row.status not in query.states:
        return False
    if query.codes and row.code not in query.codes:
        return False
    if query.family and row.family != query.family:
        return False
    if query.customs_house and query.customs_house not in (row.origin_house, row.destination_house):
        return False
    if query.station and query.station not in (row.origin, row.destination):
        return False
    if query.assignment is Assignment.MINE and (not query.username or row.assignee != query.username):
        return False
    if query.assignment is Assignment.UNASSIGNED and row.assignee:
        return False
    text = _normalise(query.text)
    if text:
        fields = (row.cn_no, row.container_no, row.plate, row.seal_no)
        return any(text in _normalise(value) for value in fields if value)
    return True


def _normalise(value: str | None) -> str:
    """Plates are stored without the dash; officers type them with it (KLA-1234)."""
    return (value or "").upper().replace("-", "").replace(" ", "")


def filter_rows(rows: Iterable[AlertRow], query: InboxFilter) -> list[AlertRow]:
    return [row for row in rows if matches(row, query)]


class SortKey(StrEnum):
    RAISED = "raised_at"
    LAST = "last_occurrence_at"
    SEVERITY = "severity"
    CODE = "code"
    STATUS = "status"
    CN = "cn_no"
    ASSIGNEE = "assignee"
    OCCURRENCES = "occurrences"
    ORIGIN = "origin"


STATE_ORDER = {state: i for i, state in enumerate(AlertStatus)}


def sort_value(row: AlertRow, key: SortKey) -> Any:
    """A plain number or string per row (Qt's proxy compares them natively, without Python)."""
    if key is SortKey.SEVERITY:  # most severe first, then newest first
        return row.severity_rank * 1e11 - row.raised_at.timestamp()
    if key is SortKey.STATUS:
        return STATE_ORDER[row.status]
    value = getattr(row, key.value)
    if isinstance(value, datetime):
        return value.timestamp()
    return "" if value is None else value


def sort_rows(rows: Iterable[AlertRow], key: SortKey, descending: bool = False) -> list[AlertRow]:
    return sorted(rows, key=lambda row: (sort_value(row, key), row.id), reverse=descending)


def state_counts(rows: Iterable[AlertRow]) -> dict[AlertStatus, int]:
    counts = dict.fromkeys(AlertStatus, 0)
    for row in rows:
        counts[row.status] += 1
    return counts


# -- floods ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FloodGroup:
    """Alerts that share one cause; ``head`` is the alert to look at first."""

    key: str
    kind: str  # "cause", "code_station", "origin" or "single"
    head: AlertRow
    members: tuple[AlertRow, ...] = field(repr=False)

    @property
    def count(self) -> int:
        return len(self.members)

    @property
    def severity(self) -> str:
        return min(self.members, key=lambda r: r.severity_rank).severity

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(sorted({r.code for r in self.members}))

    @property
    def first_at(self) -> datetime:
        return min(r.raised_at for r in self.members)

    @property
    def last_at(self) -> datetime:
        return max(r.raised_at for r in self.members)

    @property
    def unacknowledged(self) -> int:
        return sum(r.status is AlertStatus.UNACKNOWLEDGED for r in self.members)


def flood_active(
    rows: Iterable[AlertRow],
    now: datetime,
    window: timedelta = FLOOD_WINDOW,
    threshold: int = FLOOD_THRESHOLD,
) -> bool:
    """More than ``threshold`` alerts raised in the ``window`` up to ``now``."""
    start = now - window
    return sum(1 for row in rows if start < row.raised_at <= now) > threshold


def flood_groups(rows: Sequence[AlertRow]) -> list[FloodGroup]:
    """Group alerts by cause (see the module docstring); most severe and largest groups first."""
    by_id = {row.id: row for row in rows}
    groups: dict[str, list[AlertRow]] = {}
    kinds: dict[str, str] = {}
    linked = {row.caused_by for row in rows if row.caused_by is not None}

    def root(row: AlertRow) -> int:
        seen = {row.id}
        current = row
        while current.caused_by is not None and current.caused_by not in seen:
            seen.add(current.caused_by)
            parent = by_id.get(current.caused_by)
            if parent is None:
                return current.caused_by  # the cause is not in view (closed or filtered): still one cause
            current = parent
        return current.id

    rest: list[AlertRow] = []
    for row in rows:
        if row.caused_by is not None or row.id in linked:
            key = f"cause:{root(row)}"
            groups.setdefault(key, []).append(row)
            kinds[key] = "cause"
        else:
            rest.append(row)

    by_code_station: dict[tuple[str, str | None], list[AlertRow]] = {}
    for row in rest:
        by_code_station.setdefault((row.code, row.station), []).append(row)
    singles: list[AlertRow] = []
    for (code, station), members in by_code_station.items():
        if len(members) > 1:
            key = f"code_station:{code}@{station}"
            groups[key], kinds[key] = members, "code_station"
        else:
            singles.extend(members)

    by_origin: dict[str | None, list[AlertRow]] = {}
    for row in singles:
        by_origin.setdefault(row.origin, []).append(row)
    for origin, members in by_origin.items():
        if len(members) > 1 and origin is not None:
            key = f"origin:{origin}"
            groups[key], kinds[key] = members, "origin"
        else:
            for row in members:
                groups[f"single:{row.id}"], kinds[f"single:{row.id}"] = [row], "single"

    result = [
        FloodGroup(key, kinds[key], _head(members, by_id, key), tuple(sorted(members, key=_newest_first)))
        for key, members in groups.items()
    ]
    result.sort(key=lambda g: (SEVERITY_RANK.get(g.severity, 3), -g.count, -g.last_at.timestamp()))
    return result


def _head(members: list[AlertRow], by_id: Mapping[int, AlertRow], key: str) -> AlertRow:
    if key.startswith("cause:"):
        root_id = int(key.split(":", 1)[1])
        if root_id in by_id:
            return by_id[root_id]
    return min(members, key=lambda r: (r.severity_rank, r.raised_at.timestamp(), r.id))


# -- loading from the database ---------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryQuery:
    """A history search done by the database: filter, sort and one page of rows."""

    filter: InboxFilter = InboxFilter()
    since: datetime | None = None
    until: datetime | None = None
    sort: SortKey = SortKey.RAISED
    descending: bool = True
    offset: int = 0
    limit: int = 200
    count_total: bool = True


@dataclass(frozen=True)
class HistoryPage:
    rows: list[AlertRow]
    total: int | None
    offset: int
    limit: int


_SORT_COLUMNS: dict[SortKey, Any] = {
    SortKey.RAISED: Alert.raised_at,
    SortKey.LAST: Alert.last_occurrence_at,
    SortKey.SEVERITY: Alert.severity,
    SortKey.CODE: Alert.code,
    SortKey.STATUS: Alert.status,
    SortKey.CN: Alert.cn_no,
    SortKey.ASSIGNEE: Alert.assignee,
    SortKey.OCCURRENCES: Alert.occurrences,
    SortKey.ORIGIN: Alert.origin,
}


class InboxService:
    """Reads for the inbox; every method runs its own short transaction (call it off the GUI thread)."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock
        self._houses: dict[str, str] | None = None
        self._lock = threading.Lock()

    @property
    def clock(self) -> Clock:
        return self._clock

    def station_houses(self) -> dict[str, str]:
        """Station code → customs house, read once (reference data changes by administrator action)."""
        with self._lock:
            if self._houses is None:
                with self._database.transaction() as session:
                    self._houses = {
                        code: house.value
                        for code, house in session.execute(select(Station.code, Station.customs_house))
                    }
            return dict(self._houses)

    def reload_reference(self) -> None:
        with self._lock:
            self._houses = None

    def load_open(self, recently_closed: timedelta = RECENTLY_CLOSED) -> list[AlertRow]:
        """Every open alert, plus closed alerts raised within ``recently_closed`` (the inbox's start)."""
        houses = self.station_houses()
        since = self._clock.now() - recently_closed
        open_values = [s for s in OPEN_STATES]
        with self._database.transaction() as session:
            opened = _rows(session, select(*_ROW_COLUMNS).where(Alert.status.in_(open_values)), houses)
            closed = _rows(
                session,
                select(*_ROW_COLUMNS).where(Alert.status == AlertStatus.CLOSED, Alert.raised_at >= since),
                houses,
            )
            return opened + closed

    def rows(self, alert_ids: Iterable[int]) -> list[AlertRow]:
        """Fresh rows for the given alerts (after an action, or for ingest events)."""
        ids = sorted(set(alert_ids))
        if not ids:
            return []
        houses = self.station_houses()
        with self._database.transaction() as session:
            return _rows(session, select(*_ROW_COLUMNS).where(Alert.id.in_(ids)), houses)

    def history(self, query: HistoryQuery) -> HistoryPage:
        houses = self.station_houses()
        conditions = self._conditions(query, houses)
        column = _SORT_COLUMNS[query.sort]
        order = (column.desc(), Alert.id.desc()) if query.descending else (column.asc(), Alert.id.asc())
        with self._database.transaction() as session:
            statement = select(*_ROW_COLUMNS).where(*conditions).order_by(*order)
            rows = _rows(session, statement.offset(query.offset).limit(query.limit), houses)
            total = self._count(session, conditions) if query.count_total else None
        return HistoryPage(rows, total, query.offset, query.limit)

    @staticmethod
    def _count(session: Session, conditions: list[ColumnElement[bool]]) -> int:
        return int(session.scalar(select(func.count(Alert.id)).where(*conditions)) or 0)

    @staticmethod
    def _conditions(query: HistoryQuery, houses: Mapping[str, str]) -> list[ColumnElement[bool]]:
        f = query.filter
        conditions: list[ColumnElement[bool]] = []
        if f.states:
            conditions.append(Alert.status.in_(sorted(f.states)))
        if f.codes:
            conditions.append(Alert.code.in_(sorted(f.codes)))
        if f.family:
            conditions.append(Alert.family == f.family)
        if f.customs_house:
            stations = sorted(code for code, house in houses.items() if house == f.customs_house)
            conditions.append(or_(Alert.origin.in_(stations), Alert.destination.in_(stations)))
        if f.station:
            conditions.append(or_(Alert.origin == f.station, Alert.destination == f.station))
        if f.assignment is Assignment.MINE:
            conditions.append(Alert.assignee == (f.username or ""))
        elif f.assignment is Assignment.UNASSIGNED:
            conditions.append(Alert.assignee.is_(None))
        text = _normalise(f.text)
        if text:
            pattern = f"%{text}%"
            conditions.append(
                or_(
                    Alert.cn_no.like(pattern),
                    Alert.container_no.like(pattern),
                    Alert.plate.like(pattern),
                    Alert.seal_no.like(pattern),
                )
            )
        if query.since is not None:
            conditions.append(Alert.raised_at >= query.since)
        if query.until is not None:
            conditions.append(Alert.raised_at < query.until)
        return [and_(*conditions)] if conditions else []
