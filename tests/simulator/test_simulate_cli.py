"""`controlroom simulate`: a replay file with its sidecar, and publishing to a broker."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from controlroom.cli import main
from controlroom.feed.mqtt import BrokerConfig, FeedSubscriber
from controlroom.services.local_broker import LocalBroker
from controlroom.services.replay import load_sidecar, read_lines
from tests.support.mosquitto import broker_fixture, drain


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalBroker]:
    yield from broker_fixture(tmp_path_factory)


def test_simulate_writes_a_replay_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "sim.jsonl"
    argv = [
        "simulate",
        "--trucks",
        "3",
        "--seed",
        "8",
        "--start",
        "2026-11-22T08:00:00+08:00",
        "--jsonl",
        str(path),
    ]
    assert main(argv) == 0
    written = json.loads(capsys.readouterr().out)["written"]
    lines = read_lines(path)
    assert written == len(lines) > 50
    assert lines[0].at.isoformat().startswith("2026-11-22T08:")
    sidecar = load_sidecar(path)
    assert sidecar is not None and sidecar["setup"]["operators"]
    assert main([*argv[:-1], str(tmp_path / "again.jsonl")]) == 0
    assert (tmp_path / "again.jsonl").read_text() == path.read_text()


def test_simulate_publishes_to_the_broker(broker: LocalBroker, capsys: pytest.CaptureFixture[str]) -> None:
    subscriber = FeedSubscriber(BrokerConfig.from_url(broker.url, client_id="t-cli-sim"))
    subscriber.start()
    try:
        assert subscriber.wait_connected(10)
        argv = [
            "simulate",
            "--broker",
            broker.url,
            "--trucks",
            "1",
            "--duration",
            "600",
            "--speedup",
            "100000",
        ]
        assert main(argv) == 0
        published = json.loads(capsys.readouterr().out)["published"]
        assert published > 10
        assert len(drain(subscriber, published)) == published
    finally:
        subscriber.stop()
