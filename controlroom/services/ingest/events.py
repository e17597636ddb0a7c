"""What an ingest batch or tick hands back: the events for the GUI and the counters.

Plain frozen dataclasses, so the GUI, the fleet picture and the database watcher can consume them
without knowing anything of the ingest's internals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# A truck's newest fix of a batch: ``(trip_id, lat, lon, heading_deg, ts)``.
MovedPosition = tuple[int, float, float, float | None, datetime]


@dataclass(frozen=True, slots=True)
class AlertRaised:
    alert_id: int
    code: str
    trip_id: int | None
    severity: str
    raised_at: datetime


@dataclass(frozen=True, slots=True)
class AlertOccurred:
    alert_id: int
    code: str
    trip_id: int | None
    occurrences: int
    at: datetime


@dataclass(frozen=True, slots=True)
class TripChanged:
    trip_id: int
    cn_no: str
    state: str


@dataclass(frozen=True, slots=True)
class PositionsMoved:
    """Newest fixes of this batch: ``(trip_id, lat, lon, heading_deg, ts)``."""

    positions: tuple[MovedPosition, ...]


IngestEvent = AlertRaised | AlertOccurred | TripChanged | PositionsMoved


@dataclass
class IngestStats:
    accepted: int = 0
    rejected: int = 0
    duplicates: int = 0
    alerts: int = 0  # alerts raised plus occurrences added

    def add(self, other: IngestStats) -> None:
        self.accepted += other.accepted
        self.rejected += other.rejected
        self.duplicates += other.duplicates
        self.alerts += other.alerts


@dataclass(frozen=True)
class BatchResult:
    stats: IngestStats
    events: tuple[IngestEvent, ...]
