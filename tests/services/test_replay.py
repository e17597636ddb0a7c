"""Scenarios through replay on SQLite and PostgreSQL: expected alerts, backend agreement, bad input,
duplicates, shuffled delivery and restarts."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from controlroom.feed.raw import RawMessage
from controlroom.models import (
    Alert,
    CNNote,
    DeadLetter,
    DeviceEvent,
    GatePassage,
    PassiveRead,
    PositionReport,
    ProcessedMessage,
    SealStatusReport,
    Trip,
)
from controlroom.rules.clock import ManualClock
from controlroom.services.ingest import Ingestor
from controlroom.services.queries import alerts_json, dead_letters_json
from controlroom.services.replay import ReplayLine, apply_setup, load_sidecar, read_lines, replay
from controlroom.storage.database import Database, open_database

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
NAMES = sorted(p.stem for p in SCENARIOS.glob("*.jsonl"))
COMPARED = ("code", "status", "cn_no", "seal_no", "occurrences", "raised_at", "caused_by_code")
_BY_BACKEND: dict[str, dict[str, list[dict[str, Any]]]] = {}  # backend -> scenario -> alerts


def _sidecar(name: str) -> dict[str, Any]:
    data = load_sidecar(SCENARIOS / f"{name}.jsonl")
    assert data is not None
    return data


def _projection(database: Database) -> list[dict[str, Any]]:
    with database.transaction() as session:
        rows = alerts_json(session)
    return sorted(({k: row[k] for k in COMPARED} for row in rows), key=lambda r: (r["raised_at"], r["code"]))


@pytest.fixture
def open_db(db_url: str) -> Iterator[Database]:
    database = open_database(db_url)
    try:
        yield database
    finally:
        database.dispose()


def _run(database: Database, name: str, lines: list[ReplayLine] | None = None) -> list[dict[str, Any]]:
    side = _sidecar(name)
    with database.transaction() as session:
        apply_setup(session, side["setup"])
    replay(
        database,
        lines or read_lines(SCENARIOS / f"{name}.jsonl"),
        until=datetime.fromisoformat(side["until"]),
    )
    return _projection(database)


def _in_order(name: str, tmp_path: Path) -> list[dict[str, Any]]:
    """The scenario's alerts replayed in order on SQLite: from the scenario test when it ran already."""
    known = _BY_BACKEND.get("sqlite", {}).get(name)
    if known is not None:
        return known
    database = open_database(f"sqlite:///{tmp_path / 'in_order.db'}")
    try:
        return _run(database, name)
    finally:
        database.dispose()


def test_every_alert_code_has_a_scenario_and_a_near_miss() -> None:
    from controlroom.domain.catalogue import CATALOGUE

    raised = {e["code"] for name in NAMES for e in _sidecar(name)["expect"]}
    assert raised == set(CATALOGUE)
    near = {name.removesuffix("_near") for name in NAMES if name.endswith("_near")}
    assert len(near) >= 18


def _cn_numbers(lines: list[ReplayLine]) -> set[str]:
    return {line.topic.split("/")[3] for line in lines if line.topic.startswith("iot/v1/cn/")}


def _check(name: str, got: list[dict[str, Any]]) -> list[str]:
    side = _sidecar(name)
    problems = []
    codes = sorted((a["code"], a["occurrences"]) for a in got)
    expected = sorted((e["code"], e["occurrences"]) for e in side["expect"])
    if codes != expected:
        problems.append(f"{name}: got {codes}, expected {expected}")
    for effect, cause in side.get("caused_by", {}).items():
        linked = [a["caused_by_code"] for a in got if a["code"] == effect]
        if linked != [cause]:
            problems.append(f"{name}: {effect} caused by {linked}, expected {cause}")
    return problems


def test_scenarios_raise_what_they_must_on_both_backends(open_db: Database, db_url: str) -> None:
    """Every scenario in turn, in one database per backend (their trips share no identifier): the
    expected alerts, nothing else, and the same alerts on SQLite and PostgreSQL."""
    problems: list[str] = []
    results: dict[str, list[dict[str, Any]]] = {}
    for name in NAMES:
        lines = read_lines(SCENARIOS / f"{name}.jsonl")
        cns = _cn_numbers(lines)
        got = [a for a in _run(open_db, name, lines) if a["cn_no"] in cns]
        assert all(a["status"] == "unacknowledged" for a in got)
        problems.extend(_check(name, got))
        results[name] = got
    assert not problems, "\n".join(problems)
    backend = db_url.split(":", 1)[0]
    _BY_BACKEND[backend] = results
    if len(_BY_BACKEND) == 2:
        first, second = _BY_BACKEND.values()
        assert first == second


