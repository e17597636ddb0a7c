"""The reference data the rules judge against (geofences, routes, gates, thresholds), cached.

An administrator may edit the reference tables at any time, so each batch checks a cheap stamp of
them and reloads only when it changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from controlroom.models import Gate, Route, Station, Threshold
from controlroom.rules.geometry import Geofence, RouteLine, inside_any
from controlroom.rules.thresholds import Thresholds


@dataclass
class Reference:
    """A snapshot of the reference tables in the shapes the rules judge with."""

    fences: dict[str, Geofence]
    routes: dict[str, RouteLine]
    route_minutes: dict[str, int]
    gates: dict[str, tuple[str, bool]]  # gate_id -> (station, inspection_required)
    thresholds: Thresholds

    @classmethod
    def load(cls, session: Session) -> Reference:
        fences = {s.code: Geofence.of(s.code, s.geofence) for s in session.scalars(select(Station))}
        routes: dict[str, RouteLine] = {}
        minutes: dict[str, int] = {}
        for r in session.scalars(select(Route)):
            routes[r.route_id] = RouteLine.of(r.route_id, r.line, r.corridor_m)
            minutes[r.route_id] = r.allowed_minutes
        gates = {g.gate_id: (g.station, g.inspection_required) for g in session.scalars(select(Gate))}
        thresholds = Thresholds.from_rows({t.key: t.value for t in session.scalars(select(Threshold))})
        return cls(fences, routes, minutes, gates, thresholds)

    def in_station(self, lat: float, lon: float) -> bool:
        return inside_any(self.fences.values(), lat, lon)

    def inside(self, code: str, lat: float, lon: float) -> bool:
        fence = self.fences.get(code)
        return fence is not None and fence.contains(lat, lon)


def _reference_stamp(session: Session) -> tuple[Any, ...]:
    """Changes whenever a row of the reference tables is added, removed or edited."""
    columns = []
    for table in (Station, Route, Gate, Threshold):
        columns.append(select(func.count()).select_from(table).scalar_subquery())
        columns.append(select(func.max(table.updated_at)).scalar_subquery())
    return tuple(session.execute(select(*columns)).one())


class ReferenceCache:
    """The reference data, reloaded only when an administrator changed it."""

    def __init__(self) -> None:
        self._cached: tuple[tuple[Any, ...], Reference] | None = None

    def get(self, session: Session) -> Reference:
        stamp = _reference_stamp(session)
        if self._cached is None or self._cached[0] != stamp:
            self._cached = (stamp, Reference.load(session))
        return self._cached[1]
