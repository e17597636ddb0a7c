"""A private mosquitto for tests, plus small synchronous helpers to publish and to drain a subscriber.

Define fixtures in the test modules, e.g.::

    @pytest.fixture(scope="module")
    def broker(tmp_path_factory):
        yield from broker_fixture(tmp_path_factory)
"""

from __future__ import annotations

import asyncio
import json
import queue
import time
from collections.abc import Iterable, Iterator
from typing import Any

import pytest

from controlroom.feed.mqtt import BrokerConfig, Delivery, FeedSubscriber, make_client
from controlroom.services.local_broker import LocalBroker, MosquittoNotInstalledError, start_local_broker


def broker_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalBroker]:
    """Body of a broker fixture: start mosquitto in a temp dir, stop after. A missing mosquitto fails
    the test (scripts/setup installs it): the feed is never tested against a stand-in."""
    try:
        broker = start_local_broker(tmp_path_factory.mktemp("mosquitto"))
    except MosquittoNotInstalledError as error:
        pytest.fail(str(error))
    try:
        yield broker
    finally:
        broker.stop()


def publish(
    broker_url: str,
    messages: Iterable[tuple[str, bytes | str | dict[str, Any]]],
    *,
    qos: int = 1,
    client_id: str = "test-publisher",
) -> int:
    """Publish (topic, payload) pairs at QoS 1 and wait for every PUBACK; returns how many."""

    async def run() -> int:
        config = BrokerConfig.from_url(broker_url, client_id=client_id)
        count = 0
        async with make_client(config, persistent=False) as client:
            for topic, payload in messages:
                body = json.dumps(payload).encode() if isinstance(payload, dict) else payload
                await client.publish(topic, body, qos=qos)
                count += 1
        return count

    with asyncio.Runner(loop_factory=asyncio.SelectorEventLoop) as runner:
        return runner.run(run())


def drain(
    subscriber: FeedSubscriber, count: int, timeout: float = 10.0, *, ack: bool = True
) -> list[Delivery]:
    """Take ``count`` deliveries off the queue (and acknowledge them); fail after ``timeout``."""
    got: list[Delivery] = []
    deadline = time.monotonic() + timeout
    while len(got) < count:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"received {len(got)} of {count} messages within {timeout} s")
        try:
            got.append(subscriber.queue.get(timeout=min(remaining, 0.1)))
        except queue.Empty:
            continue
    if ack:
        subscriber.ack(got)
    return got


def assert_quiet(subscriber: FeedSubscriber, wait: float = 0.3) -> None:
    """Nothing more arrives within ``wait`` seconds."""
    try:
        extra = subscriber.queue.get(timeout=wait)
    except queue.Empty:
        return
    raise AssertionError(f"unexpected extra message on {extra.message.topic}")
