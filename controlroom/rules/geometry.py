"""Geometry of the rules: geofences, great-circle distances and distance to a designated route.

Coordinates are WGS 84 ``(lon, lat)`` pairs as stored in the reference data (GeoJSON order). Routes are
projected once onto a local equirectangular plane in metres around their own centre; over the tens of
kilometres of a Taiwanese route the scale error of that projection stays far below a corridor width.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from shapely import LineString, Point, Polygon
from shapely.prepared import PreparedGeometry, prep

__all__ = ["EARTH_RADIUS_M", "Geofence", "RouteLine", "haversine_m", "inside_any"]

EARTH_RADIUS_M = 6_371_008.8
_MIN_RING_POINTS = 3


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres between two WGS 84 points."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class Geofence:
    """A station's geofence: a polygon of ``[lon, lat]`` points, prepared for fast point tests."""

    code: str
    ring: tuple[tuple[float, float], ...]
    _prepared: PreparedGeometry = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.ring) < _MIN_RING_POINTS:
            raise ValueError(f"geofence of {self.code} needs at least 3 points")
        object.__setattr__(self, "_prepared", prep(Polygon(self.ring)))

    @classmethod
    def of(cls, code: str, ring: Sequence[Sequence[float]]) -> Geofence:
        return cls(code, tuple((float(p[0]), float(p[1])) for p in ring))

    def contains(self, lat: float, lon: float) -> bool:
        """True inside or on the boundary."""
        return bool(self._prepared.covers(Point(lon, lat)))


def inside_any(fences: Iterable[Geofence], lat: float, lon: float) -> bool:
    return any(fence.contains(lat, lon) for fence in fences)


@dataclass(frozen=True)
class RouteLine:
    """A designated route's polyline, projected to local metres for distance queries."""

    route_id: str
    points: tuple[tuple[float, float], ...]
    corridor_m: float
    _lat0: float = field(init=False, repr=False, compare=False)
    _lon0: float = field(init=False, repr=False, compare=False)
    _kx: float = field(init=False, repr=False, compare=False)
    _line: LineString = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.points) < 2:
            raise ValueError(f"route {self.route_id} needs at least 2 points")
        lons = [p[0] for p in self.points]
        lats = [p[1] for p in self.points]
        lat0 = (min(lats) + max(lats)) / 2
        lon0 = (min(lons) + max(lons)) / 2
        object.__setattr__(self, "_lat0", lat0)
        object.__setattr__(self, "_lon0", lon0)
        object.__setattr__(self, "_kx", math.cos(math.radians(lat0)))
        object.__setattr__(self, "_line", LineString([self._project(lat, lon) for lon, lat in self.points]))

    @classmethod
    def of(cls, route_id: str, line: Sequence[Sequence[float]], corridor_m: float) -> RouteLine:
        return cls(route_id, tuple((float(p[0]), float(p[1])) for p in line), float(corridor_m))

    def _project(self, lat: float, lon: float) -> tuple[float, float]:
        k = math.pi / 180 * EARTH_RADIUS_M
        return ((lon - self._lon0) * k * self._kx, (lat - self._lat0) * k)

    def distance_m(self, lat: float, lon: float) -> float:
        """Distance in metres from the point to the nearest point of the polyline."""
        return float(self._line.distance(Point(self._project(lat, lon))))

    def in_corridor(self, lat: float, lon: float) -> bool:
        return self.distance_m(lat, lon) <= self.corridor_m
