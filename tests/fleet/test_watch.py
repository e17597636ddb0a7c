"""A client workstation learns of new alerts and moving trucks by polling the shared database."""

from __future__ import annotations

from pathlib import Path

from controlroom.services.ingest import AlertRaised, PositionsMoved, TripChanged
from controlroom.services.replay import replay_file
from controlroom.services.watch import DatabaseWatcher
from controlroom.storage.database import Database

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


def test_changes_written_by_the_central_ingest_reach_the_workstation(database: Database) -> None:
    watcher = DatabaseWatcher(database)
    assert watcher.poll() == []  # the first poll takes stock
    replay_file(database, SCENARIOS / "power_removed_then_lost.jsonl")
    events = watcher.poll()
    raised = {e.code for e in events if isinstance(e, AlertRaised)}
    assert {"UNIT_POWER_REMOVED"} <= raised
    assert any(isinstance(e, TripChanged) for e in events)
    assert any(isinstance(e, PositionsMoved) and e.positions for e in events)
    assert watcher.last_received_at is not None
    assert watcher.poll() == []  # nothing new, nothing reported