def _counts(database: Database) -> dict[str, int]:
    tables = (Trip, Alert, PositionReport, SealStatusReport, CNNote, GatePassage, PassiveRead, DeviceEvent)
    with database.transaction() as session:
        counts = {t.__tablename__: session.scalar(select(func.count()).select_from(t)) or 0 for t in tables}
        counts["processed"] = session.scalar(select(func.count()).select_from(ProcessedMessage)) or 0
        counts["dead"] = session.scalar(select(func.count()).select_from(DeadLetter)) or 0
    return counts


def _telemetry(**override: Any) -> dict[str, Any]:
    base = {
        "unit_id": "VU00001",
        "seq": 9001,
        "ts": "2026-11-23T09:05:00+08:00",
        "lat": 22.56,
        "lon": 120.30,
        "speed_kmh": 30,
        "fix": "3d",
        "power": "main",
    }
    return {**base, **override}


def _b(obj: Any) -> bytes:
    return json.dumps(obj).encode()


UNIT = "iot/v1/units/VU00001/telemetry"
_CN = {
    "cn_no": "CNBAD1",
    "action": "new",
    "ts": "2026-11-23T09:00:00+08:00",
    "container_no": "TGHU7000015",
    "plate": "KLA-1",
    "origin": "KHC104",
    "destination": "KHC103",
    "seal_type": "vehicle",
    "seal_no": "VSBAD",
    "tool_type": 1,
}
_GATE = {
    "gate_id": "KH-G7",
    "ts": "2026-11-23T09:05:00+08:00",
    "direction": "out",
    "plate": "KLA1001",
    "container_no": "TGHU7000015",
    "inspected": True,
}
BAD_INPUT = [
    ("invalid_json", UNIT, b'{"unit_id": "VU00001", ', "json"),
    ("not_an_object", UNIT, b"[1, 2]", "not_object"),
    ("missing_field", UNIT, _b({k: v for k, v in _telemetry().items() if k != "lat"}), "schema"),
    ("wrong_type", UNIT, _b(_telemetry(speed_kmh="30")), "schema"),
    ("latitude_out_of_range", UNIT, _b(_telemetry(lat=123)), "schema"),
    ("unknown_enum", UNIT, _b(_telemetry(fix="4d")), "schema"),
    (
        "battery_out_of_range",
        "iot/v1/seals/VS1/status",
        _b(
            {
                "seal_id": "VS1",
                "seq": 1,
                "ts": "2026-11-23T09:05:00+08:00",
                "state": "locked",
                "pin": "ok",
                "tamper": False,
                "battery_pct": 140,
                "link": "ble",
            }
        ),
        "schema",
    ),
    (
        "bad_check_digit",
        "iot/v1/gates/KH-G7/passages",
        _b({**_GATE, "container_no": "TGHU7000010"}),
        "schema",
    ),
    ("unknown_station", "iot/v1/cn/CNBAD1", _b({**_CN, "origin": "XX999"}), "unknown_station"),
    ("topic_mismatch", "iot/v1/units/VU00002/telemetry", _b(_telemetry()), "topic_mismatch"),
    ("oversize", UNIT, _b({**_telemetry(), "pad": "x" * 70_000}), "oversize"),
    ("wrong_encoding", UNIT, json.dumps(_telemetry()).encode("utf-16"), "encoding"),
    ("unknown_topic", "iot/v1/units/VU00001/telemetry/extra", _b(_telemetry()), "unknown_topic"),
    ("bad_timestamp", UNIT, _b(_telemetry(ts="2026-11-23 09:05:00")), "schema"),
    ("unknown_gate", "iot/v1/gates/NOPE/passages", _b({**_GATE, "gate_id": "NOPE"}), "unknown_gate"),
    (
        "sealing_of_unknown_cn",
        "iot/v1/cn/CNNONE/sealing",
        _b(
            {
                "cn_no": "CNNONE",
                "ts": "2026-11-23T09:03:00+08:00",
                "seal_no": "VS1",
                "operator_id": "OP",
                "station": "KHC104",
                "photo_id": "P",
            }
        ),
        "unknown_cn",
    ),
]


