"""Ingest: feed messages in, stored observations, trips and alerts out; the same for live, replay and tests.

`Ingestor.process_batch` validates every message (controlroom.feed.messages), refuses the invalid ones
into the dead-letter store with no other state change, drops duplicates (their dedupe keys are stored,
so this holds across restarts), stores each observation under its own ``ts``, moves the trips through
their state machine (controlroom.rules.trips) and raises alerts (controlroom.rules.decisions). A batch
is one transaction; each message runs in its own savepoint, so a bug in one message's handling
dead-letters that message ("internal_error") and keeps the others. `Ingestor.tick` fires the clock
rules (lost contact, overdue, S7, S8) at ``clock.now()``.

Late and out-of-order data: everything is judged in ``ts`` order from what is stored (streaks are
recomputed over the stored fixes and reports around the new one), silence is judged against the newest
``ts``, and nothing is ever un-raised because of late data. All rule state lives in the database (the
trips table and the stored reports), so a new Ingestor on the same database continues a trip.

``raised_at`` of an alert is the instant its condition became true: the observation's ``ts`` for
message rules, the due time (newest ts + 5 min, the deadline, the gate passage + 30 min) for clock
rules; so the same data gives the same alerts whatever the delivery order or tick rate. When the
product noticed is kept in the facts as ``detected_at``.

Dead-letter reason codes: those of `parse_message` (unknown_topic, oversize, encoding, json, not_object,
schema, topic_mismatch), unknown_station, and for valid messages about something this database does not
know: unknown_cn (sealing or cancel of a CN never received), cn_cancelled (sealing of a cancelled CN),
unknown_gate, unknown_route; internal_error for a bug (logged with its traceback).

Driver IDs are personal data: they are stored only in the drivers table and never logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from controlroom.domain.catalogue import alert_kind
from controlroom.feed import messages as fm
from controlroom.feed.messages import (
    DedupeKey,
    FeedMessage,
    Rejection,
    dedupe_key,
    parse_message,
    referenced_stations,
)
from controlroom.feed.raw import RawMessage
from controlroom.feed.topics import DEFAULT_ROOT
from controlroom.models import (
    Alert,
    AlertOccurrence,
    CNNote,
    CNRevision,
    DeadLetter,
    DeviceEvent,
    Driver,
    Gate,
    GatePassage,
    OperatorStation,
    PassiveRead,
    PositionReport,
    ProcessedMessage,
    Route,
    SealStatusReport,
    Station,
    Threshold,
    Trip,
)
from controlroom.models.enums import AlertStatus, CNAction, CNStatus, SealFamily, SealType, TripState
from controlroom.rules import decisions, trips
from controlroom.rules.clock import Clock
from controlroom.rules.geometry import Geofence, RouteLine, haversine_m, inside_any
from controlroom.rules.streaks import merge_fired, run_around
from controlroom.rules.thresholds import Thresholds
from controlroom.storage.database import Database

__all__ = [
    "AlertOccurred",
    "AlertRaised",
    "BatchResult",
    "IngestEvent",
    "IngestStats",
    "Ingestor",
    "PositionsMoved",
    "TripChanged",
]

logger = logging.getLogger(__name__)

# How far around a new observation the stored track is loaded to evaluate streaks; a longer run is
# seen in overlapping pieces, which the run memory (controlroom.rules.streaks) joins up.
_TRACK_WINDOW = timedelta(minutes=45)
# A seal fix is compared with the unit fix nearest in time, if one is this close.
_PAIRING_WINDOW = timedelta(seconds=120)
_EXACT_FIX = timedelta(seconds=15)
# Neighbouring reports further apart than this are not "consecutive" for a streak: reports are missing
# (the unit sends every 10 s moving and 60 s parked, the seal every 30 s).
_MAX_GAP = timedelta(seconds=90)
# An unlock is placed by a fix this close in time; without one the decision waits (at most _PAIRING_WINDOW).
_UNLOCK_PRECISION = timedelta(seconds=30)
# A device event and the periodic report saying the same thing are one occurrence.
_SAME_OCCURRENCE = timedelta(seconds=60)
_TRACK_EXCERPT = 5

# --------------------------------------------------------------------------------------------
# Events for the GUI and the batch result
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AlertRaised:
    alert_id: int
    code: str
    trip_id: int | None
    severity: str
    raised_at: datetime


@dataclass(frozen=True, slots=True)
class AlertOccurred:
    alert_id: int
    code: str
    trip_id: int | None
    occurrences: int
    at: datetime


@dataclass(frozen=True, slots=True)
class TripChanged:
    trip_id: int
    cn_no: str
    state: str


@dataclass(frozen=True, slots=True)
class PositionsMoved:
    """Newest fixes of this batch: ``(trip_id, lat, lon, heading_deg, ts)``."""

    positions: tuple[tuple[int, float, float, float | None, datetime], ...]


IngestEvent = AlertRaised | AlertOccurred | TripChanged | PositionsMoved


@dataclass
class IngestStats:
    accepted: int = 0
    rejected: int = 0
    duplicates: int = 0
    alerts: int = 0  # alerts raised plus occurrences added

    def add(self, other: IngestStats) -> None:
        self.accepted += other.accepted
        self.rejected += other.rejected
        self.duplicates += other.duplicates
        self.alerts += other.alerts


@dataclass(frozen=True)
class BatchResult:
    stats: IngestStats
    events: tuple[IngestEvent, ...]


class _Unknown:
    """Marker: the next due time has not been computed yet."""


_UNKNOWN = _Unknown()


class _Refused(Exception):
    """A valid message that refers to something unknown (CN, gate, route): dead-lettered."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


# --------------------------------------------------------------------------------------------
# Reference data snapshot (per batch: an administrator may edit it at any time)
# --------------------------------------------------------------------------------------------


@dataclass
class _Reference:
    fences: dict[str, Geofence]
    routes: dict[str, RouteLine]
    route_minutes: dict[str, int]
    gates: dict[str, tuple[str, bool]]  # gate_id -> (station, inspection_required)
    thresholds: Thresholds

    @classmethod
    def load(cls, session: Session) -> _Reference:
        fences = {s.code: Geofence.of(s.code, s.geofence) for s in session.scalars(select(Station))}
        routes: dict[str, RouteLine] = {}
        minutes: dict[str, int] = {}
        for r in session.scalars(select(Route)):
            routes[r.route_id] = RouteLine.of(r.route_id, r.line, r.corridor_m)
            minutes[r.route_id] = r.allowed_minutes
        gates = {g.gate_id: (g.station, g.inspection_required) for g in session.scalars(select(Gate))}
        thresholds = Thresholds.from_rows({t.key: t.value for t in session.scalars(select(Threshold))})
        return cls(fences, routes, minutes, gates, thresholds)

    def in_station(self, lat: float, lon: float) -> bool:
        return inside_any(self.fences.values(), lat, lon)

    def inside(self, code: str, lat: float, lon: float) -> bool:
        fence = self.fences.get(code)
        return fence is not None and fence.contains(lat, lon)


def _reference_stamp(session: Session) -> tuple[Any, ...]:
    """Changes whenever a row of the reference tables is added, removed or edited."""
    columns = []
    for table in (Station, Route, Gate, Threshold):
        columns.append(select(func.count()).select_from(table).scalar_subquery())
        columns.append(select(func.max(table.updated_at)).scalar_subquery())
    return tuple(session.execute(select(*columns)).one())


@dataclass(frozen=True, slots=True)
class _Fix:
    ts: datetime
    lat: float
    lon: float
    speed_kmh: float
    power: str
    heading_deg: float | None


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def _iso(value: datetime | None) -> str | None:
    return None if value is None else _utc(value).isoformat()


