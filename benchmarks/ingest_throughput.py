"""Feed throughput and latency against a private mosquitto (not part of pytest).

    .venv/bin/python benchmarks/ingest_throughput.py [--messages 5000] [--probes 100]

Prints one JSON object:

- ``raw_receive``: the aiomqtt subscriber thread alone (QoS 1, manual ack right after receipt):
  N simulated messages published as fast as possible, rate from the first to the last receipt;
- ``ingest``: the same N messages queued in the broker for a persistent session while the app is
  stopped, then LiveIngest starts and drains them through validation, rules and storage on SQLite:
  rate from start to the last commit (acknowledgement after commit included);
- ``latency``: publish-to-stored-alert for ``--probes`` probe trips (a CN, its sealing, then a seal
  ``pin_fault`` event that raises SEAL_PIN_FAULT): from just before the publish of the event to the
  ingest event emitted after the commit; idle, and with a background feed of simulated messages.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import platform
import queue
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from controlroom.domain.identifiers import iso6346_check_digit
from controlroom.feed.mqtt import BrokerConfig, FeedSubscriber, make_client
from controlroom.services.ingest import AlertOccurred, AlertRaised, IngestEvent
from controlroom.services.live import LiveIngest
from controlroom.services.local_broker import start_local_broker
from controlroom.simulator.publisher import run_publish
from controlroom.simulator.scenario import TAIPEI, ScenarioMessage, SimulationConfig, generate
from controlroom.simulator.world import load_world
from controlroom.storage.database import open_database

logger = logging.getLogger("benchmark")


def _scenario(count: int, start: datetime) -> list[ScenarioMessage]:
    trucks = max(4, count // 250)
    while True:
        messages = generate(
            SimulationConfig(trucks=trucks, seed=2026, fault_rate=0.1, start=start), load_world()
        )
        if len(messages) >= count:
            return messages[:count]
        trucks *= 2


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def bench_raw(url: str, messages: list[ScenarioMessage]) -> dict[str, Any]:
    """Queue the messages in the broker for an absent persistent session, then time the drain."""
    config = BrokerConfig.from_url(url, client_id="bench-raw")
    first = FeedSubscriber(config)
    first.start()
    first.wait_connected(10)
    first.stop()
    publish_started = time.perf_counter()
    run_publish(messages, BrokerConfig.from_url(url, client_id="bench-pub-raw"), speedup=float("inf"))
    publish_s = time.perf_counter() - publish_started
    subscriber = FeedSubscriber(config, queue_size=100_000)
    started = time.perf_counter()
    subscriber.start()
    try:
        received = 0
        while received < len(messages):
            delivery = subscriber.queue.get(timeout=60)
            subscriber.ack([delivery])
            received += 1
        elapsed = time.perf_counter() - started
    finally:
        subscriber.stop()
    return {
        "messages": received,
        "messages_per_s": round(received / elapsed),
        "publish_messages_per_s": round(len(messages) / publish_s),
    }


def bench_ingest(url: str, messages: list[ScenarioMessage], db_dir: Path) -> dict[str, Any]:
    database = open_database(f"sqlite:///{db_dir / 'ingest.db'}")
    config = BrokerConfig.from_url(url, client_id="bench-ingest")
    try:
        with LiveIngest(database, config) as live:  # create the persistent session
            live.wait_connected(10)
        run_publish(messages, BrokerConfig.from_url(url, client_id="bench-pub-ingest"), speedup=float("inf"))
        live = LiveIngest(database, config)
        started = time.perf_counter()
        live.start()
        try:
            if not live.wait_processed(len(messages), timeout=600):
                raise RuntimeError(f"ingest did not finish: {live.stats()}")
            elapsed = time.perf_counter() - started
            stats = live.stats()
        finally:
            live.stop()
    finally:
        database.dispose()
    return {
        "messages": stats.processed,
        "messages_per_s": round(stats.processed / elapsed),
        "batches": stats.batches,
        "mean_batch": round(stats.processed / max(stats.batches, 1), 1),
        "accepted": stats.accepted,
        "rejected": stats.rejected,
        "duplicates": stats.duplicates,
        "alerts": stats.alerts,
    }


def _probe_trip(i: int, at: datetime) -> tuple[list[tuple[str, dict[str, Any]]], tuple[str, dict[str, Any]]]:
    cn, seal = f"CNBENCH{i:05d}", f"VSBENCH{i:05d}"
    serial = f"BNCU{i:06d}"
    ts = at.isoformat(timespec="seconds")
    note: dict[str, Any] = {
        "cn_no": cn, "action": "new", "ts": ts, "container_no": f"{serial}{iso6346_check_digit(serial)}",
        "plate": f"BEN-{i:04d}", "origin": "KHC104", "destination": "KHC103", "seal_type": "vehicle",
        "seal_no": seal, "tool_type": 4, "route_id": "R-KH-01",
    }  # fmt: skip
    sealing: dict[str, Any] = {
        "cn_no": cn, "ts": ts, "seal_no": seal, "operator_id": "OP-KHC104-01", "station": "KHC104",
        "photo_id": f"PHB{i}",
    }  # fmt: skip
    fault = {"seal_id": seal, "seq": 1, "ts": (at + timedelta(seconds=30)).isoformat(timespec="seconds"),
             "event": "pin_fault"}  # fmt: skip
    setup: list[tuple[str, dict[str, Any]]] = [
        (f"iot/v1/cn/{cn}", note),
        (f"iot/v1/cn/{cn}/sealing", sealing),
    ]
    return setup, (f"iot/v1/seals/{seal}/events", fault)


def bench_latency(
    url: str, probes: int, db_dir: Path, background: list[ScenarioMessage] | None
) -> dict[str, Any]:
    database = open_database(f"sqlite:///{db_dir / f'latency-{bool(background)}.db'}")
    alerts: queue.Queue[tuple[float, IngestEvent]] = queue.Queue()

    def on_event(event: IngestEvent) -> None:
        if isinstance(event, AlertRaised | AlertOccurred) and event.code == "SEAL_PIN_FAULT":
            alerts.put((time.perf_counter(), event))

    config = BrokerConfig.from_url(url, client_id=f"bench-latency-{bool(background)}")
    latencies: list[float] = []
    stop_background = threading.Event()
    with LiveIngest(database, config, on_event=on_event) as live:
        live.wait_connected(10)
        loader = None
        if background:
            loader = threading.Thread(
                target=_background, args=(url, background, stop_background), daemon=True
            )
            loader.start()

        async def run() -> None:
            async with make_client(
                BrokerConfig.from_url(url, client_id="bench-probe"), persistent=False
            ) as client:
                now = datetime.now(TAIPEI).replace(microsecond=0)
                for i in range(probes):
                    setup, trigger = _probe_trip(
                        i + (100_000 if background else 0), now + timedelta(seconds=i)
                    )
                    for topic, payload in setup:
                        await client.publish(topic, json.dumps(payload), qos=1)
                    await asyncio.sleep(0.05)  # the trip exists before its fault arrives
                    sent = time.perf_counter()
                    await client.publish(trigger[0], json.dumps(trigger[1]), qos=1)
                    got, _ = await asyncio.to_thread(alerts.get, True, 30)
                    latencies.append((got - sent) * 1000)

        with asyncio.Runner(loop_factory=asyncio.SelectorEventLoop) as runner:
            runner.run(run())
        stop_background.set()
        if loader is not None:
            loader.join(30)
    database.dispose()
    return {
        "probes": len(latencies),
        "p50_ms": round(statistics.median(latencies), 1),
        "p99_ms": round(_percentile(latencies, 0.99), 1),
        "max_ms": round(max(latencies), 1),
    }


def _background(url: str, messages: list[ScenarioMessage], stop: threading.Event) -> None:
    """Publish simulated traffic at a steady rate until told to stop."""

    async def run() -> None:
        async with make_client(
            BrokerConfig.from_url(url, client_id="bench-background"), persistent=False
        ) as client:
            for message in messages:
                if stop.is_set():
                    return
                await client.publish(message.topic, message.payload_bytes(), qos=1)
                await asyncio.sleep(1 / BACKGROUND_RATE)

    with asyncio.Runner(loop_factory=asyncio.SelectorEventLoop) as runner:
        runner.run(run())


BACKGROUND_RATE = 100  # messages/s of simulated traffic during the loaded latency run


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--probes", type=int, default=100)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="controlroom-bench-") as tmp:
        root = Path(tmp)
        broker = start_local_broker(root / "mosquitto")
        try:
            start = datetime.now(TAIPEI).replace(microsecond=0)
            messages = _scenario(args.messages, start)
            raw = bench_raw(broker.url, messages)
            ingest = bench_ingest(broker.url, messages, root)
            later = start + timedelta(days=1)
            idle = bench_latency(broker.url, args.probes, root, None)
            loaded = bench_latency(broker.url, args.probes, root, _scenario(20 * args.probes * 5, later))
        finally:
            broker.stop()
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpu_count": __import__("os").cpu_count()},
        "raw_receive": raw,
        "ingest_sqlite": ingest,
        "latency_idle": idle,
        "latency_loaded": loaded | {"background_messages_per_s": BACKGROUND_RATE},
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
