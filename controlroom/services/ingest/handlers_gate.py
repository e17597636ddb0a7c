"""Handler for gate passages: stores the passage, raises GATE_NO_INSPECTION, EXIT_UNSEALED and S2 on
the way out, and notes the arrival at the destination's gate."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from controlroom.feed import messages as fm
from controlroom.models import GatePassage, SealStatusReport, Trip
from controlroom.models.enums import SealFamily, TripState
from controlroom.rules import decisions, trips
from controlroom.services.ingest.batch import utc
from controlroom.services.ingest.message_handler import MessageHandler, Refused
from controlroom.services.ingest.trip_updates import active_at, set_state, start_trip


class GateHandlers(MessageHandler):
    """Gate passages."""

    def gate_passage(self, m: fm.GatePassage) -> None:
        gate = self.ref.gates.get(m.gate_id)
        if gate is None:
            raise Refused("unknown_gate", "gate_id: not a known gate")
        station, inspection_required = gate
        ts = utc(m.ts)
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
            if trip.family is SealFamily.VEHICLE and active_at(trip, ts):
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
            start_trip(self.batch, trip, ts)
            if decisions.exit_unsealed(confirmed, seal_state):
                self.alerts.raise_(
                    trip,
                    "EXIT_UNSEALED",
                    ts,
                    {**passage, "sealing_confirmed": confirmed, "seal_state": seal_state},
                )
        else:
            start_trip(self.batch, trip, ts)
            if decisions.s2_not_read_at_exit(trip.exit_at, ts):
                self.alerts.raise_(trip, "S2", ts, passage)
        set_state(self.batch, trip, trips.after_exit(trip.state))