# --------------------------------------------------------------------------------------------
# One batch (or one tick): session, reference data, caches, results
# --------------------------------------------------------------------------------------------


@dataclass
class _Batch:
    session: Session
    ref: _Reference
    now: datetime
    stats: IngestStats = field(default_factory=IngestStats)
    events: list[IngestEvent] = field(default_factory=list)
    pending_positions: list[dict[str, Any]] = field(default_factory=list)
    tracks: dict[str, tuple[datetime, datetime, list[_Fix]]] = field(default_factory=dict)
    moved: dict[int, tuple[int, float, float, float | None, datetime]] = field(default_factory=dict)

    # ---- unit track (stored fixes + this batch's pending ones), sorted by ts -------------------

    def track(self, unit_id: str, around: datetime) -> list[_Fix]:
        lo, hi = around - _TRACK_WINDOW, around + _TRACK_WINDOW
        cached = self.tracks.get(unit_id)
        if cached is not None and cached[0] <= lo and hi <= cached[1]:
            return cached[2]
        if cached is not None:
            lo, hi = min(lo, cached[0]), max(hi, cached[1])
        rows = self.session.execute(
            select(
                PositionReport.ts,
                PositionReport.lat,
                PositionReport.lon,
                PositionReport.speed_kmh,
                PositionReport.power,
                PositionReport.heading_deg,
            ).where(PositionReport.unit_id == unit_id, PositionReport.ts.between(lo, hi))
        ).all()
        fixes = [_Fix(*row) for row in rows]
        fixes.extend(
            _Fix(p["ts"], p["lat"], p["lon"], p["speed_kmh"], p["power"], p["heading_deg"])
            for p in self.pending_positions
            if p["unit_id"] == unit_id and lo <= p["ts"] <= hi
        )
        fixes.sort(key=lambda f: f.ts)
        self.tracks[unit_id] = (lo, hi, fixes)
        return fixes

    def add_fix(self, unit_id: str, fix: _Fix) -> None:
        cached = self.tracks.get(unit_id)
        if cached is not None and cached[0] <= fix.ts <= cached[1]:
            fixes = cached[2]
            index = len(fixes)
            while index > 0 and fixes[index - 1].ts > fix.ts:
                index -= 1
            fixes.insert(index, fix)


# --------------------------------------------------------------------------------------------
# The ingestor
# --------------------------------------------------------------------------------------------


class Ingestor:
    """Turns feed messages into stored observations, trips and alerts; see the module docstring.

    Not thread-safe: call `process_batch` and `tick` from one thread (the feed's worker). ``on_event``
    is called on that thread after the batch's transaction has committed.
    """

    def __init__(
        self,
        database: Database,
        clock: Clock,
        *,
        topic_root: str = DEFAULT_ROOT,
        on_event: Callable[[IngestEvent], None] | None = None,
    ) -> None:
        self._database = database
        self._clock = clock
        self._root = topic_root
        self._on_event = on_event
        self._ref: tuple[tuple[Any, ...], _Reference] | None = None
        self._due: datetime | _Unknown | None = _UNKNOWN

    # ---- public API -------------------------------------------------------------------------

    def process_batch(self, messages: Sequence[RawMessage]) -> BatchResult:
        """Process ``messages`` in one transaction; returns counters and the events for the GUI."""
        if not messages:
            return BatchResult(IngestStats(), ())
        with self._database.transaction() as session:
            batch = self._begin(session)
            for raw in messages:
                self._process_one(batch, raw)
            self._flush_positions(batch)
            self._due = _ClockRules(batch).next_due()
        return self._finish(batch)

    def tick(self) -> BatchResult:
        """Fire the clock rules that are due at ``clock.now()``."""
        with self._database.transaction() as session:
            batch = self._begin(session)
            rules = _ClockRules(batch)
            rules.run()
            self._due = rules.next_due()
        return self._finish(batch)

    def next_due(self) -> datetime | None:
        """The earliest instant at which a clock rule could fire on the stored trips (None: nothing
        pending). A tick before it changes nothing; replay uses it to skip idle steps. Known after
        this Ingestor's last batch or tick; otherwise read from the database."""
        if self._due is _UNKNOWN:
            with self._database.transaction() as session:
                batch = _Batch(session, self._reference(session), _utc(self._clock.now()))
                self._due = _ClockRules(batch).next_due()
        assert not isinstance(self._due, _Unknown)
        return self._due

    # ---- batch plumbing ---------------------------------------------------------------------

    def _begin(self, session: Session) -> _Batch:
        connection = session.connection()
        if connection.dialect.name == "sqlite":
            # pysqlite starts its transaction lazily at the first write, so a SAVEPOINT issued first would
            # become the outer transaction and its RELEASE would commit: start the transaction now.
            dbapi = connection.connection.dbapi_connection
            if dbapi is not None and not getattr(dbapi, "in_transaction", True):
                connection.exec_driver_sql("BEGIN")
        return _Batch(session, self._reference(session), _utc(self._clock.now()))

    def _reference(self, session: Session) -> _Reference:
        """The reference data, reloaded only when an administrator changed it."""
        stamp = _reference_stamp(session)
        if self._ref is None or self._ref[0] != stamp:
            self._ref = (stamp, _Reference.load(session))
        return self._ref[1]

    def _finish(self, batch: _Batch) -> BatchResult:
        if batch.moved:
            batch.events.append(PositionsMoved(tuple(batch.moved.values())))
        result = BatchResult(batch.stats, tuple(batch.events))
        if self._on_event is not None:
            for event in result.events:
                self._on_event(event)
        return result

    def _flush_positions(self, batch: _Batch) -> None:
        if batch.pending_positions:
            batch.session.execute(insert(PositionReport), batch.pending_positions)
            batch.pending_positions.clear()

    def _process_one(self, batch: _Batch, raw: RawMessage) -> None:
        parsed = parse_message(raw.topic, raw.payload, root=self._root)
        if isinstance(parsed, Rejection):
            self._dead_letter(batch, raw, parsed.code, parsed.detail)
            return
        unknown = [code for code in referenced_stations(parsed) if code not in batch.ref.fences]
        if unknown:
            self._dead_letter(batch, raw, "unknown_station", f"unknown station code(s): {', '.join(unknown)}")
            return
        key = dedupe_key(parsed)
        if self._seen(batch, key):
            batch.stats.duplicates += 1
            return
        events_before = len(batch.events)
        stats_before = batch.stats.alerts
        pending_before = len(batch.pending_positions)
        moved_before = dict(batch.moved)
        try:
            with batch.session.begin_nested():
                _MessageRules(batch, raw.received_at).handle(parsed)
                batch.session.add(
                    ProcessedMessage(
                        kind=key.kind.value,
                        source=key.source,
                        discriminator=str(key.discriminator),
                        ts=key.ts,
                        received_at=raw.received_at,
                    )
                )
                batch.session.flush()
        except _Refused as refused:
            self._undo(batch, events_before, stats_before, pending_before, moved_before)
            self._dead_letter(batch, raw, refused.code, refused.detail)
            return
        except IntegrityError:
            self._undo(batch, events_before, stats_before, pending_before, moved_before)
            if self._seen(batch, key):  # another ingestor stored the same message meanwhile
                batch.stats.duplicates += 1
                return
            logger.exception("ingest: storing a message on %s failed; it is dead-lettered", raw.topic)
            self._dead_letter(batch, raw, "internal_error", "storing the message failed (see the log)")
            return
        except Exception:
            logger.exception("ingest: handling a message on %s failed; it is dead-lettered", raw.topic)
            self._undo(batch, events_before, stats_before, pending_before, moved_before)
            self._dead_letter(batch, raw, "internal_error", "handling the message failed (see the log)")
            return
        batch.stats.accepted += 1

    @staticmethod
    def _seen(batch: _Batch, key: DedupeKey) -> bool:
        found = batch.session.scalar(
            select(ProcessedMessage.id).where(
                ProcessedMessage.kind == key.kind.value,
                ProcessedMessage.source == key.source,
                ProcessedMessage.discriminator == str(key.discriminator),
                ProcessedMessage.ts == key.ts,
            )
        )
        return found is not None

    @staticmethod
    def _undo(
        batch: _Batch,
        events: int,
        alerts: int,
        pending: int,
        moved: dict[int, tuple[int, float, float, float | None, datetime]],
    ) -> None:
        """Forget what the failed message left in the batch's memory (the savepoint undid the rows)."""
        del batch.events[events:]
        batch.stats.alerts = alerts
        del batch.pending_positions[pending:]
        batch.moved = moved
        batch.tracks = {}  # reloaded from the database and the remaining pending fixes
        batch.session.expire_all()

    @staticmethod
    def _dead_letter(batch: _Batch, raw: RawMessage, code: str, detail: str) -> None:
        batch.stats.rejected += 1
        logger.info("ingest: dead-lettered a message on %s: %s", raw.topic, code)
        batch.session.add(
            DeadLetter(
                topic=raw.topic,
                payload=raw.payload,
                reason_code=code,
                reason=detail,
                received_at=raw.received_at,
            )
        )


