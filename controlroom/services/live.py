"""Live ingest: the MQTT subscriber feeds the Ingestor in batches; the clock rules tick every second.

Two threads, both owned here: the :class:`~controlroom.feed.mqtt.FeedSubscriber` thread (its own
asyncio loop) and a consumer thread that drains the subscriber's queue in batches of up to
``batch_size`` messages (a batch closes after ``batch_window_s`` or as soon as the feed pauses),
runs :meth:`Ingestor.process_batch` (one transaction), and only then acknowledges the batch to the
broker, so a crash before the commit loses nothing (the broker redelivers; de-duplication absorbs
what was committed but not acknowledged). :meth:`Ingestor.tick` runs every ``tick_interval_s``.

An exception while processing is logged with its traceback and never stops the loop: the batch is
retried message by message, the ones that succeed are acknowledged, the others stay unacknowledged
and come back from the broker's session after the next reconnect.

``on_event`` is called on the consumer thread; a GUI must hand events over to its own thread.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from controlroom.feed.health import FeedHealth, HealthSnapshot
from controlroom.feed.mqtt import BrokerConfig, Delivery, FeedSubscriber
from controlroom.rules.clock import Clock, SystemClock
from controlroom.services.ingest import BatchResult, IngestEvent, Ingestor, IngestStats
from controlroom.storage.database import Database

__all__ = ["LiveIngest", "LiveStats"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class LiveStats:
    batches: int
    processed: int  # messages committed (accepted, rejected or duplicate)
    accepted: int
    rejected: int
    duplicates: int
    alerts: int
    failures: int  # messages left unacknowledged because processing raised


class LiveIngest:
    def __init__(
        self,
        database: Database,
        config: BrokerConfig,
        clock: Clock | None = None,
        on_event: Callable[[IngestEvent], None] | None = None,
        *,
        batch_size: int = 500,
        batch_window_s: float = 0.2,
        idle_gap_s: float = 0.02,
        tick_interval_s: float | None = 1.0,
        queue_size: int = 10_000,
        health: FeedHealth | None = None,
        manual_ack: bool = True,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be >= 1")
        self.config = config
        self.clock: Clock = clock or SystemClock()
        self.health = health or FeedHealth()
        self.ingestor = Ingestor(database, self.clock, topic_root=config.topic_root, on_event=on_event)
        self.subscriber = FeedSubscriber(
            config, queue_size=queue_size, health=self.health, manual_ack=manual_ack
        )
        self._batch_size = batch_size
        self._window = batch_window_s
        self._idle_gap = idle_gap_s
        self._tick_interval = tick_interval_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Condition()
        self._totals = IngestStats()
        self._batches = 0
        self._processed = 0
        self._failures = 0

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("live ingest was already started")
        self._stop.clear()
        self._thread = threading.Thread(target=self._consume, name="live-ingest", daemon=True)
        self._thread.start()
        self.subscriber.start()

    def wait_connected(self, timeout: float | None = None) -> bool:
        return self.subscriber.wait_connected(timeout)

    def stop(self, timeout: float = 30.0) -> None:
        """Finish the batch in hand, stop consuming, then disconnect. What is still queued was not
        acknowledged and is redelivered by the broker at the next start."""
        thread = self._thread
        if thread is not None:
            self._stop.set()
            thread.join(timeout)
            if thread.is_alive():
                raise RuntimeError(f"live ingest consumer did not stop within {timeout} s")
            self._thread = None
        self.subscriber.stop()

    def __enter__(self) -> LiveIngest:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- reading -------------------------------------------------------------------------------

    def health_snapshot(self) -> HealthSnapshot:
        return self.health.snapshot()

    def stats(self) -> LiveStats:
        with self._lock:
            t = self._totals
            return LiveStats(
                self._batches, self._processed, t.accepted, t.rejected, t.duplicates, t.alerts, self._failures
            )

    def wait_processed(self, count: int, timeout: float = 10.0) -> bool:
        """Wait until at least ``count`` messages have been committed since start; False on timeout."""
        with self._lock:
            return self._lock.wait_for(lambda: self._processed >= count, timeout)

    # -- the consumer thread -------------------------------------------------------------------

    def _consume(self) -> None:
        next_tick = time.monotonic() + (self._tick_interval or 0.0)
        while not self._stop.is_set():
            wait = 0.2
            if self._tick_interval is not None:
                wait = max(0.0, min(wait, next_tick - time.monotonic()))
            batch = self._collect(wait)
            if batch:
                self._process(batch)
            if self._tick_interval is not None and time.monotonic() >= next_tick:
                self.tick()
                next_tick = time.monotonic() + self._tick_interval

    def _collect(self, wait: float) -> list[Delivery]:
        source = self.subscriber.queue
        try:
            batch = [source.get(timeout=wait) if wait > 0 else source.get_nowait()]
        except queue.Empty:
            return []
        deadline = time.monotonic() + self._window
        while len(batch) < self._batch_size:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                batch.append(source.get(timeout=min(remaining, self._idle_gap)))
            except queue.Empty:
                break  # the feed paused: do not hold what we have
        return batch

    def _process(self, batch: list[Delivery]) -> None:
        try:
            result = self.ingestor.process_batch([d.message for d in batch])
        except Exception:
            logger.exception("ingesting a batch of %d messages failed; retrying them one by one", len(batch))
            self._process_singly(batch)
            return
        self.subscriber.ack(batch)
        self._account(result, len(batch))

    def _process_singly(self, batch: list[Delivery]) -> None:
        for delivery in batch:
            try:
                result = self.ingestor.process_batch([delivery.message])
            except Exception:
                logger.exception(
                    "ingesting a message on %s failed; it stays unacknowledged and is redelivered "
                    "after the next reconnect",
                    delivery.message.topic,
                )
                with self._lock:
                    self._failures += 1
                continue
            self.subscriber.ack([delivery])
            self._account(result, 1)

    def _account(self, result: BatchResult, count: int) -> None:
        self.health.record_dead_letters(result.stats.rejected)
        with self._lock:
            self._totals.add(result.stats)
            self._batches += 1
            self._processed += count
            self._lock.notify_all()

    def tick(self) -> None:
        """Run the clock rules now (the consumer does this every ``tick_interval_s``)."""
        try:
            result = self.ingestor.tick()
        except Exception:
            logger.exception("the clock rules failed; they run again at the next tick")
            return
        with self._lock:
            self._totals.add(result.stats)
