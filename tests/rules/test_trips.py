"""The trip state machine and the CN change rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from controlroom.models.enums import SealFamily, SealType, TripState
from controlroom.rules import trips

T = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def test_vehicle_trip_lifecycle() -> None:
    state = TripState.PLANNED
    assert not trips.is_active(state)
    state = trips.after_sealing(state)
    assert state is TripState.SEALED and trips.is_active(state)
    state = trips.after_exit(state)
    assert state is TripState.IN_TRANSIT
    assert trips.after_unseal(state, inside_destination=False) is TripState.IN_TRANSIT
    state = trips.after_arrival(state)
    assert state is TripState.ARRIVED
    state = trips.after_unseal(state, inside_destination=True)
    assert state is TripState.COMPLETED and not trips.is_active(state)
    assert trips.after_cancel(state) is TripState.COMPLETED


def test_exit_without_sealing_starts_the_trip() -> None:
    assert trips.after_exit(TripState.PLANNED) is TripState.IN_TRANSIT


def test_passive_trip_ends_at_the_arrival_read() -> None:
    assert trips.after_arrival_read(TripState.IN_TRANSIT) is TripState.COMPLETED
    assert trips.after_arrival_read(TripState.CANCELLED) is TripState.CANCELLED
    assert trips.family_of(SealType.PAPER) is SealFamily.PASSIVE
    assert trips.family_of(SealType.VEHICLE) is SealFamily.VEHICLE


def test_cancel() -> None:
    assert trips.after_cancel(TripState.IN_TRANSIT) is TripState.CANCELLED


def test_deadline_from_cn_or_route() -> None:
    cn = T + timedelta(hours=3)
    assert trips.deadline_for(cn, T, 15) == cn
    assert trips.deadline_for(None, T, 15) == T + timedelta(minutes=15)
    assert trips.deadline_for(None, None, 15) is None
    assert trips.deadline_for(None, T, None) is None


def test_cn_changes_refused_once_the_vehicle_seal_is_confirmed() -> None:
    assert trips.cn_change_refusal("replace", vehicle_seal_confirmed=False, status_cancelled=False) is None
    assert trips.cn_change_refusal("cancel", vehicle_seal_confirmed=True, status_cancelled=False)
    assert trips.cn_change_refusal("replace", vehicle_seal_confirmed=True, status_cancelled=False)
    assert trips.cn_change_refusal("replace", vehicle_seal_confirmed=False, status_cancelled=True)
    assert trips.cn_change_refusal("new", vehicle_seal_confirmed=True, status_cancelled=False) is None
