"""The simulator: seeded and deterministic, faithful to the contract, and covering every alert code."""

from __future__ import annotations

import collections
import itertools
import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from controlroom.feed.messages import FeedMessage, Rejection, UnitTelemetry, dedupe_key, parse_message
from controlroom.feed.mqtt import BrokerConfig, FeedSubscriber
from controlroom.models import Alert
from controlroom.services.local_broker import LocalBroker
from controlroom.services.replay import apply_setup, load_sidecar, parse_lines, read_lines, replay
from controlroom.simulator.publisher import run_publish
from controlroom.simulator.scenario import (
    ALERT_CODES,
    TAIPEI,
    ScenarioMessage,
    SimulationConfig,
    generate,
    scenario_setup,
    write_jsonl,
)
from controlroom.simulator.world import World, load_world
from controlroom.storage.database import open_database
from tests.support.mosquitto import assert_quiet, broker_fixture, drain


@pytest.fixture(scope="module")
def world() -> World:
    return load_world()


def _parsed(messages: list[ScenarioMessage]) -> tuple[list[FeedMessage], list[Rejection]]:
    good: list[FeedMessage] = []
    bad: list[Rejection] = []
    for m in messages:
        result = parse_message(m.topic, m.payload_bytes())
        if isinstance(result, Rejection):
            bad.append(result)
        else:
            good.append(result)
    return good, bad


def test_same_seed_same_messages(world: World) -> None:
    config = SimulationConfig(trucks=6, seed=42, fault_rate=0.5)
    first, second = generate(config, world), generate(config, world)
    assert first == second and len(first) > 100
    assert generate(SimulationConfig(trucks=6, seed=43, fault_rate=0.5), world) != first


def test_a_clean_run_is_valid_ordered_and_in_taipei_time(world: World) -> None:
    messages = generate(SimulationConfig(trucks=8, seed=5, fault_rate=0.0), world)
    good, bad = _parsed(messages)
    assert bad == []
    assert [m.at for m in messages] == sorted(m.at for m in messages)
    assert all(m.at.utcoffset() == timedelta(hours=8) for m in messages)
    assert all(g.ts.utcoffset() == timedelta(hours=8) for g in good)
    keys = [dedupe_key(g) for g in good]
    assert len(set(keys)) == len(keys), "a clean run has no duplicates"
    kinds = collections.Counter(g.kind.value for g in good)
    assert {"unit_telemetry", "seal_status", "cn_note", "sealing", "gate_passage", "seal_event"} <= set(kinds)
    # Telemetry every 10 s while moving
    track = [g.model for g in good if isinstance(g.model, UnitTelemetry)]
    unit = track[0].unit_id
    moving = [t.ts for t in track if t.unit_id == unit and t.speed_kmh > 5]
    assert moving and min(b - a for a, b in itertools.pairwise(moving)) == timedelta(seconds=10)


def test_faults_bring_malformed_messages_and_duplicates(world: World) -> None:
    messages = generate(SimulationConfig(trucks=30, seed=9, fault_rate=1.0, max_route_minutes=25), world)
    good, bad = _parsed(messages)
    assert bad, "no malformed message"
    assert {r.code for r in bad} <= {"json", "schema", "unknown_topic"}
    keys = [dedupe_key(g) for g in good]
    assert len(set(keys)) < len(keys), "no duplicate"


def test_jsonl_round_trip_with_the_replay_reader(world: World, tmp_path: Path) -> None:
    messages = generate(SimulationConfig(trucks=3, seed=1, fault_rate=1.0), world)
    path = tmp_path / "sim.jsonl"
    assert write_jsonl(messages, path, sidecar={"setup": scenario_setup(world)}) == len(messages)
    lines = read_lines(path)

    def decoded(payload: bytes) -> object:
        try:
            return json.loads(payload)
        except ValueError:
            return payload.decode()

    assert [(line.at, line.topic, decoded(line.payload)) for line in lines] == [
        (m.at, m.topic, m.payload) for m in messages
    ]
    assert load_sidecar(path) == {"setup": scenario_setup(world)}
    assert messages[0].at.tzinfo is not None and messages[0].at.utcoffset() == TAIPEI.utcoffset(None)


def test_replayed_with_a_high_fault_rate_it_raises_every_alert_code(world: World, tmp_path: Path) -> None:
    config = SimulationConfig(
        trucks=len(ALERT_CODES), seed=3, fault_rate=1.0, max_route_minutes=25, tail_s=900
    )
    messages = generate(config, world)
    database = open_database(f"sqlite:///{tmp_path / 'sim.db'}")
    try:
        with database.transaction() as session:
            apply_setup(session, scenario_setup(world))
        replay(database, parse_lines(m.to_json_line() for m in messages))
        with database.transaction() as session:
            codes = set(session.scalars(select(Alert.code)))
    finally:
        database.dispose()
    assert codes >= set(ALERT_CODES), f"missing {sorted(set(ALERT_CODES) - codes)}"


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalBroker]:
    yield from broker_fixture(tmp_path_factory)


def test_publisher_sends_the_scenario_in_order(world: World, broker: LocalBroker) -> None:
    messages = generate(SimulationConfig(trucks=2, seed=11, fault_rate=0.0, duration_s=900), world)
    subscriber = FeedSubscriber(BrokerConfig.from_url(broker.url, client_id="t-sim-sub"))
    subscriber.start()
    try:
        assert subscriber.wait_connected(10)
        assert run_publish(
            messages, BrokerConfig.from_url(broker.url, client_id="t-sim-pub"), speedup=1e9
        ) == len(messages)
        got = drain(subscriber, len(messages))
        assert [(d.message.topic, d.message.payload) for d in got] == [
            (m.topic, m.payload_bytes()) for m in messages
        ]
        assert_quiet(subscriber)
    finally:
        subscriber.stop()
