"""The clock-driven rules: lost contact (VEHICLE_LOST, SEAL_LOST with its cause), overdue, S7 and S8,
and an unlock that waited too long for a fix; judged at the clock's ``now`` on the active trips.

`ClockRules.next_due` says when the next of them could fire, so a live ingest or a replay need not
tick while nothing is due.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from controlroom.models import Alert, Trip
from controlroom.models.enums import AlertStatus, SealFamily
from controlroom.rules import decisions, trips
from controlroom.services.ingest.alerts import AlertBook
from controlroom.services.ingest.batch import Batch, iso
from controlroom.services.ingest.pairing import PAIRING_WINDOW, PairingRules
from controlroom.services.ingest.trip_updates import set_rule_state


class ClockRules:
    """Lost contact, overdue, S7 and S8, judged at the clock's ``now`` on the active trips."""

    def __init__(self, batch: Batch) -> None:
        self.batch = batch
        self.session = batch.session
        self.th = batch.ref.thresholds
        self.alerts = AlertBook(batch)

    def run(self) -> None:
        now = self.batch.now
        active = self.session.scalars(
            select(Trip).where(Trip.state.in_(tuple(trips.ACTIVE_STATES))).order_by(Trip.id)
        )
        for trip in active:
            if trip.active_from is None or trip.active_from > now:
                continue
            pending = (trip.rule_state or {}).get("pending_unlock")
            if pending and datetime.fromisoformat(pending["ts"]) + PAIRING_WINDOW <= now:
                PairingRules(self.batch, now).settle_unlock(trip, final=True)
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
                dues.append(datetime.fromisoformat(pending["ts"]) + PAIRING_WINDOW)
            if trip.family is SealFamily.VEHICLE:
                for key, newest in (
                    ("lost:VEHICLE_LOST", max(trip.last_unit_at or trip.active_from, trip.active_from)),
                    ("lost:SEAL_LOST", max(trip.last_seal_at or trip.active_from, trip.active_from)),
                ):
                    if state.get(key) != iso(newest):
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
            set_rule_state(trip, "lost:VEHICLE_LOST", iso(unit_newest))
            self.alerts.raise_(
                trip,
                "VEHICLE_LOST",
                unit_newest + threshold,
                {"last_seen": iso(trip.last_unit_at)},
                thresholds=("lost_contact_minutes",),
            )
        seal_newest = max(trip.last_seal_at or trip.active_from, trip.active_from)
        if decisions.lost_contact(now, seal_newest, threshold, state.get("lost:SEAL_LOST")):
            set_rule_state(trip, "lost:SEAL_LOST", iso(seal_newest))
            cause = self._cause(trip)
            self.alerts.raise_(
                trip,
                "SEAL_LOST",
                seal_newest + threshold,
                {"last_seen": iso(trip.last_seal_at), "caused_by": cause},
                thresholds=("lost_contact_minutes",),
                caused_by=cause,
            )
        if decisions.overdue_not_arrived(now, trip.state, trip.deadline) and not state.get("overdue"):
            assert trip.deadline is not None
            set_rule_state(trip, "overdue", True)
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
            set_rule_state(trip, "S7", True)
            due = trip.deadline + self.th.s7_escalation
            self.alerts.raise_(
                trip,
                "S7",
                trip.deadline,
                {},
                thresholds=("s7_escalation_hours",),
                extra_facts={"escalation_due_at": iso(due)},
            )
        wait = self.th.s8_arrival_read
        if decisions.s8_not_read_at_arrival(now, trip.gate_in_at, arrival_read, wait) and not state.get("S8"):
            assert trip.gate_in_at is not None
            set_rule_state(trip, "S8", True)
            self.alerts.raise_(
                trip,
                "S8",
                trip.gate_in_at + wait,
                {"gate_in_at": iso(trip.gate_in_at)},
                thresholds=("s8_arrival_read_minutes",),
            )
