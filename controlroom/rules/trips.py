"""The trip state machine (protocol.md "Alert codes", domain.md §3).

    planned ──sealing──► sealed ──exit──► in_transit ──enters destination──► arrived ──unseal──► completed
       └───────────────exit (no sealing)──────┘                                   (passive: arrival read)
    any state but completed ──CN cancel──► cancelled

A vehicle-seal trip is *active* from its sealing confirmation, or from its exit if it leaves without one,
until its seal unlocks inside the destination's geofence or its CN is cancelled. A passive- or paper-seal
trip is active from its exit read (or its exit, if it leaves unread) until its arrival read. Every
function here is pure: the ingest service applies the results to the stored trip.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from controlroom.models.enums import SealFamily, SealType, TripState

__all__ = [
    "ACTIVE_STATES",
    "NORMAL_UNSEAL_METHODS",
    "after_arrival",
    "after_arrival_read",
    "after_cancel",
    "after_exit",
    "after_sealing",
    "after_unseal",
    "cn_change_refusal",
    "deadline_for",
    "family_of",
    "is_active",
]

ACTIVE_STATES = frozenset({TripState.SEALED, TripState.IN_TRANSIT, TripState.ARRIVED})
# Unlocking by the geofence or over Bluetooth in the app (online or offline) is the normal end of a trip
# [000 參–肆, 002]; a cut seal is not, even when the JMC ordered it at the destination.
NORMAL_UNSEAL_METHODS = frozenset({"geofence", "app_ble", "app_offline"})


def family_of(seal_type: SealType) -> SealFamily:
    """Vehicle seals are tracked live; passive, e-paper and other seals are read at both ends."""
    return SealFamily.VEHICLE if seal_type is SealType.VEHICLE else SealFamily.PASSIVE


def is_active(state: TripState) -> bool:
    return state in ACTIVE_STATES


def deadline_for(
    cn_deadline: datetime | None, started_at: datetime | None, allowed_minutes: int | None
) -> datetime | None:
    """The CN's deadline, else the sealing (or exit / exit-read) time plus the route's allowed minutes."""
    if cn_deadline is not None:
        return cn_deadline
    if started_at is None or allowed_minutes is None:
        return None
    return started_at + timedelta(minutes=allowed_minutes)


def cn_change_refusal(action: str, vehicle_seal_confirmed: bool, status_cancelled: bool) -> str | None:
    """Why a ``replace``/``cancel`` (or a second ``new``) must be refused, or None to accept it.

    [003]: once a vehicle seal on the note is confirmed the note can no longer be modified. A cancelled
    note is final: a later replace or cancel of it is refused too.
    """
    if action == "new":
        return None
    if vehicle_seal_confirmed:
        return "vehicle seal confirmed: the CN can no longer be replaced or cancelled"
    if status_cancelled:
        return "the CN is cancelled"
    return None


def after_sealing(state: TripState) -> TripState:
    return TripState.SEALED if state is TripState.PLANNED else state


def after_exit(state: TripState) -> TripState:
    """Leaving the origin (gate ``out``, exit read, or the first fix outside the origin)."""
    return TripState.IN_TRANSIT if state in (TripState.PLANNED, TripState.SEALED) else state


def after_arrival(state: TripState) -> TripState:
    """Entering the destination's geofence (vehicle seals) or its gate."""
    return TripState.ARRIVED if state in (TripState.SEALED, TripState.IN_TRANSIT) else state


def after_unseal(state: TripState, inside_destination: bool) -> TripState:
    """A vehicle seal unlocked: inside the destination the trip is over; elsewhere it stays active."""
    if inside_destination and state in ACTIVE_STATES:
        return TripState.COMPLETED
    return state


def after_arrival_read(state: TripState) -> TripState:
    """A passive/paper seal's arrival read ends its trip (also one that never recorded an exit)."""
    return TripState.COMPLETED if state not in (TripState.CANCELLED, TripState.COMPLETED) else state


def after_cancel(state: TripState) -> TripState:
    return state if state is TripState.COMPLETED else TripState.CANCELLED
