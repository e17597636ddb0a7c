"""Live ingest end to end: a real mosquitto, the subscriber thread, the consumer, a real database."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from controlroom.feed.mqtt import BrokerConfig
from controlroom.models import Alert
from controlroom.rules.clock import ManualClock
from controlroom.services.live import LiveIngest
from controlroom.services.local_broker import LocalBroker
from controlroom.services.replay import ReplayLine, apply_setup, load_sidecar, read_lines, replay
from controlroom.storage.database import Database, open_database
from tests.support.mosquitto import broker_fixture, publish

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
# Every scenario (each alert code's case and its near miss) goes through the real broker on SQLite;
# a clock rule, a message rule and a gate rule also run on PostgreSQL.
ALL_SCENARIOS = sorted(path.stem for path in SCENARIOS.glob("*.jsonl"))
BOTH_BACKENDS = ("vehicle_lost", "seal_broken", "gate_no_inspection")
LIVE_CASES = [pytest.param(name, "sqlite", id=f"sqlite-{name}") for name in ALL_SCENARIOS] + [
    pytest.param(name, "postgresql", id=f"postgresql-{name}") for name in BOTH_BACKENDS
]
STEP = timedelta(seconds=30)


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalBroker]:
    yield from broker_fixture(tmp_path_factory)


def _alerts(database: Database) -> list[tuple[str, str | None, datetime, int]]:
    def utc(moment: datetime) -> datetime:
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)

    with database.transaction() as session:
        rows = session.scalars(select(Alert)).all()
        return sorted((a.code, a.cn_no, utc(a.raised_at), a.occurrences) for a in rows)


def _advance(live: LiveIngest, clock: ManualClock, to: datetime) -> None:
    while clock.now() < to:
        clock.set(min(clock.now() + STEP, to))
        live.tick()


def _drive(live: LiveIngest, clock: ManualClock, url: str, lines: list[ReplayLine], until: Any) -> None:
    """What replay() does, through the broker: per delivery time, move the clock and tick, then
    publish that time's messages and wait until the consumer has committed them."""
    index = 0
    while index < len(lines):
        at = lines[index].at
        group = []
        while index < len(lines) and lines[index].at == at:
            group.append((lines[index].topic, lines[index].payload))
            index += 1
        _advance(live, clock, at)
        live.tick()
        publish(url, group, client_id="test-live-publisher")
        assert live.wait_processed(index, 10), f"only {live.stats().processed} of {index} processed"
    if until is not None:
        _advance(live, clock, until)


@pytest.mark.parametrize(("name", "database"), LIVE_CASES, indirect=["database"])
def test_live_ingest_gives_the_same_alerts_as_replay(
    broker: LocalBroker, database: Database, tmp_path: Path, name: str
) -> None:
    path = SCENARIOS / f"{name}.jsonl"
    sidecar = load_sidecar(path) or {}
    until = datetime.fromisoformat(sidecar["until"]) if sidecar.get("until") else None
    lines = read_lines(path)

    expected_db = open_database(f"sqlite:///{tmp_path / 'replay.db'}")
    try:
        if sidecar.get("setup"):
            with expected_db.transaction() as session:
                apply_setup(session, sidecar["setup"])
        replay(expected_db, lines, until=until)
        expected = _alerts(expected_db)
    finally:
        expected_db.dispose()

    if sidecar.get("setup"):
        with database.transaction() as session:
            apply_setup(session, sidecar["setup"])
    clock = ManualClock(lines[0].at)
    config = BrokerConfig.from_url(broker.url, client_id=f"t-live-{name}-{tmp_path.name}")
    live = LiveIngest(database, config, clock, tick_interval_s=None)
    with live:
        assert live.wait_connected(10)
        _drive(live, clock, broker.url, lines, until)
    assert _alerts(database) == expected
    assert sorted(code for code, *_ in expected) == sorted(e["code"] for e in sidecar.get("expect", []))