# --------------------------------------------------------------------------------------------
# Alerts: one open alert per (code, trip); repeats are occurrences
# --------------------------------------------------------------------------------------------


class _Alerts:
    def __init__(self, batch: _Batch) -> None:
        self.batch = batch
        self.session = batch.session

    def open_alert(self, code: str, trip_id: int) -> Alert | None:
        return self.session.scalar(
            select(Alert)
            .where(Alert.trip_id == trip_id, Alert.code == code, Alert.status != AlertStatus.CLOSED)
            .order_by(Alert.id.desc())
            .limit(1)
        )

    def raise_(
        self,
        trip: Trip,
        code: str,
        at: datetime,
        detail: dict[str, Any] | None = None,
        *,
        thresholds: tuple[str, ...] = (),
        caused_by: int | None = None,
        extra_facts: dict[str, Any] | None = None,
    ) -> Alert:
        """Raise ``code`` for ``trip`` at ``at``, or add an occurrence to the open one."""
        at = _utc(at)
        detail = detail or {}
        existing = self.open_alert(code, trip.id)
        if existing is not None:
            existing.occurrences += 1
            existing.last_occurrence_at = max(existing.last_occurrence_at, at)
            existing.raised_at = min(existing.raised_at, at)
            self.session.add(AlertOccurrence(alert_id=existing.id, at=at, detail=detail))
            self.session.flush()
            self.batch.stats.alerts += 1
            self.batch.events.append(AlertOccurred(existing.id, code, trip.id, existing.occurrences, at))
            return existing
        kind = alert_kind(code)
        facts = self._facts(trip, code, at, detail, thresholds)
        if extra_facts:
            facts.update(extra_facts)
        alert = Alert(
            code=code,
            family=kind.family.value,
            severity=kind.severity.value,
            side=kind.side.value,
            status=AlertStatus.UNACKNOWLEDGED,
            trip_id=trip.id,
            cn_no=trip.cn_no,
            container_no=trip.container_no,
            plate=trip.plate,
            seal_no=trip.seal_no,
            unit_id=trip.unit_id,
            origin=trip.origin,
            destination=trip.destination,
            raised_at=at,
            last_occurrence_at=at,
            occurrences=1,
            facts=facts,
            caused_by_id=caused_by,
        )
        self.session.add(alert)
        self.session.flush()
        self.session.add(AlertOccurrence(alert_id=alert.id, at=at, detail=detail))
        self.batch.stats.alerts += 1
        self.batch.events.append(AlertRaised(alert.id, code, trip.id, alert.severity, at))
        logger.info("alert %s raised for trip %s (CN %s)", code, trip.id, trip.cn_no)
        return alert

    def backdate(self, trip: Trip, code: str, start: datetime, end: datetime, at: datetime) -> None:
        """Late data shows that the occurrence in ``[start, end]`` began at ``at``: move it earlier."""
        alert = self.open_alert(code, trip.id)
        if alert is None:
            return
        occurrence = self.session.scalar(
            select(AlertOccurrence)
            .where(AlertOccurrence.alert_id == alert.id, AlertOccurrence.at.between(start, end))
            .order_by(AlertOccurrence.at)
            .limit(1)
        )
        at = _utc(at)
        if occurrence is None or occurrence.at <= at:
            return
        occurrence.at = at
        if at < alert.raised_at:
            alert.raised_at = at
            alert.facts = {**alert.facts, "observed_at": _iso(at)}

    def _facts(
        self, trip: Trip, code: str, at: datetime, detail: dict[str, Any], thresholds: tuple[str, ...]
    ) -> dict[str, Any]:
        kind = alert_kind(code)
        exit_image = trip.sealing_photo_id or trip.exit_photo_id
        return {
            "observed_at": _iso(at),
            "detected_at": _iso(self.batch.now),
            "handling_side": kind.side.value,
            "thresholds": self.batch.ref.thresholds.as_facts(*thresholds),
            "track": self._track_excerpt(trip, at),
            "unsealed_normally": _unsealed_normally(trip),
            "exit_image": exit_image,
            "entry_image": trip.arrival_photo_id,
            "exit_image_present": exit_image is not None,
            "entry_image_present": trip.arrival_photo_id is not None,
            "deadline": _iso(trip.deadline),
            "detail": detail,
        }

    def _track_excerpt(self, trip: Trip, at: datetime) -> list[dict[str, Any]]:
        if trip.unit_id is None:
            return []
        fixes = self.batch.track(trip.unit_id, at)
        if not fixes:
            return []
        index = min(range(len(fixes)), key=lambda i: abs((fixes[i].ts - at).total_seconds()))
        lo = max(0, index - _TRACK_EXCERPT // 2)
        return [
            {"ts": _iso(f.ts), "lat": f.lat, "lon": f.lon, "speed_kmh": f.speed_kmh}
            for f in fixes[lo : lo + _TRACK_EXCERPT]
        ]

    def update_unsealed_normally(self, trip: Trip) -> None:
        """The trip has ended: tell every alert of it whether the seal unsealed normally (playbook A)."""
        value = _unsealed_normally(trip)
        for alert in self.session.scalars(select(Alert).where(Alert.trip_id == trip.id)):
            if alert.facts.get("unsealed_normally") != value:
                entry = trip.arrival_photo_id
                alert.facts = {**alert.facts, "unsealed_normally": value, "entry_image": entry}


def _unsealed_normally(trip: Trip) -> bool | None:
    """None while the trip runs; afterwards whether its seal unlocked normally inside the destination."""
    if trip.family is not SealFamily.VEHICLE or trip.state is not TripState.COMPLETED:
        return None
    return trip.unseal_method in trips.NORMAL_UNSEAL_METHODS


# --------------------------------------------------------------------------------------------
# Trip helpers shared by the message and clock rules
# --------------------------------------------------------------------------------------------


def _set_state(batch: _Batch, trip: Trip, state: TripState) -> None:
    if trip.state is not state:
        trip.state = state
        batch.events.append(TripChanged(trip.id, trip.cn_no, state.value))


def _active_at(trip: Trip, ts: datetime) -> bool:
    """Whether ``ts`` falls in the trip's active period (late data of an ended trip still counts)."""
    if trip.state in (TripState.CANCELLED, TripState.PLANNED) or trip.active_from is None:
        return False
    if ts < trip.active_from:
        return False
    return trip.completed_at is None or ts <= trip.completed_at


def _start(batch: _Batch, trip: Trip, ts: datetime) -> None:
    """The trip becomes active at ``ts`` (sealing, or exit when there was none), and gets its deadline."""
    if trip.active_from is None or ts < trip.active_from:
        trip.active_from = ts
    note = batch.session.get(CNNote, trip.cn_no)
    minutes = batch.ref.route_minutes.get(trip.route_id) if trip.route_id else None
    trip.deadline = trips.deadline_for(note.deadline if note else None, trip.active_from, minutes)


def _set_rule_state(trip: Trip, key: str, value: Any) -> None:
    trip.rule_state = {**(trip.rule_state or {}), key: value}


# --------------------------------------------------------------------------------------------
# Message rules
# --------------------------------------------------------------------------------------------


class _MessageRules:
    """What one message changes: stored observation, trip state, alerts."""

    def __init__(self, batch: _Batch, received_at: datetime) -> None:
        self.batch = batch
        self.session = batch.session
        self.ref = batch.ref
        self.th = batch.ref.thresholds
        self.received_at = received_at
        self.alerts = _Alerts(batch)

    def handle(self, msg: FeedMessage) -> None:
        model = msg.model
        if isinstance(model, fm.UnitTelemetry):
            self.telemetry(model)
        elif isinstance(model, fm.UnitEvent):
            self.unit_event(model)
        elif isinstance(model, fm.SealStatus):
            self.seal_status(model)
        elif isinstance(model, fm.SealEvent):
            self.seal_event(model)
        elif isinstance(model, fm.CNNote):
            self.cn_note(model)
        elif isinstance(model, fm.Sealing):
            self.sealing(model)
        elif isinstance(model, fm.GatePassage):
            self.gate_passage(model)
        else:
            self.passive_read(model)

    # ---- trip lookup ------------------------------------------------------------------------

    def _trip_by(self, column: Any, value: str, ts: datetime, family: SealFamily | None) -> Trip | None:
        query = select(Trip).where(column == value, Trip.state != TripState.CANCELLED)
        query = query.order_by(Trip.id.desc())
        if family is not None:
            query = query.where(Trip.family == family)
        for trip in self.session.scalars(query):
            if trip.active_from is not None and ts < trip.active_from - _TRACK_WINDOW:
                continue  # belongs to an earlier trip of this reusable device
            if trip.completed_at is not None and ts > trip.completed_at:
                continue
            return trip
        return None

    def _trip_for_unit(self, unit_id: str, ts: datetime, plate: str | None) -> Trip | None:
        trip = self._trip_by(Trip.unit_id, unit_id, ts, SealFamily.VEHICLE)
        if trip is None and plate is not None:
            trip = self._trip_by(Trip.plate, plate, ts, SealFamily.VEHICLE)
            if trip is not None and trip.unit_id is None:
                trip.unit_id = unit_id
        return trip

    def _trip_for_cn(self, cn_no: str) -> Trip | None:
        return self.session.scalar(select(Trip).where(Trip.cn_no == cn_no).order_by(Trip.id.desc()).limit(1))

    def _driver(self, national_id: str | None) -> int | None:
        if national_id is None:
            return None
        driver_id = self.session.scalar(select(Driver.id).where(Driver.national_id == national_id))
        if driver_id is None:
            driver = Driver(national_id=national_id)
            self.session.add(driver)
            self.session.flush()
            driver_id = driver.id
        return driver_id

    # ---- CN notes and sealing ---------------------------------------------------------------

    def cn_note(self, m: fm.CNNote) -> None:
        """New, replace or cancel. A ``new`` for a CN already held is handled as a replace, a replace of
        a CN never received as a new (the yard's first message was lost), a cancel of an unknown CN is
        dead-lettered. Every change is kept as a revision; refused ones with the reason."""
        note = self.session.get(CNNote, m.cn_no)
        if note is None:
            if m.action == "cancel":
                raise _Refused("unknown_cn", "cancel of a CN that was never received")
            self._new_cn(m)
            return
        refusal = trips.cn_change_refusal(
            "replace" if m.action == "new" else m.action,
            note.vehicle_seal_confirmed,
            note.status is CNStatus.CANCELLED,
        )
        trip = self._trip_for_cn(m.cn_no)
        note.revision += 1
        fields = self._cn_fields(m)
        self.session.add(
            CNRevision(
                cn_no=m.cn_no,
                revision=note.revision,
                action=CNAction(m.action),
                ts=m.ts,
                received_at=self.received_at,
                accepted=refusal is None,
                refusal=refusal,
                fields=fields,
            )
        )
        if refusal is not None:
            logger.info("CN %s: %s refused: %s", m.cn_no, m.action, refusal)
            return
        if m.action == "cancel":
            note.status = CNStatus.CANCELLED
            if trip is not None:
                _set_state(self.batch, trip, trips.after_cancel(trip.state))
            return
        self._apply_cn(note, m)
        if trip is not None and trip.state is not TripState.COMPLETED:
            self._apply_trip(trip, note)

    def _cn_fields(self, m: fm.CNNote) -> dict[str, Any]:
        raw = m.model_dump(mode="python", exclude_none=True, exclude={"driver_id"})
        data = {k: _iso(v) if isinstance(v, datetime) else v for k, v in raw.items()}
        data["driver_id_present"] = m.driver_id is not None
        return data

    def _check_route(self, route_id: str | None) -> None:
        if route_id is not None and route_id not in self.ref.routes:
            raise _Refused("unknown_route", "route_id: not a known designated route")

    def _new_cn(self, m: fm.CNNote) -> None:
        self._check_route(m.route_id)
        assert m.container_no and m.plate and m.origin and m.destination and m.seal_type and m.seal_no
        assert m.tool_type is not None
        note = CNNote(cn_no=m.cn_no, revision=1, status=CNStatus.ACTIVE)
        self._apply_cn(note, m)
        self.session.add(note)
        self.session.flush()
        self.session.add(
            CNRevision(
                cn_no=m.cn_no,
                revision=1,
                action=CNAction(m.action),
                ts=m.ts,
                received_at=self.received_at,
                accepted=True,
                fields=self._cn_fields(m),
            )
        )
        trip = Trip(cn_no=m.cn_no, state=TripState.PLANNED, rule_state={})
        self._apply_trip(trip, note)
        self.session.add(trip)
        self.session.flush()
        self.batch.events.append(TripChanged(trip.id, trip.cn_no, trip.state.value))

    def _apply_cn(self, note: CNNote, m: fm.CNNote) -> None:
        self._check_route(m.route_id)
        assert m.container_no and m.plate and m.origin and m.destination and m.seal_type and m.seal_no
        assert m.tool_type is not None
        note.container_no = m.container_no
        note.plate = m.plate
        note.driver_id = self._driver(m.driver_id)
        note.origin = m.origin
        note.destination = m.destination
        note.seal_type = SealType(m.seal_type)
        note.seal_no = m.seal_no
        note.tool_type = m.tool_type
        note.deadline = m.deadline
        note.route_id = m.route_id

    def _apply_trip(self, trip: Trip, note: CNNote) -> None:
        trip.family = trips.family_of(note.seal_type)
        trip.container_no = note.container_no
        trip.plate = note.plate
        trip.seal_no = note.seal_no
        trip.origin = note.origin
        trip.destination = note.destination
        trip.route_id = note.route_id
        minutes = self.ref.route_minutes.get(note.route_id) if note.route_id else None
        trip.deadline = trips.deadline_for(note.deadline, trip.active_from, minutes)

    def sealing(self, m: fm.Sealing) -> None:
        note = self.session.get(CNNote, m.cn_no)
        trip = self._trip_for_cn(m.cn_no)
        if note is None or trip is None:
            raise _Refused("unknown_cn", "sealing of a CN that was never received")
        if note.status is CNStatus.CANCELLED:
            raise _Refused("cn_cancelled", "sealing of a cancelled CN")
        ts = _utc(m.ts)
        trip.sealed_at = ts if trip.sealed_at is None else min(trip.sealed_at, ts)
        trip.sealing_photo_id = m.photo_id
        if note.seal_type is SealType.VEHICLE:
            note.vehicle_seal_confirmed = True
            _start(self.batch, trip, ts)
            _set_state(self.batch, trip, trips.after_sealing(trip.state))

    # ---- gates and passive reads ------------------------------------------------------------

    def gate_passage(self, m: fm.GatePassage) -> None:
        gate = self.ref.gates.get(m.gate_id)
        if gate is None:
            raise _Refused("unknown_gate", "gate_id: not a known gate")
        station, inspection_required = gate
        ts = _utc(m.ts)
        trip = self._trip_for_container(m.container_no, m.plate)
        self.session.add(
            GatePassage(
                gate_id=m.gate_id,
                trip_id=trip.id if trip else None,
                ts=ts,
                received_at=self.received_at,
                direction=m.direction,
                plate=m.plate,
                container_no=m.container_no,
                inspected=m.inspected,
            )
        )
        if trip is None:
            return
        passage = {"gate_id": m.gate_id, "direction": m.direction, "inspected": m.inspected}
        if decisions.gate_no_inspection(m.direction, m.inspected, inspection_required):
            self.alerts.raise_(trip, "GATE_NO_INSPECTION", ts, passage)
        if m.direction == "out":
            self._gate_out(trip, ts, passage)
        elif station == trip.destination:
            trip.gate_in_at = ts if trip.gate_in_at is None else min(trip.gate_in_at, ts)
            if trip.family is SealFamily.VEHICLE and _active_at(trip, ts):
                self._arrive(trip, ts)

    def _trip_for_container(self, container_no: str, plate: str) -> Trip | None:
        candidates = list(
            self.session.scalars(
                select(Trip)
                .where(
                    Trip.container_no == container_no,
                    Trip.state.not_in((TripState.CANCELLED, TripState.COMPLETED)),
                )
                .order_by(Trip.id.desc())
            )
        )
        for trip in candidates:
            if trip.plate == plate:
                return trip
        return candidates[0] if candidates else None

    def _gate_out(self, trip: Trip, ts: datetime, passage: dict[str, Any]) -> None:
        if trip.state not in (TripState.PLANNED, TripState.SEALED, TripState.IN_TRANSIT):
            return
        if trip.family is SealFamily.VEHICLE:
            seal_state = self.session.scalar(
                select(SealStatusReport.state)
                .where(SealStatusReport.seal_no == trip.seal_no, SealStatusReport.ts <= ts)
                .order_by(SealStatusReport.ts.desc())
                .limit(1)
            )
            confirmed = trip.sealed_at is not None and trip.sealed_at <= ts
            trip.exit_at = ts if trip.exit_at is None else min(trip.exit_at, ts)
            _start(self.batch, trip, ts)
            if decisions.exit_unsealed(confirmed, seal_state):
                self.alerts.raise_(
                    trip,
                    "EXIT_UNSEALED",
                    ts,
                    {**passage, "sealing_confirmed": confirmed, "seal_state": seal_state},
                )
        else:
            _start(self.batch, trip, ts)
            if decisions.s2_not_read_at_exit(trip.exit_at, ts):
                self.alerts.raise_(trip, "S2", ts, passage)
        _set_state(self.batch, trip, trips.after_exit(trip.state))

    def passive_read(self, m: fm.PassiveRead) -> None:
        ts = _utc(m.ts)
        trip = self._trip_for_cn(m.cn_no)
        if trip is not None and (trip.seal_no != m.seal_no or trip.family is not SealFamily.PASSIVE):
            trip = None
        self.session.add(
            PassiveRead(
                seal_no=m.seal_no,
                trip_id=trip.id if trip else None,
                ts=ts,
                received_at=self.received_at,
                op=m.op,
                station=m.station,
                operator_id=m.operator_id,
                cn_no=m.cn_no,
                photo_id=m.photo_id,
                lat=m.lat,
                lon=m.lon,
                location_tag=m.location_tag,
            )
        )
        if trip is None or trip.state is TripState.CANCELLED:
            return
        if m.op == "exit":
            if trip.exit_at is None or ts < trip.exit_at:
                trip.exit_at = ts
                trip.exit_photo_id = m.photo_id or trip.exit_photo_id
            _start(self.batch, trip, ts)
            _set_state(self.batch, trip, trips.after_exit(trip.state))
        elif m.op == "arrival":
            self._arrival_read(trip, m, ts)

    def _arrival_read(self, trip: Trip, m: fm.PassiveRead, ts: datetime) -> None:
        first = trip.arrived_at is None
        if first or ts < (trip.arrived_at or ts):
            trip.arrived_at = ts
            trip.arrival_photo_id = m.photo_id or trip.arrival_photo_id
        read = {"station": m.station, "operator_id": m.operator_id, "photo_id": m.photo_id}
        if decisions.s3_late_entry(ts, trip.deadline):
            self.alerts.raise_(trip, "S3", ts, read)
        allowed = frozenset(
            self.session.scalars(
                select(OperatorStation.station).where(OperatorStation.operator_id == m.operator_id)
            )
        )
        if decisions.s4_unauthorised_reader(m.station, allowed):
            self.alerts.raise_(trip, "S4", ts, read)
        if first:
            trip.completed_at = ts
            _set_state(self.batch, trip, trips.after_arrival_read(trip.state))
            self.alerts.update_unsealed_normally(trip)

    # ---- vehicle units ----------------------------------------------------------------------

    def telemetry(self, m: fm.UnitTelemetry) -> None:
        ts = _utc(m.ts)
        trip = self._trip_for_unit(m.unit_id, ts, m.plate)
        row = {
            "unit_id": m.unit_id,
            "trip_id": trip.id if trip else None,
            "ts": ts,
            "received_at": self.received_at,
            "lat": m.lat,
            "lon": m.lon,
            "speed_kmh": m.speed_kmh,
            "heading_deg": m.heading_deg,
            "fix": m.fix,
            "power": m.power,
        }
        self.batch.track(m.unit_id, ts)  # load the stored neighbours before adding this one
        self.batch.pending_positions.append(row)
        fix = _Fix(ts, m.lat, m.lon, m.speed_kmh, m.power, m.heading_deg)
        self.batch.add_fix(m.unit_id, fix)
        if m.driver_id is not None:
            self._driver(m.driver_id)
        if trip is None:
            return
        self._seen_unit(trip, ts)
        self.settle_unlock(trip, final=False)
        if trip.last_fix_at is None or ts >= trip.last_fix_at:
            trip.last_fix_at, trip.last_lat, trip.last_lon = ts, m.lat, m.lon
            if trip.state not in (TripState.COMPLETED, TripState.CANCELLED):
                self.batch.moved[trip.id] = (trip.id, m.lat, m.lon, m.heading_deg, ts)
        if not _active_at(trip, ts) or m.fix == "none":
            return
        self._fix_rules(trip, fix)

    def _seen_unit(self, trip: Trip, ts: datetime) -> None:
        if trip.last_unit_at is None or ts > trip.last_unit_at:
            trip.last_unit_at = ts

    def _fix_rules(self, trip: Trip, fix: _Fix) -> None:
        assert trip.unit_id is not None
        if trip.state is TripState.SEALED and not self.ref.inside(trip.origin, fix.lat, fix.lon):
            _set_state(self.batch, trip, trips.after_exit(trip.state))
        if self.ref.inside(trip.destination, fix.lat, fix.lon):
            self._arrive(trip, fix.ts)
        track = self.batch.track(trip.unit_id, fix.ts)
        index = track.index(fix)
        run = run_around(
            track, index, lambda f: _active_at(trip, f.ts) and decisions.unit_power_removed(f.power), _fix_ts
        )
        if run is not None:
            self._episode(trip, "UNIT_POWER_REMOVED", run.start, run.end, run.start, {"source": "telemetry"})
        self._route_deviation(trip, track, index)
        self._abnormal_stop(trip, track, index)
        self._separation_near(trip, fix.ts)

    def _in_window(self, trip: Trip, fix: _Fix) -> bool:
        return _active_at(trip, fix.ts) and (trip.arrived_at is None or fix.ts < trip.arrived_at)

    def _route_deviation(self, trip: Trip, track: list[_Fix], index: int) -> None:
        route = self.ref.routes.get(trip.route_id) if trip.route_id else None
        if route is None:
            return

        def off(f: _Fix) -> bool:
            return (
                self._in_window(trip, f)
                and not route.in_corridor(f.lat, f.lon)
                and not self.ref.in_station(f.lat, f.lon)
            )

        run = run_around(track, index, off, _fix_ts, _MAX_GAP)
        if run is None or not decisions.route_deviation(len(run), self.th.route_deviation_fixes):
            return
        at = run.items[self.th.route_deviation_fixes].ts
        detail = {
            "fixes_off_route": len(run),
            "max_distance_m": round(max(route.distance_m(f.lat, f.lon) for f in run.items)),
            "route_id": route.route_id,
        }
        self._episode(
            trip, "ROUTE_DEVIATION", run.start, run.end, at, detail, thresholds=("route_deviation_fixes",)
        )

    def _abnormal_stop(self, trip: Trip, track: list[_Fix], index: int) -> None:
        def stopped(f: _Fix) -> bool:
            return (
                self._in_window(trip, f)
                and f.speed_kmh < self.th.abnormal_stop_speed_kmh
                and not self.ref.in_station(f.lat, f.lon)
            )

        run = run_around(track, index, stopped, _fix_ts, _MAX_GAP)
        if run is None or not decisions.abnormal_stop(run.end - run.start, self.th.abnormal_stop):
            return
        at = next(f.ts for f in run.items if f.ts - run.start >= self.th.abnormal_stop)
        detail = {"stopped_since": _iso(run.start), "lat": run.items[0].lat, "lon": run.items[0].lon}
        self._episode(
            trip,
            "ABNORMAL_STOP",
            run.start,
            run.end,
            at,
            detail,
            thresholds=("abnormal_stop_speed_kmh", "abnormal_stop_minutes"),
        )

    def _episode(
        self,
        trip: Trip,
        code: str,
        start: datetime,
        end: datetime,
        at: datetime,
        detail: dict[str, Any],
        *,
        thresholds: tuple[str, ...] = (),
    ) -> None:
        """Raise ``code`` (at ``at``) for the episode ``[start, end]`` unless it overlaps one already
        alerted on; then it is the same occurrence, moved earlier if late data shows it began earlier.
        So the delivery order of the observations does not change the outcome."""
        key = f"runs:{code}"
        merged = merge_fired(list((trip.rule_state or {}).get(key, [])), _utc(start), _utc(end))
        _set_rule_state(trip, key, merged.fired)
        if merged.is_new:
            self.alerts.raise_(trip, code, at, detail, thresholds=thresholds)
        else:
            self.alerts.backdate(trip, code, merged.start, merged.end, at)

    def _event_episode(self, trip: Trip, code: str, ts: datetime, detail: dict[str, Any], **kw: Any) -> None:
        """A device event: its own episode, or part of the one it falls in (give or take a minute)."""
        self._episode(trip, code, ts - _SAME_OCCURRENCE, ts + _SAME_OCCURRENCE, ts, detail, **kw)

    def _arrive(self, trip: Trip, ts: datetime) -> None:
        if trip.arrived_at is not None and ts >= trip.arrived_at:
            return
        first = trip.arrived_at is None
        trip.arrived_at = ts
        if trip.state is not TripState.COMPLETED:
            _set_state(self.batch, trip, trips.after_arrival(trip.state))
        deadline = trip.deadline
        if first and deadline is not None and decisions.arrival_late(ts, deadline):
            self.alerts.raise_(trip, "ARRIVAL_LATE", ts, {"late_by_s": (ts - deadline).total_seconds()})

    def unit_event(self, m: fm.UnitEvent) -> None:
        ts = _utc(m.ts)
        detail: dict[str, Any] = {}
        if m.event == "driver_login":
            detail["driver"] = self._driver(m.driver_id)
        if m.seal_id is not None:
            detail["seal_id"] = m.seal_id
        trip: Trip | None = None
        if m.event == "seal_paired" and m.seal_id is not None:
            trip = self._trip_by(Trip.seal_no, m.seal_id, ts, SealFamily.VEHICLE)
            if trip is not None:
                trip.unit_id = m.unit_id
        if trip is None:
            trip = self._trip_for_unit(m.unit_id, ts, None)
        self.session.add(
            DeviceEvent(
                device_kind="unit",
                device_id=m.unit_id,
                trip_id=trip.id if trip else None,
                seq=m.seq,
                ts=ts,
                received_at=self.received_at,
                event=m.event,
                detail=detail,
            )
        )
        if trip is None:
            return
        self._seen_unit(trip, ts)
        if m.event == "power_removed" and _active_at(trip, ts):
            self._event_episode(trip, "UNIT_POWER_REMOVED", ts, {"source": "event"})

    # ---- vehicle seals ----------------------------------------------------------------------

    def seal_status(self, m: fm.SealStatus) -> None:
        ts = _utc(m.ts)
        trip = self._trip_by(Trip.seal_no, m.seal_id, ts, SealFamily.VEHICLE)
        self.session.add(
            SealStatusReport(
                seal_no=m.seal_id,
                trip_id=trip.id if trip else None,
                ts=ts,
                received_at=self.received_at,
                state=m.state,
                pin=m.pin,
                tamper=m.tamper,
                battery_pct=m.battery_pct,
                lat=m.lat,
                lon=m.lon,
                unit_id=m.unit_id,
                link=m.link,
            )
        )
        if trip is None:
            return
        if m.unit_id is not None and trip.unit_id is None:
            trip.unit_id = m.unit_id
        self._seen_seal(trip, ts)
        state = trip.rule_state or {}
        state_at = state.get("seal_state_at")
        if state_at is None or ts >= datetime.fromisoformat(state_at):
            trip.seal_state = m.state
            _set_rule_state(trip, "seal_state_at", _iso(ts))
        if m.lat is not None:
            self.settle_unlock(trip, final=False)
        if not _active_at(trip, ts):
            return
        report = {"pin": m.pin, "tamper": m.tamper, "battery_pct": m.battery_pct, "state": m.state}
        self._seal_episodes(trip, ts, report)
        if m.lat is not None:
            self._separation_near(trip, ts)

    def _seal_episodes(self, trip: Trip, ts: datetime, report: dict[str, Any]) -> None:
        """Pin fault, tamper and low battery over the seal's reports around ``ts``, in ts order."""
        self.session.flush()
        rows = self.session.execute(
            select(
                SealStatusReport.ts,
                SealStatusReport.pin,
                SealStatusReport.tamper,
                SealStatusReport.battery_pct,
            )
            .where(
                SealStatusReport.seal_no == trip.seal_no,
                SealStatusReport.ts.between(ts - _TRACK_WINDOW, ts + _TRACK_WINDOW),
            )
            .order_by(SealStatusReport.ts)
        ).all()
        index = next(i for i, row in enumerate(rows) if row[0] == ts)
        low = self.th.low_battery_pct
        rules: tuple[tuple[str, Callable[[Any], bool], tuple[str, ...]], ...] = (
            ("SEAL_PIN_FAULT", lambda r: decisions.seal_pin_fault(r[1]), ()),
            ("SEAL_BROKEN", lambda r: decisions.seal_broken(r[2]), ()),
            ("SEAL_LOW_BATTERY", lambda r: decisions.seal_low_battery(r[3], low), ("low_battery_pct",)),
        )
        for code, shows, thresholds in rules:

            def counts(row: Any, shows: Callable[[Any], bool] = shows) -> bool:
                return _active_at(trip, row[0]) and shows(row)

            run = run_around(rows, index, counts, _row_ts)
            if run is not None:
                self._episode(trip, code, run.start, run.end, run.start, report, thresholds=thresholds)

    def _seen_seal(self, trip: Trip, ts: datetime) -> None:
        if trip.last_seal_at is None or ts > trip.last_seal_at:
            trip.last_seal_at = ts

    def _separation_near(self, trip: Trip, ts: datetime) -> None:
        """SEAL_SEPARATED over the seal reports with a fix around ``ts``, in ts order.

        Each seal fix is compared with the unit's position at the report's ``ts`` (see
        :func:`_unit_position`); reports without a seal fix, or while the unit's track is too sparse to
        tell where it was, cannot be judged and are left out of the sequence. Re-run when a unit
        fix arrives too, so the delivery order does not matter.
        """
        if trip.unit_id is None:
            return
        self.session.flush()
        nearby = self.session.scalar(
            select(func.count(SealStatusReport.id)).where(
                SealStatusReport.seal_no == trip.seal_no,
                SealStatusReport.lat.is_not(None),
                SealStatusReport.ts.between(ts - _PAIRING_WINDOW, ts + _PAIRING_WINDOW),
            )
        )
        if not nearby:
            return
        reports = self.session.execute(
            select(SealStatusReport.ts, SealStatusReport.lat, SealStatusReport.lon)
            .where(
                SealStatusReport.seal_no == trip.seal_no,
                SealStatusReport.lat.is_not(None),
                SealStatusReport.ts.between(ts - _TRACK_WINDOW, ts + _TRACK_WINDOW),
            )
            .order_by(SealStatusReport.ts)
        ).all()
        track = self.batch.track(trip.unit_id, ts)
        judged: list[tuple[datetime, float]] = []
        for r_ts, lat, lon in reports:
            if lat is None or lon is None or not _active_at(trip, r_ts):
                continue
            unit_at = _unit_position(track, r_ts)
            if unit_at is None:
                continue
            judged.append((r_ts, haversine_m(lat, lon, *unit_at)))
        limit = self.th.seal_separation_m
        needed = self.th.seal_separation_reports
        for i, (r_ts, _distance) in enumerate(judged):
            if abs(r_ts - ts) > _PAIRING_WINDOW:
                continue
            run = run_around(judged, i, lambda j: j[1] > limit, _row_ts, _MAX_GAP)
            if run is None or not decisions.seal_separated(len(run), needed):
                continue
            self._episode(
                trip,
                "SEAL_SEPARATED",
                run.start,
                run.end,
                run.items[needed - 1][0],
                {"distances_m": [round(d) for _t, d in run.items]},
                thresholds=("seal_separation_m", "seal_separation_reports"),
            )

    def seal_event(self, m: fm.SealEvent) -> None:
        ts = _utc(m.ts)
        trip = self._trip_by(Trip.seal_no, m.seal_id, ts, SealFamily.VEHICLE)
        detail: dict[str, Any] = {"method": m.method} if m.method else {}
        self.session.add(
            DeviceEvent(
                device_kind="seal",
                device_id=m.seal_id,
                trip_id=trip.id if trip else None,
                seq=m.seq,
                ts=ts,
                received_at=self.received_at,
                event=m.event,
                detail=detail,
            )
        )
        if trip is None:
            return
        self._seen_seal(trip, ts)
        if not _active_at(trip, ts):
            return
        event = {"event": m.event, **detail}
        if m.event == "pin_fault":
            self._event_episode(trip, "SEAL_PIN_FAULT", ts, event)
        elif m.event == "tamper":
            self._event_episode(trip, "SEAL_BROKEN", ts, event)
        elif m.event == "low_battery":
            self._event_episode(trip, "SEAL_LOW_BATTERY", ts, event, thresholds=("low_battery_pct",))
        elif m.event == "unlocked":
            self._unlocked(trip, ts, m.method or "")

    def _unlocked(self, trip: Trip, ts: datetime, method: str) -> None:
        """The seal unlocked: inside the destination's geofence the trip is over, elsewhere the seal is
        broken. Where it was is judged from a unit or seal fix within 30 s of the unlock; devices
        deliver late and out of order, so when no such fix is known yet the decision waits for one,
        at most two minutes of the clock (then the best position known decides, see `Ingestor.tick`)."""
        if (trip.rule_state or {}).get("pending_unlock"):
            self.settle_unlock(trip, final=True)  # an earlier unlock still undecided
        _set_rule_state(trip, "pending_unlock", {"ts": _iso(ts), "method": method})
        self.settle_unlock(trip, final=False)

    def settle_unlock(self, trip: Trip, *, final: bool) -> None:
        pending = (trip.rule_state or {}).get("pending_unlock")
        if not pending:
            return
        ts = datetime.fromisoformat(pending["ts"])
        method: str = pending["method"]
        where = self._position_at(trip, ts, _UNLOCK_PRECISION)
        if where is None and not final:
            return
        if where is None:
            where = self._position_at(trip, ts, _PAIRING_WINDOW)
        if where is None and trip.last_lat is not None and trip.last_lon is not None:
            where = (trip.last_lat, trip.last_lon)
        _set_rule_state(trip, "pending_unlock", None)
        inside = where is not None and self.ref.inside(trip.destination, *where)
        if decisions.unlock_breaks_seal(inside):
            position = list(where) if where else None
            self._event_episode(
                trip, "SEAL_BROKEN", ts, {"event": "unlocked", "method": method, "position": position}
            )
            return
        self._arrive(trip, ts)
        trip.unsealed_at = ts
        trip.unseal_method = method
        trip.completed_at = ts
        _set_state(self.batch, trip, trips.after_unseal(trip.state, inside))
        self.alerts.update_unsealed_normally(trip)

    def _position_at(self, trip: Trip, ts: datetime, within: timedelta) -> tuple[float, float] | None:
        """Where the seal was at ``ts``: the unit fix or the seal's own fix nearest in time, if one is
        ``within`` of it."""
        candidates: list[tuple[timedelta, float, float]] = []
        if trip.unit_id is not None:
            nearest = _nearest(self.batch.track(trip.unit_id, ts), ts, within)
            if nearest is not None:
                candidates.append((abs(nearest.ts - ts), nearest.lat, nearest.lon))
        self.session.flush()
        rows = self.session.execute(
            select(SealStatusReport.ts, SealStatusReport.lat, SealStatusReport.lon).where(
                SealStatusReport.seal_no == trip.seal_no,
                SealStatusReport.lat.is_not(None),
                SealStatusReport.ts.between(ts - within, ts + within),
            )
        ).all()
        for r_ts, lat, lon in rows:
            if lat is not None and lon is not None:
                candidates.append((abs(r_ts - ts), float(lat), float(lon)))
        if not candidates:
            return None
        _delta, lat, lon = min(candidates)
        return lat, lon


def _fix_ts(fix: _Fix) -> datetime:
    return fix.ts


def _row_ts(row: Any) -> datetime:
    ts: datetime = row[0]
    return ts


def _unit_position(track: list[_Fix], ts: datetime) -> tuple[float, float] | None:
    """The unit's position at ``ts``: a fix within 15 s, else interpolated between the fixes just before
    and just after, if both are within two minutes; None when the track is too sparse to tell."""
    exact = _nearest(track, ts, _EXACT_FIX)
    if exact is not None:
        return exact.lat, exact.lon
    before = next((f for f in reversed(track) if f.ts <= ts), None)
    after = next((f for f in track if f.ts >= ts), None)
    if before is None or after is None or after.ts - before.ts > 2 * _PAIRING_WINDOW:
        return None
    if ts - before.ts > _PAIRING_WINDOW or after.ts - ts > _PAIRING_WINDOW:
        return None
    share = (ts - before.ts) / (after.ts - before.ts)
    return before.lat + (after.lat - before.lat) * share, before.lon + (after.lon - before.lon) * share


def _nearest(track: list[_Fix], ts: datetime, within: timedelta = _PAIRING_WINDOW) -> _Fix | None:
    best: _Fix | None = None
    for fix in track:
        if abs(fix.ts - ts) <= within and (best is None or abs(fix.ts - ts) < abs(best.ts - ts)):
            best = fix
    return best


# --------------------------------------------------------------------------------------------
# Clock rules
# --------------------------------------------------------------------------------------------


class _ClockRules:
    """Lost contact, overdue, S7 and S8, judged at the clock's ``now`` on the active trips."""

    def __init__(self, batch: _Batch) -> None:
        self.batch = batch
        self.session = batch.session
        self.th = batch.ref.thresholds
        self.alerts = _Alerts(batch)

    def run(self) -> None:
        now = self.batch.now
        active = self.session.scalars(
            select(Trip).where(Trip.state.in_(tuple(trips.ACTIVE_STATES))).order_by(Trip.id)
        )
        for trip in active:
            if trip.active_from is None or trip.active_from > now:
                continue
            pending = (trip.rule_state or {}).get("pending_unlock")
            if pending and datetime.fromisoformat(pending["ts"]) + _PAIRING_WINDOW <= now:
                _MessageRules(self.batch, now).settle_unlock(trip, final=True)
                if trip.state not in trips.ACTIVE_STATES:
                    continue
            if trip.family is SealFamily.VEHICLE:
                self._vehicle(trip, now)
            else:
                self._passive(trip, now)

    def next_due(self) -> datetime | None:
        dues: list[datetime] = []
        lost = self.th.lost_contact
        for trip in self.session.scalars(select(Trip).where(Trip.state.in_(tuple(trips.ACTIVE_STATES)))):
            if trip.active_from is None:
                continue
            state = trip.rule_state or {}
            pending = state.get("pending_unlock")
            if pending:
                dues.append(datetime.fromisoformat(pending["ts"]) + _PAIRING_WINDOW)
            if trip.family is SealFamily.VEHICLE:
                for key, newest in (
                    ("lost:VEHICLE_LOST", max(trip.last_unit_at or trip.active_from, trip.active_from)),
                    ("lost:SEAL_LOST", max(trip.last_seal_at or trip.active_from, trip.active_from)),
                ):
                    if state.get(key) != _iso(newest):
                        dues.append(newest + lost)
                if trip.deadline is not None and not state.get("overdue") and trip.arrived_at is None:
                    dues.append(trip.deadline + timedelta(microseconds=1))
            elif trip.arrived_at is None:
                if trip.deadline is not None and not state.get("S7"):
                    dues.append(trip.deadline + timedelta(microseconds=1))
                if trip.gate_in_at is not None and not state.get("S8"):
                    dues.append(trip.gate_in_at + self.th.s8_arrival_read)
        return min(dues) if dues else None

    def _vehicle(self, trip: Trip, now: datetime) -> None:
        assert trip.active_from is not None
        state = trip.rule_state or {}
        threshold = self.th.lost_contact
        unit_newest = max(trip.last_unit_at or trip.active_from, trip.active_from)
        if decisions.lost_contact(now, unit_newest, threshold, state.get("lost:VEHICLE_LOST")):
            _set_rule_state(trip, "lost:VEHICLE_LOST", _iso(unit_newest))
            self.alerts.raise_(
                trip,
                "VEHICLE_LOST",
                unit_newest + threshold,
                {"last_seen": _iso(trip.last_unit_at)},
                thresholds=("lost_contact_minutes",),
            )
        seal_newest = max(trip.last_seal_at or trip.active_from, trip.active_from)
        if decisions.lost_contact(now, seal_newest, threshold, state.get("lost:SEAL_LOST")):
            _set_rule_state(trip, "lost:SEAL_LOST", _iso(seal_newest))
            cause = self._cause(trip)
            self.alerts.raise_(
                trip,
                "SEAL_LOST",
                seal_newest + threshold,
                {"last_seen": _iso(trip.last_seal_at), "caused_by": cause},
                thresholds=("lost_contact_minutes",),
                caused_by=cause,
            )
        if decisions.overdue_not_arrived(now, trip.state, trip.deadline) and not state.get("overdue"):
            assert trip.deadline is not None
            _set_rule_state(trip, "overdue", True)
            self.alerts.raise_(trip, "OVERDUE_NOT_ARRIVED", trip.deadline, {})

    def _cause(self, trip: Trip) -> int | None:
        """An open UNIT_POWER_REMOVED or VEHICLE_LOST of the trip's unit explains a seal's silence."""
        conditions = [Alert.trip_id == trip.id]
        if trip.unit_id is not None:
            conditions.append(Alert.unit_id == trip.unit_id)
        for code in ("UNIT_POWER_REMOVED", "VEHICLE_LOST"):
            for condition in conditions:
                found = self.session.scalar(
                    select(Alert.id)
                    .where(condition, Alert.code == code, Alert.status != AlertStatus.CLOSED)
                    .order_by(Alert.id.desc())
                    .limit(1)
                )
                if found is not None:
                    return found
        return None

    def _passive(self, trip: Trip, now: datetime) -> None:
        state = trip.rule_state or {}
        arrival_read = trip.arrived_at is not None
        if decisions.s7_overdue_not_entered(now, trip.deadline, arrival_read) and not state.get("S7"):
            assert trip.deadline is not None
            _set_rule_state(trip, "S7", True)
            due = trip.deadline + self.th.s7_escalation
            self.alerts.raise_(
                trip,
                "S7",
                trip.deadline,
                {},
                thresholds=("s7_escalation_hours",),
                extra_facts={"escalation_due_at": _iso(due)},
            )
        wait = self.th.s8_arrival_read
        if decisions.s8_not_read_at_arrival(now, trip.gate_in_at, arrival_read, wait) and not state.get("S8"):
            assert trip.gate_in_at is not None
            _set_rule_state(trip, "S8", True)
            self.alerts.raise_(
                trip,
                "S8",
                trip.gate_in_at + wait,
                {"gate_in_at": _iso(trip.gate_in_at)},
                thresholds=("s8_arrival_read_minutes",),
            )
