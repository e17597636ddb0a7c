"""Small changes to a trip shared by the message handlers and the clock rules: its state (with the
event for the GUI), its active period and deadline, and the rule memory kept on the row."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from controlroom.models import CNNote, Trip
from controlroom.models.enums import TripState
from controlroom.rules import trips
from controlroom.services.ingest.batch import Batch
from controlroom.services.ingest.events import TripChanged


def set_state(batch: Batch, trip: Trip, state: TripState) -> None:
    if trip.state is not state:
        trip.state = state
        batch.events.append(TripChanged(trip.id, trip.cn_no, state.value))


def active_at(trip: Trip, ts: datetime) -> bool:
    """Whether ``ts`` falls in the trip's active period (late data of an ended trip still counts)."""
    if trip.state in (TripState.CANCELLED, TripState.PLANNED) or trip.active_from is None:
        return False
    if ts < trip.active_from:
        return False
    return trip.completed_at is None or ts <= trip.completed_at


def start_trip(batch: Batch, trip: Trip, ts: datetime) -> None:
    """The trip becomes active at ``ts`` (sealing, or exit when there was none), and gets its deadline."""
    if trip.active_from is None or ts < trip.active_from:
        trip.active_from = ts
    note = batch.session.get(CNNote, trip.cn_no)
    minutes = batch.ref.route_minutes.get(trip.route_id) if trip.route_id else None
    trip.deadline = trips.deadline_for(note.deadline if note else None, trip.active_from, minutes)


def set_rule_state(trip: Trip, key: str, value: Any) -> None:
    trip.rule_state = {**(trip.rule_state or {}), key: value}