def _telemetry(seq: int) -> tuple[str, dict[str, Any]]:
    ts = (datetime(2026, 11, 22, 8, 0, tzinfo=UTC) + timedelta(seconds=10 * seq)).isoformat()
    payload = {"unit_id": "VU9", "seq": seq, "ts": ts, "lat": 22.6, "lon": 120.3, "speed_kmh": 30.0}
    return "iot/v1/units/VU9/telemetry", payload | {"fix": "3d", "power": "main"}


def test_stop_publish_restart_loses_nothing(broker: LocalBroker, database: Database, tmp_path: Path) -> None:
    config = BrokerConfig.from_url(broker.url, client_id=f"t-live-restart-{tmp_path.name}")
    with LiveIngest(database, config) as live:
        assert live.wait_connected(10)
        publish(broker.url, [_telemetry(i) for i in range(5)])
        assert live.wait_processed(5)
    # The application is stopped; the feed goes on.
    publish(broker.url, [_telemetry(i) for i in range(5, 45)] + [("iot/v1/units/VU9/telemetry", "{bad json")])
    with LiveIngest(database, config) as again:
        assert again.wait_connected(10)
        assert again.wait_processed(41, 15), again.stats()
        stats = again.stats()
    assert (stats.accepted, stats.rejected, stats.failures) == (40, 1, 0)
    assert not [
        t.name for t in threading.enumerate() if t.name in ("live-ingest", f"mqtt-{config.client_id}")
    ]
    assert again.health_snapshot().dead_letters == 1


@pytest.mark.allow_logged_errors
def test_a_failing_batch_never_stops_the_loop(
    broker: LocalBroker, database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = BrokerConfig.from_url(broker.url, client_id=f"t-live-fail-{tmp_path.name}")
    live = LiveIngest(database, config)
    real = live.ingestor.process_batch

    def flaky(messages: Any) -> Any:
        if any(b"poison" in m.payload for m in messages):
            raise RuntimeError("boom")
        return real(messages)

    monkeypatch.setattr(live.ingestor, "process_batch", flaky)
    with live:
        assert live.wait_connected(10)
        publish(broker.url, [_telemetry(100), ("iot/v1/units/VU9/telemetry", json.dumps({"poison": 1}))])
        publish(broker.url, [_telemetry(101)])
        assert live.wait_processed(2, 10)
        stats = live.stats()
    assert stats.accepted == 2 and stats.failures >= 1


@pytest.mark.parametrize("database", ["sqlite", "postgresql"], indirect=True)
def test_bad_input_and_duplicates_over_the_broker_change_nothing(
    broker: LocalBroker, database: Database, tmp_path: Path
) -> None:
    """The bad-input table published for real: each message is dead-lettered with its reason, nothing
    else changes, and a message delivered twice counts once."""
    from controlroom.services.queries import dead_letters_json
    from tests.services.test_replay import BAD_INPUT, _counts, _run

    _run(database, "vehicle_normal")
    before = _counts(database)
    config = BrokerConfig.from_url(broker.url, client_id=f"t-live-bad-{tmp_path.name}")
    good = read_lines(SCENARIOS / "vehicle_normal.jsonl")[-1]
    with LiveIngest(database, config, ManualClock(good.at), tick_interval_s=None) as live:
        assert live.wait_connected(10)
        messages = [(topic, payload) for _label, topic, payload, _code in BAD_INPUT]
        publish(broker.url, [*messages, (good.topic, good.payload)], client_id="test-live-bad")
        assert live.wait_processed(len(messages) + 1, 15)
    after = _counts(database)
    assert after == {**before, "dead": before["dead"] + len(BAD_INPUT)}  # the repeat of `good` is a duplicate
    with database.transaction() as session:
        dead = dead_letters_json(session)[-len(BAD_INPUT) :]
    assert [(d["topic"], d["reason_code"]) for d in dead] == [(t, c) for _l, t, _p, c in BAD_INPUT]
    assert all(d["reason"] for d in dead)
