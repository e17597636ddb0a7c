"""The live fleet picture: every active trip with its newest fix, state and open alerts. Qt-free.

Loaded once from the database, then kept current from the ingest events, so the map and the trip
list repaint from memory at their own pace. Lock-on search (the SOP's 即時監控) finds a trip by CN
number, plate or container number prefix.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from controlroom.domain.identifiers import mask_driver_id, normalize_plate
from controlroom.models import Alert, CNNote, Driver, PositionReport, SealStatusReport, Trip
from controlroom.models.enums import AlertStatus, SealFamily, TripState
from controlroom.rules.geometry import haversine_m
from controlroom.services.ingest import AlertRaised, IngestEvent, PositionsMoved, TripChanged
from controlroom.storage.database import Database

ACTIVE_STATES = (TripState.PLANNED, TripState.SEALED, TripState.IN_TRANSIT, TripState.ARRIVED)
LOST_AFTER = timedelta(minutes=5)  # the protocol's default lost-contact threshold
STOPPED_METRES = 30.0


@dataclass(frozen=True)
class TruckInfo:
    trip_id: int
    cn_no: str
    plate: str
    container_no: str
    seal_no: str
    origin: str
    destination: str
    trip_state: str
    family: str  # vehicle seals report live; passive and paper seals only at exit and arrival
    deadline: datetime | None
    lat: float | None
    lon: float | None
    heading: float | None
    last_fix_at: datetime | None
    moved_m: float | None  # distance between the last two fixes
    open_alerts: int

    def time_left(self, now: datetime) -> timedelta | None:
        return None if self.deadline is None else self.deadline - now

    def display_state(self, now: datetime) -> str:
        """moving / stopped / lost, as the map draws it; only a tracked trip on the road can lose contact."""
        if self.family != SealFamily.VEHICLE.value:
            return "untracked"
        if self.last_fix_at is None:
            return "lost" if self.trip_state == TripState.IN_TRANSIT.value else "stopped"
        if now - self.last_fix_at > LOST_AFTER:
            return "lost"
        return "stopped" if self.moved_m is not None and self.moved_m < STOPPED_METRES else "moving"


class FleetPicture:
    def __init__(self) -> None:
        self._trucks: dict[int, TruckInfo] = {}

    def load(self, database: Database) -> None:
        """Read the whole picture (blocking: at start-up, or on a worker thread with `replace`)."""
        self.replace(fetch_active(database))

    def replace(self, trucks: list[TruckInfo]) -> None:
        self._trucks = {t.trip_id: t for t in trucks}

    def apply(self, events: Iterable[IngestEvent]) -> set[int]:
        """Fold ingest events in; returns the trips whose picture changed (or that must be reloaded)."""
        changed: set[int] = set()
        for event in events:
            if isinstance(event, PositionsMoved):
                for trip_id, lat, lon, heading, ts in event.positions:
                    truck = self._trucks.get(trip_id)
                    if truck is None:
                        changed.add(trip_id)  # unknown yet: the caller reloads it
                        continue
                    if truck.last_fix_at is not None and ts <= truck.last_fix_at:
                        continue  # late data fills the track, it does not move the marker back
                    moved = (
                        None
                        if truck.lat is None or truck.lon is None
                        else haversine_m(truck.lat, truck.lon, lat, lon)
                    )
                    self._trucks[trip_id] = replace(
                        truck, lat=lat, lon=lon, heading=heading, last_fix_at=ts, moved_m=moved
                    )
                    changed.add(trip_id)
            elif isinstance(event, TripChanged):
                changed.add(event.trip_id)
                if event.state in (TripState.COMPLETED.value, TripState.CANCELLED.value):
                    self._trucks.pop(event.trip_id, None)
                elif event.trip_id in self._trucks:
                    self._trucks[event.trip_id] = replace(self._trucks[event.trip_id], trip_state=event.state)
            elif isinstance(event, AlertRaised) and event.trip_id in self._trucks:
                truck = self._trucks[event.trip_id]
                self._trucks[event.trip_id] = replace(truck, open_alerts=truck.open_alerts + 1)
                changed.add(event.trip_id)
        return changed

    def merge(self, fetched: tuple[list[TruckInfo], list[int]]) -> None:
        """Fold in what `fetch_trips` read on a worker thread: fresh trips, and trips no longer active."""
        found, gone = fetched
        for truck in found:
            self._trucks[truck.trip_id] = truck
        for trip_id in gone:
            self._trucks.pop(trip_id, None)

    def trucks(self) -> list[TruckInfo]:
        return list(self._trucks.values())

    def get(self, trip_id: int) -> TruckInfo | None:
        return self._trucks.get(trip_id)

    def search(self, text: str) -> list[TruckInfo]:
        """Active trips whose CN number, plate or container number starts with `text` (plate normalised)."""
        query = text.strip().upper()
        if not query:
            return []
        plate = normalize_plate(query)
        hits = [
            t
            for t in self._trucks.values()
            if t.cn_no.upper().startswith(query)
            or t.container_no.startswith(query)
            or t.plate.startswith(plate)
        ]
        return sorted(hits, key=lambda t: (t.cn_no != query, t.plate != plate, t.cn_no))


def _from_trip(trip: Trip, open_alerts: int) -> TruckInfo:
    return TruckInfo(
        trip_id=trip.id,
        cn_no=trip.cn_no,
        plate=trip.plate,
        container_no=trip.container_no,
        seal_no=trip.seal_no,
        family=trip.family.value,
        origin=trip.origin,
        destination=trip.destination,
        trip_state=trip.state.value,
        deadline=trip.deadline,
        lat=trip.last_lat,
        lon=trip.last_lon,
        heading=None,
        last_fix_at=trip.last_fix_at,
        moved_m=None,
        open_alerts=open_alerts,
    )


def _open_alert_counts(session: Session, trip_ids: list[int] | None = None) -> dict[int, int]:
    query = select(Alert.trip_id, func.count()).where(Alert.status != AlertStatus.CLOSED)
    query = query.where(Alert.trip_id.is_not(None) if trip_ids is None else Alert.trip_id.in_(trip_ids))
    return {trip_id: count for trip_id, count in session.execute(query.group_by(Alert.trip_id)) if trip_id}


def fetch_active(database: Database) -> list[TruckInfo]:
    """Every active trip as the map shows it (call off the GUI thread)."""
    with database.transaction() as session:
        counts = _open_alert_counts(session)
        trips = session.scalars(select(Trip).where(Trip.state.in_(ACTIVE_STATES)))
        return [_from_trip(t, counts.get(t.id, 0)) for t in trips]


def fetch_trips(database: Database, trip_ids: Iterable[int]) -> tuple[list[TruckInfo], list[int]]:
    """These trips as the map shows them, and those of them no longer active (call off the GUI thread)."""
    ids = list(trip_ids)
    found: list[TruckInfo] = []
    gone: list[int] = []
    if not ids:
        return found, gone
    with database.transaction() as session:
        counts = _open_alert_counts(session, ids)
        for trip in session.scalars(select(Trip).where(Trip.id.in_(ids))):
            if trip.state in ACTIVE_STATES:
                found.append(_from_trip(trip, counts.get(trip.id, 0)))
            else:
                gone.append(trip.id)
    return found, gone


GAP = timedelta(minutes=2)  # a track with no fix for this long is drawn broken (telemetry is 10–60 s)


@dataclass(frozen=True)
class TripDetail:
    """What the lock-on panel shows of one trip; the driver ID arrives already masked."""

    trip_id: int
    cn_no: str
    container_no: str
    plate: str
    driver_masked: str | None
    seal_no: str
    seal_state: str | None
    battery_pct: int | None
    origin: str
    destination: str
    trip_state: str
    deadline: datetime | None
    track: tuple[tuple[datetime, float, float], ...]  # (ts, lat, lon) in time order
    gaps: tuple[int, ...]  # indexes into `track` where a gap of more than GAP starts
    alerts: tuple[tuple[int, str, str, datetime], ...]  # (id, code, status, raised_at)


def trip_detail(database: Database, trip_id: int, max_points: int = 5000) -> TripDetail | None:
    with database.transaction() as session:
        trip = session.get(Trip, trip_id)
        if trip is None:
            return None
        note = session.get(CNNote, trip.cn_no)
        driver = session.get(Driver, note.driver_id) if note is not None and note.driver_id else None
        seal = session.scalars(
            select(SealStatusReport)
            .where(SealStatusReport.seal_no == trip.seal_no)
            .order_by(SealStatusReport.ts.desc())
            .limit(1)
        ).first()
        points = session.execute(
            select(PositionReport.ts, PositionReport.lat, PositionReport.lon)
            .where(PositionReport.trip_id == trip_id)
            .order_by(PositionReport.ts)
            .limit(max_points)
        ).all()
        alerts = session.execute(
            select(Alert.id, Alert.code, Alert.status, Alert.raised_at)
            .where(Alert.trip_id == trip_id)
            .order_by(Alert.raised_at)
        ).all()
        track = tuple((ts, lat, lon) for ts, lat, lon in points)
        gaps = tuple(i for i in range(1, len(track)) if track[i][0] - track[i - 1][0] > GAP)
        return TripDetail(
            trip_id=trip.id,
            cn_no=trip.cn_no,
            container_no=trip.container_no,
            plate=trip.plate,
            driver_masked=mask_driver_id(driver.national_id) if driver else None,
            seal_no=trip.seal_no,
            seal_state=seal.state if seal else None,
            battery_pct=seal.battery_pct if seal else None,
            origin=trip.origin,
            destination=trip.destination,
            trip_state=trip.state.value,
            deadline=trip.deadline,
            track=track,
            gaps=gaps,
            alerts=tuple((a_id, code, status.value, raised) for a_id, code, status, raised in alerts),
        )
