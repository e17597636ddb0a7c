"""The Ingestor beyond the scenarios: isolation of failing messages, events for the GUI, personal data,
facts for the playbooks, CN refusals, and the command line."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from controlroom import cli
from controlroom.feed.raw import RawMessage
from controlroom.models import Alert, CNRevision, DeadLetter, Driver, PositionReport, Trip
from controlroom.rules.clock import ManualClock
from controlroom.services.ingest import AlertRaised, IngestEvent, Ingestor, PositionsMoved, TripChanged
from controlroom.services.ingest.message_rules import MessageRules
from controlroom.services.replay import apply_setup, load_sidecar, read_lines, replay
from controlroom.storage.database import Database, open_database

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(f"sqlite:///{tmp_path / 'c.db'}")
    try:
        yield database
    finally:
        database.dispose()


def _replay(database: Database, name: str, **kwargs: Any) -> None:
    side = load_sidecar(SCENARIOS / f"{name}.jsonl")
    assert side is not None
    with database.transaction() as session:
        apply_setup(session, side["setup"])
    replay(
        database,
        read_lines(SCENARIOS / f"{name}.jsonl"),
        until=datetime.fromisoformat(side["until"]),
        **kwargs,
    )


def _raw(lines: list[Any], at: datetime) -> list[RawMessage]:
    return [RawMessage(line.topic, line.payload, at) for line in lines]


@pytest.mark.allow_logged_errors
def test_a_bug_in_one_message_dead_letters_it_and_keeps_the_others(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = read_lines(SCENARIOS / "vehicle_normal.jsonl")
    original = MessageRules.seal_status

    def broken(self: Any, m: Any) -> None:
        if m.seq == 2:
            raise RuntimeError("simulated bug")
        original(self, m)

    monkeypatch.setattr(MessageRules, "seal_status", broken)
    clock = ManualClock(lines[-1].at)
    result = Ingestor(database, clock).process_batch(_raw(lines, clock.now()))
    assert result.stats.rejected == 1
    assert result.stats.accepted == len(lines) - 1
    with database.transaction() as session:
        dead = session.scalars(select(DeadLetter)).all()
        assert [(d.reason_code, d.topic) for d in dead] == [("internal_error", "iot/v1/seals/VS00001/status")]
        assert session.scalar(select(Trip.state)) == "completed"
        positions = session.scalars(select(PositionReport)).all()
        assert len(positions) == sum(1 for line in lines if line.topic.endswith("/telemetry"))


def test_events_for_the_gui(sqlite_db: Database) -> None:
    events: list[IngestEvent] = []
    _replay(sqlite_db, "seal_pin_fault", on_event=events.append)
    raised = [e for e in events if isinstance(e, AlertRaised)]
    assert [e.code for e in raised] == ["SEAL_PIN_FAULT"]
    states = [e.state for e in events if isinstance(e, TripChanged)]
    assert states == ["planned", "sealed", "in_transit", "arrived", "completed"]
    moved = [p for e in events if isinstance(e, PositionsMoved) for p in e.positions]
    assert moved and all(p[0] == raised[0].trip_id for p in moved)
    assert [p[4] for p in moved] == sorted(p[4] for p in moved)


def test_driver_ids_are_stored_once_and_never_logged(
    sqlite_db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        _replay(sqlite_db, "vehicle_normal")
    assert caplog.records
    assert all("A123456789" not in record.getMessage() for record in caplog.records)
    with sqlite_db.transaction() as session:
        assert session.scalars(select(Driver.national_id)).all() == ["A123456789"]
        fields = session.scalars(select(CNRevision.fields)).all()
    assert all("A123456789" not in json.dumps(f) for f in fields)


def test_facts_carry_what_the_playbook_needs(sqlite_db: Database) -> None:
    _replay(sqlite_db, "seal_pin_fault")
    _replay(sqlite_db, "s7_overdue_not_entered")
    with sqlite_db.transaction() as session:
        alerts = {a.code: a for a in session.scalars(select(Alert))}
    pin = alerts["SEAL_PIN_FAULT"].facts
    assert pin["handling_side"] == "jmc"
    assert pin["unsealed_normally"] is True  # updated when the trip unsealed in the destination
    assert pin["exit_image_present"] is True
    assert 1 <= len(pin["track"]) <= 5
    s7 = alerts["S7"].facts
    assert s7["handling_side"] == "destination"
    assert s7["thresholds"] == {"s7_escalation_hours": 12}
    raised = alerts["S7"].raised_at
    assert datetime.fromisoformat(s7["escalation_due_at"]) == raised + timedelta(hours=12)


def test_cn_replace_and_cancel_refused_after_the_vehicle_seal_is_confirmed(sqlite_db: Database) -> None:
    _replay(sqlite_db, "cn_replace_refused")
    with sqlite_db.transaction() as session:
        revisions = session.scalars(select(CNRevision).order_by(CNRevision.revision)).all()
        assert [(r.action.value, r.accepted) for r in revisions] == [
            ("new", True),
            ("cancel", False),
            ("replace", False),
        ]
        assert all("confirmed" in (r.refusal or "") for r in revisions[1:])
        assert session.scalar(select(Trip.state)) == "completed"


def test_command_line_replay_alerts_and_deadletters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    feed = tmp_path / "feed.jsonl"
    lines = (SCENARIOS / "gate_no_inspection.jsonl").read_text(encoding="utf-8").splitlines()
    bad = {"at": "2026-11-23T09:30:00+08:00", "topic": "iot/v1/units/VU1/telemetry", "payload": "{not json"}
    feed.write_text("\n".join([*lines, json.dumps(bad)]) + "\n", encoding="utf-8")
    assert cli.main(["replay", str(feed), "--db", url, "--until", "2026-11-23T10:00:00+08:00"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["rejected"] == 1 and summary["alerts"] == 1
    assert cli.main(["alerts", "--db", url, "--json"]) == 0
    alerts = json.loads(capsys.readouterr().out)
    assert [(a["code"], a["occurrences"], a["severity"]) for a in alerts] == [
        ("GATE_NO_INSPECTION", 1, "high")
    ]
    assert alerts[0]["plate"].startswith("KLA")
    assert alerts[0]["raised_at"] == "2026-11-23T01:04:00Z"
    assert {"id", "status", "cn_no", "container_no", "seal_no", "unit_id", "caused_by"} <= set(alerts[0])
    assert cli.main(["deadletters", "--db", url, "--json"]) == 0
    dead = json.loads(capsys.readouterr().out)
    assert [(d["topic"], d["reason_code"]) for d in dead] == [("iot/v1/units/VU1/telemetry", "json")]
    assert dead[0]["reason"] and dead[0]["received_at"] == "2026-11-23T01:30:00Z"


def test_thresholds_come_from_the_database(sqlite_db: Database) -> None:
    """An administrator raising the low-battery threshold to 25 % turns the 20 % near miss into an alert."""
    from controlroom.models import Threshold

    with sqlite_db.transaction() as session:
        threshold = session.get(Threshold, "low_battery_pct")
        assert threshold is not None
        threshold.value = 25
    _replay(sqlite_db, "seal_low_battery_near")
    with sqlite_db.transaction() as session:
        alerts = session.scalars(select(Alert)).all()
    assert [(a.code, a.facts["thresholds"]) for a in alerts] == [
        ("SEAL_LOW_BATTERY", {"low_battery_pct": 25})
    ]