def test_bad_input_is_dead_lettered_with_no_state_change(open_db: Database) -> None:
    _run(open_db, "vehicle_normal")
    clock = ManualClock(datetime.fromisoformat("2026-11-23T10:00:00+08:00"))
    ingestor = Ingestor(open_db, clock)
    for label, topic, payload, code in BAD_INPUT:
        before = _counts(open_db)
        result = ingestor.process_batch([RawMessage(topic, payload, clock.now())])
        after = _counts(open_db)
        assert result.stats.rejected == 1, label
        assert after == {**before, "dead": before["dead"] + 1}, label
        with open_db.transaction() as session:
            last = dead_letters_json(session)[-1]
        assert (last["topic"], last["reason_code"]) == (topic, code), label
        assert last["reason"], label
    with open_db.transaction() as session:
        stored = session.scalars(select(DeadLetter.payload).order_by(DeadLetter.id)).all()
    assert stored[-len(BAD_INPUT) :] == [payload for _l, _t, payload, _c in BAD_INPUT]


def test_duplicates_have_no_effect_even_after_a_restart(open_db: Database) -> None:
    name = "seal_separated"
    lines = read_lines(SCENARIOS / f"{name}.jsonl")
    doubled = [line for line in lines for _ in (0, 1)]
    expected = _run(open_db, name, doubled)
    counts = _counts(open_db)
    # The whole feed again, as a broker redelivering a persistent session after a restart.
    stats = replay(open_db, lines)
    assert stats.duplicates == len(lines)
    assert stats.accepted == 0
    assert _projection(open_db) == expected
    assert _counts(open_db) == counts
    assert sorted((a["code"], a["occurrences"]) for a in expected) == [("SEAL_SEPARATED", 1)]


def _shuffled(lines: list[ReplayLine], seed: int, window: int = 8) -> list[ReplayLine]:
    """Device messages permuted within windows, each delivered at the slot's original time; CN notes,
    sealings, gates and reads stay in place (devices buffer, yard systems do not). The scenarios must
    be marked order-independent: in the others a clock rule (silence, deadline) depends on when data
    arrives, or a device reports after the trip's end, which late data cannot take back."""
    rng = random.Random(seed)
    device = [i for i, line in enumerate(lines) if "/units/" in line.topic or "/seals/" in line.topic]
    out = list(lines)
    for start in range(0, len(device), window):
        slots = device[start : start + window]
        picked = [lines[i] for i in slots]
        rng.shuffle(picked)
        for slot, line in zip(slots, picked, strict=True):
            out[slot] = replace(line, at=lines[slot].at)
    return out


SHUFFLED = (
    "vehicle_normal",
    "exit_unsealed_near",
    "seal_pin_fault",
    "seal_broken",
    "seal_low_battery",
    "unit_power_removed",
    "seal_separated",
    "seal_separated_near",
    "route_deviation",
    "route_deviation_near",
    "abnormal_stop",
    "abnormal_stop_near",
)


@pytest.mark.parametrize("name", SHUFFLED)
def test_shuffled_delivery_gives_the_same_alerts(tmp_path: Path, name: str) -> None:
    assert _sidecar(name)["order_independent"]
    lines = read_lines(SCENARIOS / f"{name}.jsonl")
    expected = _in_order(name, tmp_path)
    shuffled = open_database(f"sqlite:///{tmp_path / 'shuffled.db'}")
    try:
        assert _run(shuffled, name, _shuffled(lines, seed=SHUFFLED.index(name))) == expected
    finally:
        shuffled.dispose()


RESTARTED = (
    "seal_separated",
    "abnormal_stop",
    "route_deviation",
    "power_removed_then_lost",
    "arrival_late",
    "s8_not_read_at_arrival",
)


@pytest.mark.parametrize("name", RESTARTED)
def test_restart_mid_scenario_gives_the_same_alerts(tmp_path: Path, name: str) -> None:
    lines = read_lines(SCENARIOS / f"{name}.jsonl")
    side = _sidecar(name)
    expected = _in_order(name, tmp_path)
    restarted = open_database(f"sqlite:///{tmp_path / 'restarted.db'}")
    try:
        with restarted.transaction() as session:
            apply_setup(session, side["setup"])
        half = len(lines) // 2
        replay(restarted, lines[:half])  # first Ingestor
        replay(restarted, lines[half:], until=datetime.fromisoformat(side["until"]))  # a new one
        assert _projection(restarted) == expected
    finally:
        restarted.dispose()
