"""One decision function per alert code of protocol.md. Pure: values in, "raise it?" out.

Episode rules: a condition carried by every periodic report (pin fault, tamper, low battery, backup
power) raises once per *episode*, the run of consecutive reports (in ``ts`` order) that show it; the
next periodic report showing it is the same episode and adds nothing, and a late report that extends
an episode changes nothing either (controlroom.rules.streaks). A device event saying the same thing
(``pin_fault``, ``tamper``, ``low_battery``, ``power_removed``) belongs to the episode it falls in,
give or take a minute; on its own it is an episode of its own.

Clock rules (lost contact, overdue, S7, S8) are evaluated by the ingest service's ``tick`` at the
clock's ``now``; they fire once per silence (keyed by the newest observation) or once per trip.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from controlroom.models.enums import TripState

__all__ = [
    "abnormal_stop",
    "arrival_late",
    "exit_unsealed",
    "gate_no_inspection",
    "lost_contact",
    "overdue_not_arrived",
    "route_deviation",
    "s2_not_read_at_exit",
    "s3_late_entry",
    "s4_unauthorised_reader",
    "s7_overdue_not_entered",
    "s8_not_read_at_arrival",
    "seal_broken",
    "seal_low_battery",
    "seal_pin_fault",
    "seal_separated",
    "unit_power_removed",
    "unlock_breaks_seal",
]


def seal_pin_fault(pin: str) -> bool:
    """SEAL_PIN_FAULT: a report with ``pin: fault`` (or a ``pin_fault`` event) on an active trip."""
    return pin == "fault"


def seal_broken(tamper: bool) -> bool:
    """SEAL_BROKEN: ``tamper: true`` (or a ``tamper`` event) on an active trip.

    Any unlock outside the destination's geofence while the trip is active is a broken seal too (see
    :func:`unlock_breaks_seal`).
    """
    return tamper


def unlock_breaks_seal(inside_destination: bool) -> bool:
    """An unlock (any method) outside the destination's geofence while the trip is active. A cut
    inside the destination is the SOP's last resort [§3 step 6]: it ends the trip, not normally."""
    return not inside_destination


def seal_low_battery(battery_pct: int, threshold_pct: float) -> bool:
    """SEAL_LOW_BATTERY: battery strictly below the threshold (at 20 % it does not raise), or a
    ``low_battery`` event (the seal's own judgement)."""
    return battery_pct < threshold_pct


def unit_power_removed(power: str) -> bool:
    """UNIT_POWER_REMOVED: a fix on ``backup`` power (or a ``power_removed`` event)."""
    return power == "backup"


def lost_contact(
    now: datetime, newest: datetime, threshold: timedelta, already_fired_for: str | None
) -> bool:
    """SEAL_LOST / VEHICLE_LOST: ``threshold`` (5 min) or more since the newest observation's ``ts``.

    ``newest`` is the newest observation of that device, or the trip's start when there is none yet.
    Fires once per silence: ``already_fired_for`` is the ``newest`` a previous alert was raised for.
    """
    return now - newest >= threshold and already_fired_for != newest.isoformat()


def seal_separated(run_length: int, needed_reports: int) -> bool:
    """SEAL_SEPARATED: ``needed_reports`` (3) consecutive seal reports > the distance threshold apart."""
    return run_length >= needed_reports


def exit_unsealed(sealing_confirmed: bool, seal_state: str | None) -> bool:
    """EXIT_UNSEALED: a vehicle-seal trip leaves (gate ``out``) without a confirmed sealing, or with a
    seal whose last report before the exit was not ``locked``. No report before the exit with a
    confirmed sealing counts as locked: the yard's responsible person checked it."""
    return not sealing_confirmed or (seal_state is not None and seal_state != "locked")


def arrival_late(arrived_at: datetime, deadline: datetime | None) -> bool:
    """ARRIVAL_LATE: entered the destination's geofence after the deadline."""
    return deadline is not None and arrived_at > deadline


def overdue_not_arrived(now: datetime, state: TripState, deadline: datetime | None) -> bool:
    """OVERDUE_NOT_ARRIVED: the deadline has passed and the trip is active but has not arrived."""
    return deadline is not None and now > deadline and state in (TripState.SEALED, TripState.IN_TRANSIT)


def gate_no_inspection(direction: str, inspected: bool, inspection_required: bool) -> bool:
    """GATE_NO_INSPECTION: an ``out`` passage without 儀檢 at a gate that requires it."""
    return direction == "out" and inspection_required and not inspected


def route_deviation(run_length: int, allowed_fixes: int) -> bool:
    """ROUTE_DEVIATION: *more than* ``allowed_fixes`` (3) consecutive fixes outside the corridor and
    outside every station geofence, i.e. the 4th such fix raises it."""
    return run_length > allowed_fixes


def abnormal_stop(run_span: timedelta, threshold: timedelta) -> bool:
    """ABNORMAL_STOP: consecutive fixes below the stop speed, outside every station geofence, spanning
    ``threshold`` (15 min) or more from the first to the last fix."""
    return run_span >= threshold


def s2_not_read_at_exit(exit_read_at: datetime | None, passage_at: datetime) -> bool:
    """S2: a passive/paper-seal trip passes a gate ``out`` with no exit read at or before the passage."""
    return exit_read_at is None or exit_read_at > passage_at


def s3_late_entry(read_at: datetime, deadline: datetime | None) -> bool:
    """S3: the arrival read is after the deadline."""
    return deadline is not None and read_at > deadline


def s4_unauthorised_reader(station: str, operator_stations: frozenset[str]) -> bool:
    """S4: the arrival read's operator may not act for the station it was made at (unknown operators
    may act for none)."""
    return station not in operator_stations


def s7_overdue_not_entered(now: datetime, deadline: datetime | None, arrival_read: bool) -> bool:
    """S7: the deadline has passed with no arrival read."""
    return deadline is not None and not arrival_read and now > deadline


def s8_not_read_at_arrival(
    now: datetime, gate_in_at: datetime | None, arrival_read: bool, wait: timedelta
) -> bool:
    """S8: a gate ``in`` passage at the destination, and no arrival read ``wait`` (30 min) later."""
    return gate_in_at is not None and not arrival_read and now - gate_in_at >= wait
