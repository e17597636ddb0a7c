"""The embedded demo feed: a private broker, the simulated fleet and the in-process ingest.

So that a new user sees trucks and alerts at once, the first part of the fleet's timeline (the
"history" up to now) is replayed straight into the database on a manual clock, and the rest is
published over MQTT in real time while the live ingest runs on the system clock. The cut is placed
shortly before an event that raises an alert on receipt, so a live alert arrives within the first
minute. Qt-free: the GUI only passes `on_event`.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from controlroom.feed.health import HealthSnapshot
from controlroom.feed.mqtt import BrokerConfig
from controlroom.services.ingest import IngestEvent
from controlroom.services.live import LiveIngest
from controlroom.services.local_broker import LocalBroker, start_local_broker
from controlroom.services.replay import ReplayLine, apply_setup, replay
from controlroom.simulator.publisher import publish_scenario
from controlroom.simulator.scenario import ScenarioMessage, SimulationConfig, generate, scenario_setup
from controlroom.simulator.world import World, load_world
from controlroom.storage.database import Database

logger = logging.getLogger(__name__)
TAIPEI = ZoneInfo("Asia/Taipei")

# Seal and unit events that raise an alert the moment they are received.
_IMMEDIATE = {("seals", "pin_fault"), ("seals", "tamper"), ("units", "power_removed")}
HISTORY = timedelta(minutes=20)  # at least this much of the timeline is replayed before going live
LIVE_LEAD = timedelta(seconds=8)  # the first live alert comes about this long after going live


@dataclass(frozen=True)
class DemoOptions:
    trucks: int = 30
    seed: int = 20261122
    fault_rate: float = 0.3
    broker_url: str | None = None  # None: start a private mosquitto


def _raises_on_receipt(message: ScenarioMessage) -> bool:
    parts = message.topic.split("/")
    if len(parts) < 4 or parts[-1] != "events" or not isinstance(message.payload, dict):
        return False
    return (parts[-3], str(message.payload.get("event"))) in _IMMEDIATE


def cut_offset(messages: Sequence[ScenarioMessage]) -> timedelta:
    """How far into the timeline to go live: just before the first immediate alert after HISTORY."""
    start = messages[0].at
    for message in messages:
        if message.at - start >= HISTORY + LIVE_LEAD and _raises_on_receipt(message):
            return message.at - start - LIVE_LEAD
    return HISTORY


def plan(
    options: DemoOptions, world: World, now: datetime
) -> tuple[list[ScenarioMessage], list[ScenarioMessage]]:
    """The timeline split at `now` into (history to replay, messages to publish live)."""

    def config(start: datetime) -> SimulationConfig:
        return SimulationConfig(
            trucks=options.trucks,
            seed=options.seed,
            fault_rate=options.fault_rate,
            start=start,
            max_route_minutes=90,
        )

    probe = generate(config(now), world)
    offset = cut_offset(probe) if probe else timedelta(0)
    messages = generate(config(now - offset), world)  # the same timeline, shifted so the cut is now
    return [m for m in messages if m.at < now], [m for m in messages if m.at >= now]


class _Publisher(threading.Thread):
    """Publishes the live part of the timeline on its own selector loop; stop() cancels it."""

    def __init__(self, messages: Sequence[ScenarioMessage], config: BrokerConfig) -> None:
        super().__init__(name="controlroom-demo-fleet", daemon=True)
        self._messages = messages
        self._config = config
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[int] | None = None
        self._ready = threading.Event()

    def run(self) -> None:
        loop = asyncio.SelectorEventLoop()
        self._loop = loop
        try:
            self._task = loop.create_task(publish_scenario(self._messages, self._config))
            self._ready.set()
            loop.run_until_complete(self._task)
        except asyncio.CancelledError:
            pass
        except Exception:
            logger.exception("the simulated fleet stopped publishing")
        finally:
            self._ready.set()
            loop.close()

    def stop(self) -> None:
        self._ready.wait(5)
        if self._loop is not None and self._task is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._task.cancel)
        self.join(10)


class DemoFeed:
    """Start and stop the demo's broker, history replay, live ingest and simulated fleet together."""

    def __init__(
        self,
        database: Database,
        options: DemoOptions = DemoOptions(),
        on_event: Callable[[IngestEvent], None] | None = None,
    ) -> None:
        self._database = database
        self._options = options
        self._on_event = on_event
        self._broker: LocalBroker | None = None
        self._live: LiveIngest | None = None
        self._publisher: _Publisher | None = None

    def start(self, now: datetime | None = None) -> None:
        """Blocking (a few seconds): call it from a worker thread, not the GUI thread."""
        world = load_world()
        now = now or datetime.now(TAIPEI)
        history, live = plan(self._options, world, now)
        with self._database.transaction() as session:
            apply_setup(session, scenario_setup(world))
        lines = [ReplayLine(m.at, m.topic, m.payload_bytes()) for m in history]
        stats = replay(self._database, lines, until=now)
        logger.info("demo history: %d messages, %d alerts", len(lines), stats.alerts)
        url = self._options.broker_url
        if url is None:
            self._broker = start_local_broker()
            url = self._broker.url
        config = BrokerConfig.from_url(url, client_id="controlroom-demo")
        self._live = LiveIngest(self._database, config, on_event=self._on_event)
        self._live.start()
        self._live.wait_connected(10)
        self._publisher = _Publisher(live, BrokerConfig.from_url(url, client_id="controlroom-demo-fleet"))
        self._publisher.start()

    def health_snapshot(self) -> HealthSnapshot | None:
        return self._live.health_snapshot() if self._live else None

    def stop(self) -> None:
        if self._publisher is not None:
            self._publisher.stop()
        if self._live is not None:
            self._live.stop()
        if self._broker is not None:
            self._broker.stop()
