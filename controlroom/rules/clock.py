"""The clock the rules read. Live runs use the system clock; replay and tests move a manual one, so
rules that fire on silence (lost contact, overdue, S7, S8, abnormal stop) give the same alerts every time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("the clock needs an aware datetime")
        self._now = start

    def now(self) -> datetime:
        return self._now

    def set(self, when: datetime) -> None:
        """Move to `when`; a replay never moves time backwards."""
        if when.tzinfo is None:
            raise ValueError("the clock needs an aware datetime")
        self._now = max(self._now, when)

    def advance(self, delta: timedelta) -> None:
        self._now += delta
