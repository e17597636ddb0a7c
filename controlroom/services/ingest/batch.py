"""What one batch (or one tick) works with: its session, reference data, results so far and the unit
tracks it has read, plus the time helpers every part of the ingest shares.

A message whose handling fails is undone by its savepoint in the database; `Batch.mark` and
`Batch.forget_since` undo what it left in the batch's memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from controlroom.models import PositionReport
from controlroom.services.ingest.events import IngestEvent, IngestStats, MovedPosition
from controlroom.services.ingest.reference import Reference

# How far around a new observation the stored track is loaded to evaluate streaks; a longer run is
# seen in overlapping pieces, which the run memory (controlroom.rules.streaks) joins up.
TRACK_WINDOW = timedelta(minutes=45)
# Neighbouring reports further apart than this are not "consecutive" for a streak: reports are missing
# (the unit sends every 10 s moving and 60 s parked, the seal every 30 s).
MAX_GAP = timedelta(seconds=90)


@dataclass(frozen=True, slots=True)
class Fix:
    ts: datetime
    lat: float
    lon: float
    speed_kmh: float
    power: str
    heading_deg: float | None


def fix_ts(fix: Fix) -> datetime:
    return fix.ts


def row_ts(row: Any) -> datetime:
    ts: datetime = row[0]
    return ts


def utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def iso(value: datetime | None) -> str | None:
    return None if value is None else utc(value).isoformat()


@dataclass(frozen=True, slots=True)
class BatchMark:
    """How far the batch's memory had got before a message: see `Batch.forget_since`."""

    events: int
    alerts: int
    pending: int
    moved: dict[int, MovedPosition]


@dataclass
class Batch:
    """One transaction's working state: results so far, telemetry awaiting its bulk insert, tracks read."""

    session: Session
    ref: Reference
    now: datetime
    stats: IngestStats = field(default_factory=IngestStats)
    events: list[IngestEvent] = field(default_factory=list)
    pending_positions: list[dict[str, Any]] = field(default_factory=list)
    tracks: dict[str, tuple[datetime, datetime, list[Fix]]] = field(default_factory=dict)
    moved: dict[int, MovedPosition] = field(default_factory=dict)

    def mark(self) -> BatchMark:
        return BatchMark(len(self.events), self.stats.alerts, len(self.pending_positions), dict(self.moved))

    def forget_since(self, mark: BatchMark) -> None:
        """Forget what a failed message left in the batch's memory (the savepoint undid the rows)."""
        del self.events[mark.events :]
        self.stats.alerts = mark.alerts
        del self.pending_positions[mark.pending :]
        self.moved = mark.moved
        self.tracks = {}  # reloaded from the database and the remaining pending fixes
        self.session.expire_all()

    # ---- unit track (stored fixes + this batch's pending ones), sorted by ts -------------------

    def track(self, unit_id: str, around: datetime) -> list[Fix]:
        lo, hi = around - TRACK_WINDOW, around + TRACK_WINDOW
        cached = self.tracks.get(unit_id)
        if cached is not None and cached[0] <= lo and hi <= cached[1]:
            return cached[2]
        if cached is not None:
            lo, hi = min(lo, cached[0]), max(hi, cached[1])
        rows = self.session.execute(
            select(
                PositionReport.ts,
                PositionReport.lat,
                PositionReport.lon,
                PositionReport.speed_kmh,
                PositionReport.power,
                PositionReport.heading_deg,
            ).where(PositionReport.unit_id == unit_id, PositionReport.ts.between(lo, hi))
        ).all()
        fixes = [Fix(*row) for row in rows]
        fixes.extend(
            Fix(p["ts"], p["lat"], p["lon"], p["speed_kmh"], p["power"], p["heading_deg"])
            for p in self.pending_positions
            if p["unit_id"] == unit_id and lo <= p["ts"] <= hi
        )
        fixes.sort(key=lambda f: f.ts)
        self.tracks[unit_id] = (lo, hi, fixes)
        return fixes

    def add_fix(self, unit_id: str, fix: Fix) -> None:
        cached = self.tracks.get(unit_id)
        if cached is not None and cached[0] <= fix.ts <= cached[1]:
            fixes = cached[2]
            index = len(fixes)
            while index > 0 and fixes[index - 1].ts > fix.ts:
                index -= 1
            fixes.insert(index, fix)
