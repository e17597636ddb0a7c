"""What every message handler shares: the batch it works in, finding the trip a message is about,
storing device events, and the episode and arrival rules several topic kinds lead to.

The handlers per topic kind (handlers_*.py) extend `MessageHandler`; `MessageRules` combines them.
A valid message about something this database does not know raises `Refused`, which dead-letters it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from controlroom.models import DeviceEvent, Driver, Trip
from controlroom.models.enums import SealFamily, TripState
from controlroom.rules import decisions, trips
from controlroom.rules.streaks import merge_fired
from controlroom.services.ingest.alerts import AlertBook
from controlroom.services.ingest.batch import TRACK_WINDOW, Batch, utc
from controlroom.services.ingest.trip_updates import set_rule_state, set_state

# A device event and the periodic report saying the same thing are one occurrence.
_SAME_OCCURRENCE = timedelta(seconds=60)


class Refused(Exception):
    """A valid message that refers to something unknown (CN, gate, route): dead-lettered."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


class MessageHandler:
    """The base of the handlers: one message, its batch, and the helpers every topic kind uses."""

    def __init__(self, batch: Batch, received_at: datetime) -> None:
        self.batch = batch
        self.session = batch.session
        self.ref = batch.ref
        self.th = batch.ref.thresholds
        self.received_at = received_at
        self.alerts = AlertBook(batch)

    # ---- trip lookup ------------------------------------------------------------------------

    def _trip_by(self, column: Any, value: str, ts: datetime, family: SealFamily | None) -> Trip | None:
        query = select(Trip).where(column == value, Trip.state != TripState.CANCELLED)
        query = query.order_by(Trip.id.desc())
        if family is not None:
            query = query.where(Trip.family == family)
        for trip in self.session.scalars(query):
            if trip.active_from is not None and ts < trip.active_from - TRACK_WINDOW:
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

    def _trip_for_seal(self, seal_id: str, ts: datetime) -> Trip | None:
        return self._trip_by(Trip.seal_no, seal_id, ts, SealFamily.VEHICLE)

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

    # ---- device events, episodes, arrival ---------------------------------------------------

    def _store_device_event(
        self,
        kind: str,
        device_id: str,
        trip: Trip | None,
        seq: int,
        ts: datetime,
        event: str,
        detail: dict[str, Any],
    ) -> None:
        self.session.add(
            DeviceEvent(
                device_kind=kind,
                device_id=device_id,
                trip_id=trip.id if trip else None,
                seq=seq,
                ts=ts,
                received_at=self.received_at,
                event=event,
                detail=detail,
            )
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
        merged = merge_fired(list((trip.rule_state or {}).get(key, [])), utc(start), utc(end))
        set_rule_state(trip, key, merged.fired)
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
            set_state(self.batch, trip, trips.after_arrival(trip.state))
        deadline = trip.deadline
        if first and deadline is not None and decisions.arrival_late(ts, deadline):
            self.alerts.raise_(trip, "ARRIVAL_LATE", ts, {"late_by_s": (ts - deadline).total_seconds()})
