"""FeedHealth: rate window, ages, counters and the degraded flag, on injected clocks."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from controlroom.feed.health import FeedHealth


class _Clocks:
    def __init__(self) -> None:
        self.mono = 1000.0
        self.wall = datetime(2026, 11, 22, 0, 0, tzinfo=UTC)

    def advance(self, seconds: float) -> None:
        self.mono += seconds
        self.wall += timedelta(seconds=seconds)


def _health(clocks: _Clocks, silence: float = 60.0) -> FeedHealth:
    return FeedHealth(
        window_s=10,
        silence_threshold_s=silence,
        monotonic=lambda: clocks.mono,
        wall_clock=lambda: clocks.wall,
    )


def test_starts_disconnected_and_degraded() -> None:
    snapshot = _health(_Clocks()).snapshot()
    assert not snapshot.connected and snapshot.degraded and snapshot.reason == "disconnected"
    assert snapshot.last_message_at is None and snapshot.last_message_age_s is None


def test_rate_over_the_sliding_window_and_age() -> None:
    clocks = _Clocks()
    health = _health(clocks)
    health.set_connected(True)
    for _ in range(10):
        health.record_messages(5)
        clocks.advance(1)
    snapshot = health.snapshot()
    assert snapshot.messages_per_s == 5.0 and snapshot.messages_total == 50
    assert snapshot.last_message_age_s == 1.0
    assert snapshot.last_message_at == clocks.wall - timedelta(seconds=1)
    clocks.advance(20)
    assert health.snapshot().messages_per_s == 0.0


def test_silence_while_connected_degrades_with_a_reason() -> None:
    clocks = _Clocks()
    health = _health(clocks, silence=60)
    health.set_connected(True)
    clocks.advance(59)
    assert not health.snapshot().degraded
    clocks.advance(2)
    snapshot = health.snapshot()
    assert snapshot.degraded and "no message for 61 s" in snapshot.reason
    health.record_messages()
    assert not health.snapshot().degraded


def test_reconnects_dead_letters_and_disconnect_reason() -> None:
    health = _health(_Clocks())
    health.set_connected(True)
    health.set_connected(False, "connection refused")
    snapshot = health.snapshot()
    assert snapshot.degraded and snapshot.reason == "disconnected: connection refused"
    health.set_connected(True)
    health.set_connected(True)
    health.record_dead_letters(3)
    snapshot = health.snapshot()
    assert (snapshot.reconnects, snapshot.dead_letters, snapshot.connected) == (1, 3, True)


def test_thread_safe_counting() -> None:
    health = FeedHealth()
    threads = [
        threading.Thread(target=lambda: [health.record_messages() for _ in range(1000)]) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert health.snapshot().messages_total == 4000
