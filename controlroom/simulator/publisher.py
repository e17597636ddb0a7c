"""Publish a generated scenario to a broker at QoS 1, with simulated time compressed ``speedup`` times."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence

from controlroom.feed.mqtt import BrokerConfig, make_client
from controlroom.simulator.scenario import ScenarioMessage

__all__ = ["publish_scenario", "run_publish"]

logger = logging.getLogger(__name__)


async def publish_scenario(
    messages: Sequence[ScenarioMessage],
    config: BrokerConfig,
    *,
    speedup: float = 1.0,
    max_in_flight: int = 200,
    on_published: Callable[[int, ScenarioMessage], None] | None = None,
) -> int:
    """Publish each message when its time comes (``speedup`` simulated seconds per real second;
    ``float('inf')`` for as fast as possible); returns how many were acknowledged by the broker.

    Publishes are issued in order; up to ``max_in_flight`` await their PUBACK at once.
    """
    if speedup <= 0:
        raise ValueError("speedup must be positive")
    if not messages:
        return 0
    loop = asyncio.get_running_loop()
    sim_start = messages[0].at
    real_start = loop.time()
    window = asyncio.Semaphore(max_in_flight)
    pending: set[asyncio.Task[None]] = set()
    published = 0

    async with make_client(config, persistent=False) as client:

        async def send(index: int, message: ScenarioMessage) -> None:
            nonlocal published
            try:
                await client.publish(message.topic, message.payload_bytes(), qos=1)
                published += 1
                if on_published is not None:
                    on_published(index, message)
            finally:
                window.release()

        try:
            for index, message in enumerate(messages):
                due = real_start + (message.at - sim_start).total_seconds() / speedup
                delay = due - loop.time()
                if delay > 0:
                    await asyncio.sleep(delay)
                await window.acquire()
                task = loop.create_task(send(index, message))
                pending.add(task)
                task.add_done_callback(pending.discard)
            if pending:
                await asyncio.gather(*pending)
        finally:
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.gather(*pending, return_exceptions=True)
    logger.info("published %d of %d messages to %s", published, len(messages), config.url)
    return published


def run_publish(messages: Sequence[ScenarioMessage], config: BrokerConfig, *, speedup: float = 1.0) -> int:
    """Blocking wrapper: its own selector event loop (aiomqtt needs add_reader, also on Windows)."""
    with asyncio.Runner(loop_factory=asyncio.SelectorEventLoop) as runner:
        return runner.run(publish_scenario(messages, config, speedup=speedup))
