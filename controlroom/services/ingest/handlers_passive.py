"""Handler for passive seal reads (the handheld readers at exit and arrival): starts and ends passive
trips and raises S3 (late entry) and S4 (reader not authorised for the station)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from controlroom.feed import messages as fm
from controlroom.models import OperatorStation, PassiveRead, Trip
from controlroom.models.enums import SealFamily, TripState
from controlroom.rules import decisions, trips
from controlroom.services.ingest.batch import utc
from controlroom.services.ingest.message_handler import MessageHandler
from controlroom.services.ingest.trip_updates import set_state, start_trip


class PassiveReadHandlers(MessageHandler):
    """Passive reads."""

    def passive_read(self, m: fm.PassiveRead) -> None:
        ts = utc(m.ts)
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
            start_trip(self.batch, trip, ts)
            set_state(self.batch, trip, trips.after_exit(trip.state))
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
            set_state(self.batch, trip, trips.after_arrival_read(trip.state))
            self.alerts.update_unsealed_normally(trip)
