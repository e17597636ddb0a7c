"""Streaks in ts order and the memory of runs already alerted on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from controlroom.rules.streaks import merge_fired, run_around

T = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def _at(minutes: int) -> datetime:
    return T + timedelta(minutes=minutes)


def test_run_around_finds_the_maximal_run() -> None:
    items = [(_at(i), flag) for i, flag in enumerate([0, 1, 1, 1, 0, 1])]
    run = run_around(items, 2, lambda x: bool(x[1]), lambda x: x[0])
    assert run is not None
    assert len(run) == 3
    assert (run.start, run.end) == (_at(1), _at(3))
    assert run_around(items, 0, lambda x: bool(x[1]), lambda x: x[0]) is None
    single = run_around(items, 5, lambda x: bool(x[1]), lambda x: x[0])
    assert single is not None and len(single) == 1


def test_merge_fired_new_then_same_run_extended() -> None:
    merged = merge_fired([], _at(1), _at(3))
    assert merged.is_new
    again = merge_fired(merged.fired, _at(2), _at(5))
    assert not again.is_new
    assert (again.start, again.end) == (_at(1), _at(5))
    assert len(again.fired) == 1


def test_merge_fired_separate_runs_and_a_bridge() -> None:
    first = merge_fired([], _at(1), _at(2))
    second = merge_fired(first.fired, _at(5), _at(6))
    assert second.is_new and len(second.fired) == 2
    bridge = merge_fired(second.fired, _at(2), _at(5))
    assert not bridge.is_new
    assert bridge.fired == [[_at(1).isoformat(), _at(6).isoformat()]]
