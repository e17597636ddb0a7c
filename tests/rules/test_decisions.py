"""Decision functions at their thresholds (protocol.md defaults) and the threshold table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from controlroom.models.enums import TripState
from controlroom.rules import decisions as d
from controlroom.rules.thresholds import Thresholds

T = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
TH = Thresholds()


def test_defaults_match_the_contract() -> None:
    assert (TH.lost_contact, TH.seal_separation_m, TH.seal_separation_reports) == (
        timedelta(minutes=5),
        300,
        3,
    )
    assert (TH.low_battery_pct, TH.abnormal_stop_speed_kmh, TH.abnormal_stop) == (
        20,
        3,
        timedelta(minutes=15),
    )
    assert (TH.route_deviation_fixes, TH.s8_arrival_read) == (3, timedelta(minutes=30))


def test_thresholds_from_rows_override_and_ignore_unknown_keys() -> None:
    th = Thresholds.from_rows({"lost_contact_minutes": 7.0, "route_deviation_fixes": 4.0, "other": 1.0})
    assert th.lost_contact == timedelta(minutes=7)
    assert th.route_deviation_fixes == 4
    assert isinstance(th.route_deviation_fixes, int)
    assert th.as_facts("low_battery_pct") == {"low_battery_pct": 20}


def test_lost_contact_at_five_minutes_not_before_and_once_per_silence() -> None:
    newest = T
    assert not d.lost_contact(T + timedelta(minutes=4, seconds=59), newest, TH.lost_contact, None)
    assert d.lost_contact(T + timedelta(minutes=5), newest, TH.lost_contact, None)
    assert not d.lost_contact(T + timedelta(minutes=9), newest, TH.lost_contact, newest.isoformat())


def test_battery_pin_tamper_power() -> None:
    assert d.seal_low_battery(19, TH.low_battery_pct)
    assert not d.seal_low_battery(20, TH.low_battery_pct)
    assert d.seal_pin_fault("fault") and not d.seal_pin_fault("ok")
    assert d.seal_broken(True) and not d.seal_broken(False)
    assert d.unit_power_removed("backup") and not d.unit_power_removed("main")
    assert d.unlock_breaks_seal(inside_destination=False)
    assert not d.unlock_breaks_seal(inside_destination=True)


def test_streak_thresholds() -> None:
    assert d.seal_separated(3, TH.seal_separation_reports)
    assert not d.seal_separated(2, TH.seal_separation_reports)
    assert d.route_deviation(4, TH.route_deviation_fixes)
    assert not d.route_deviation(3, TH.route_deviation_fixes)
    assert d.abnormal_stop(timedelta(minutes=15), TH.abnormal_stop)
    assert not d.abnormal_stop(timedelta(minutes=14, seconds=59), TH.abnormal_stop)


def test_exit_unsealed() -> None:
    assert d.exit_unsealed(sealing_confirmed=False, seal_state="locked")
    assert d.exit_unsealed(sealing_confirmed=True, seal_state="inserted")
    assert not d.exit_unsealed(sealing_confirmed=True, seal_state="locked")
    assert not d.exit_unsealed(sealing_confirmed=True, seal_state=None)


def test_deadline_rules() -> None:
    deadline = T
    assert d.arrival_late(T + timedelta(seconds=1), deadline)
    assert not d.arrival_late(T, deadline)
    assert not d.arrival_late(T + timedelta(hours=1), None)
    assert d.overdue_not_arrived(T + timedelta(seconds=1), TripState.IN_TRANSIT, deadline)
    assert not d.overdue_not_arrived(T, TripState.IN_TRANSIT, deadline)
    assert not d.overdue_not_arrived(T + timedelta(hours=1), TripState.ARRIVED, deadline)
    assert d.s3_late_entry(T + timedelta(seconds=1), deadline) and not d.s3_late_entry(T, deadline)
    assert d.s7_overdue_not_entered(T + timedelta(seconds=1), deadline, arrival_read=False)
    assert not d.s7_overdue_not_entered(T + timedelta(seconds=1), deadline, arrival_read=True)


def test_gate_and_reads() -> None:
    assert d.gate_no_inspection("out", inspected=False, inspection_required=True)
    assert not d.gate_no_inspection("in", inspected=False, inspection_required=True)
    assert not d.gate_no_inspection("out", inspected=False, inspection_required=False)
    assert d.s2_not_read_at_exit(None, T)
    assert d.s2_not_read_at_exit(T + timedelta(seconds=1), T)
    assert not d.s2_not_read_at_exit(T, T)
    assert d.s4_unauthorised_reader("KHC103", frozenset({"KHC104"}))
    assert not d.s4_unauthorised_reader("KHC103", frozenset({"KHC103"}))
    wait = TH.s8_arrival_read
    assert d.s8_not_read_at_arrival(T + wait, T, arrival_read=False, wait=wait)
    assert not d.s8_not_read_at_arrival(T + wait - timedelta(seconds=1), T, arrival_read=False, wait=wait)
    assert not d.s8_not_read_at_arrival(T + wait, None, arrival_read=False, wait=wait)
