"""A workstation that is a client of a central ingest learns of changes by polling the shared database.

Each poll turns what changed since the last one into the same events the in-process ingest emits, so
the window does not care where its data comes from. Qt-free; call `poll` off the GUI thread.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select

from controlroom.models import Alert, PositionReport, Trip
from controlroom.services.fleet import ACTIVE_STATES
from controlroom.services.ingest import AlertOccurred, AlertRaised, IngestEvent, PositionsMoved, TripChanged
from controlroom.storage.database import Database


class DatabaseWatcher:
    def __init__(self, database: Database) -> None:
        self._database = database
        self._last_alert_id = 0
        self._occurrences: dict[int, int] = {}
        self._trip_versions: dict[int, int] = {}
        self._primed = False
        self.last_received_at: datetime | None = None  # newest fix the central ingest stored

    def poll(self) -> list[IngestEvent]:
        """Events for what changed since the previous poll (the first poll only takes stock)."""
        events: list[IngestEvent] = []
        with self._database.transaction() as session:
            for alert in session.scalars(
                select(Alert).where(Alert.id > self._last_alert_id).order_by(Alert.id)
            ):
                self._last_alert_id = alert.id
                self._occurrences[alert.id] = alert.occurrences
                if self._primed:
                    events.append(
                        AlertRaised(alert.id, alert.code, alert.trip_id, alert.severity, alert.raised_at)
                    )
            recent = session.execute(
                select(Alert.id, Alert.code, Alert.trip_id, Alert.occurrences, Alert.last_occurrence_at)
                .order_by(Alert.last_occurrence_at.desc())
                .limit(500)
            )
            for alert_id, code, trip_id, occurrences, at in recent:
                if self._occurrences.get(alert_id, occurrences) != occurrences:
                    events.append(AlertOccurred(alert_id, code, trip_id, occurrences, at))
                self._occurrences[alert_id] = occurrences
            moved: list[tuple[int, float, float, float | None, datetime]] = []
            watched = select(Trip).where(
                or_(Trip.state.in_(ACTIVE_STATES), Trip.id.in_(list(self._trip_versions)))
            )
            for trip in session.scalars(watched):
                if self._trip_versions.get(trip.id) == trip.version:
                    continue
                self._trip_versions[trip.id] = trip.version
                if trip.state not in ACTIVE_STATES:
                    del self._trip_versions[trip.id]  # reported once as finished, then no longer watched
                if not self._primed:
                    continue
                events.append(TripChanged(trip.id, trip.cn_no, trip.state.value))
                if trip.last_lat is not None and trip.last_lon is not None and trip.last_fix_at is not None:
                    moved.append((trip.id, trip.last_lat, trip.last_lon, None, trip.last_fix_at))
            if moved:
                events.append(PositionsMoved(tuple(moved)))
            self.last_received_at = session.scalar(
                select(PositionReport.received_at).order_by(PositionReport.id.desc()).limit(1)
            )
        self._primed = True
        return events
