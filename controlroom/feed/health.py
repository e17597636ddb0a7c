"""How the live feed is doing, as one thread-safe snapshot the GUI, the CLI and the logs can read.

The transport thread reports connects, disconnects and reconnects; the consumer reports messages and
dead letters. Anyone may call :meth:`FeedHealth.snapshot` from any thread.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

__all__ = ["FeedHealth", "HealthSnapshot"]


@dataclass(frozen=True, slots=True)
class HealthSnapshot:
    connected: bool
    messages_per_s: float  # over the sliding window
    last_message_at: datetime | None  # wall-clock time of the last message received (UTC)
    last_message_age_s: float | None
    messages_total: int
    dead_letters: int
    reconnects: int
    degraded: bool
    reason: str  # empty when not degraded


class FeedHealth:
    """Counters and a sliding-window rate, guarded by one lock.

    ``degraded`` is true while disconnected, or while connected but silent for longer than
    ``silence_threshold_s`` (since the last message, or since connecting if none came since).
    """

    def __init__(
        self,
        *,
        window_s: float = 10.0,
        silence_threshold_s: float = 120.0,
        monotonic: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        if window_s <= 0:
            raise ValueError("window_s must be positive")
        self._window_s = window_s
        self._silence_s = silence_threshold_s
        self._monotonic = monotonic
        self._wall = wall_clock
        self._lock = threading.Lock()
        self._arrivals: deque[tuple[float, int]] = deque()  # (monotonic second, count)
        self._connected = False
        self._connected_since: float | None = None
        self._last_error = ""
        self._last_message_mono: float | None = None
        self._last_message_at: datetime | None = None
        self._total = 0
        self._dead_letters = 0
        self._reconnects = 0
        self._ever_connected = False

    # -- reports -------------------------------------------------------------------------------

    def set_connected(self, connected: bool, error: str = "") -> None:
        with self._lock:
            if connected and not self._connected:
                if self._ever_connected:
                    self._reconnects += 1
                self._ever_connected = True
                self._connected_since = self._monotonic()
            self._connected = connected
            self._last_error = "" if connected else error

    def record_messages(self, count: int = 1) -> None:
        if count <= 0:
            return
        with self._lock:
            now = self._monotonic()
            second = float(int(now))
            if self._arrivals and self._arrivals[-1][0] == second:
                self._arrivals[-1] = (second, self._arrivals[-1][1] + count)
            else:
                self._arrivals.append((second, count))
            self._prune(now)
            self._total += count
            self._last_message_mono = now
            self._last_message_at = self._wall()

    def record_dead_letters(self, count: int = 1) -> None:
        with self._lock:
            self._dead_letters += max(count, 0)

    # -- reading -------------------------------------------------------------------------------

    def _prune(self, now: float) -> None:
        horizon = now - self._window_s
        while self._arrivals and self._arrivals[0][0] + 1 <= horizon:
            self._arrivals.popleft()

    def snapshot(self) -> HealthSnapshot:
        with self._lock:
            now = self._monotonic()
            self._prune(now)
            rate = sum(count for _, count in self._arrivals) / self._window_s
            age = None if self._last_message_mono is None else max(now - self._last_message_mono, 0.0)
            degraded, reason = False, ""
            if not self._connected:
                degraded = True
                reason = "disconnected" + (f": {self._last_error}" if self._last_error else "")
            else:
                quiet_since = max(
                    self._last_message_mono if self._last_message_mono is not None else -1e18,
                    self._connected_since if self._connected_since is not None else -1e18,
                )
                silent = now - quiet_since
                if silent > self._silence_s:
                    degraded = True
                    reason = f"no message for {silent:.0f} s while connected"
            return HealthSnapshot(
                connected=self._connected,
                messages_per_s=rate,
                last_message_at=self._last_message_at,
                last_message_age_s=age,
                messages_total=self._total,
                dead_letters=self._dead_letters,
                reconnects=self._reconnects,
                degraded=degraded,
                reason=reason,
            )
