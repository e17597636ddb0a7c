"""What the simulator drives on: stations (geofences), designated routes and gates from the reference data."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from controlroom.resources import resource_path
from controlroom.rules.geometry import Geofence, haversine_m

__all__ = ["Gate", "Route", "Station", "World", "load_world"]


@dataclass(frozen=True)
class Station:
    code: str
    fence: Geofence

    def contains(self, lat: float, lon: float) -> bool:
        return self.fence.contains(lat, lon)


@dataclass(frozen=True)
class Gate:
    gate_id: str
    station: str | None
    inspection_required: bool


@dataclass(frozen=True)
class Route:
    """A designated route; ``line`` is ``(lon, lat)`` pairs from origin to destination."""

    route_id: str
    origin: str
    destination: str
    line: tuple[tuple[float, float], ...]
    corridor_m: float
    allowed_minutes: float
    _cumulative: tuple[float, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        distances = [0.0]
        for (lon1, lat1), (lon2, lat2) in zip(self.line, self.line[1:], strict=False):
            distances.append(distances[-1] + haversine_m(lat1, lon1, lat2, lon2))
        object.__setattr__(self, "_cumulative", tuple(distances))

    @property
    def length_m(self) -> float:
        return self._cumulative[-1]

    def position(self, distance_m: float) -> tuple[float, float, float]:
        """(lat, lon, heading in degrees) at ``distance_m`` along the line (clamped to its ends)."""
        d = min(max(distance_m, 0.0), self.length_m)
        cumulative = self._cumulative
        index = 1
        while index < len(cumulative) - 1 and cumulative[index] < d:
            index += 1
        (lon1, lat1), (lon2, lat2) = self.line[index - 1], self.line[index]
        span = cumulative[index] - cumulative[index - 1]
        f = 0.0 if span <= 0 else (d - cumulative[index - 1]) / span
        lat, lon = lat1 + (lat2 - lat1) * f, lon1 + (lon2 - lon1) * f
        heading = math.degrees(math.atan2((lon2 - lon1) * math.cos(math.radians(lat)), lat2 - lat1)) % 360
        return lat, lon, heading


@dataclass(frozen=True)
class World:
    stations: dict[str, Station]
    routes: tuple[Route, ...]
    gates: tuple[Gate, ...]

    def gates_of(self, station: str, *, inspection: bool | None = None) -> list[Gate]:
        return [
            g
            for g in self.gates
            if g.station == station and (inspection is None or g.inspection_required == inspection)
        ]

    def inside_any_station(self, lat: float, lon: float) -> bool:
        return any(s.contains(lat, lon) for s in self.stations.values())

    @classmethod
    def from_json(
        cls,
        stations: Sequence[dict[str, Any]],
        routes: Sequence[dict[str, Any]],
        gates: Sequence[dict[str, Any]],
    ) -> World:
        known = {s["code"]: Station(s["code"], Geofence.of(s["code"], s["geofence"])) for s in stations}
        return cls(
            stations=known,
            routes=tuple(
                Route(
                    r["route_id"],
                    r["origin"],
                    r["destination"],
                    tuple((float(p[0]), float(p[1])) for p in r["line"]),
                    float(r["corridor_m"]),
                    float(r["allowed_minutes"]),
                )
                for r in routes
                if r["origin"] in known and r["destination"] in known and len(r["line"]) >= 2
            ),
            gates=tuple(
                Gate(g["gate_id"], g.get("station"), bool(g.get("inspection_required", False))) for g in gates
            ),
        )


def _rows(directory: Path | None, name: str, key: str) -> list[dict[str, Any]]:
    path = directory / name if directory is not None else resource_path("reference", name)
    with path.open(encoding="utf-8") as handle:
        rows: list[dict[str, Any]] = json.load(handle)[key]
    return rows


def load_world(directory: Path | None = None) -> World:
    """The shipped reference data (or the same files in ``directory``)."""
    return World.from_json(
        _rows(directory, "stations.json", "stations"),
        _rows(directory, "routes.json", "routes"),
        _rows(directory, "gates.json", "gates"),
    )
