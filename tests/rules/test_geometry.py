"""Geometry of the rules: distances, geofences and route corridors on the shipped reference data."""

from __future__ import annotations

import json
import math

import pytest

from controlroom.resources import resource_path
from controlroom.rules.geometry import EARTH_RADIUS_M, Geofence, RouteLine, haversine_m, inside_any


def _reference(name: str) -> list[dict[str, object]]:
    with (resource_path("reference") / f"{name}.json").open(encoding="utf-8") as handle:
        rows: list[dict[str, object]] = json.load(handle)[name]
    return rows


def test_haversine_one_degree_of_latitude() -> None:
    assert haversine_m(22.0, 120.0, 23.0, 120.0) == pytest.approx(math.radians(1) * EARTH_RADIUS_M)
    assert haversine_m(22.6, 120.3, 22.6, 120.3) == 0


def test_haversine_known_distance_kaohsiung_to_keelung() -> None:
    # Kaohsiung port to Keelung port: about 300 km as the crow flies.
    assert 290_000 < haversine_m(22.61, 120.28, 25.13, 121.74) < 320_000


def test_geofence_contains_its_centre_and_not_far_points() -> None:
    fence = Geofence.of("SQ", [[120.0, 22.0], [120.01, 22.0], [120.01, 22.01], [120.0, 22.01]])
    assert fence.contains(22.005, 120.005)
    assert fence.contains(22.0, 120.005)  # on the boundary counts as inside
    assert not fence.contains(22.02, 120.005)
    assert inside_any([fence], 22.005, 120.005)
    assert not inside_any([], 22.005, 120.005)


def test_geofence_needs_a_polygon() -> None:
    with pytest.raises(ValueError, match="3 points"):
        Geofence.of("X", [[120.0, 22.0], [120.1, 22.0]])


def test_route_distance_in_metres() -> None:
    route = RouteLine.of("R", [[120.0, 22.0], [120.0, 22.1]], 200)
    # 150 m east of a north-south line
    east = 150 / (EARTH_RADIUS_M * math.cos(math.radians(22.05))) * 180 / math.pi
    assert route.distance_m(22.05, 120.0 + east) == pytest.approx(150, rel=0.01)
    assert route.in_corridor(22.05, 120.0 + east)
    assert not route.in_corridor(22.05, 120.0 + 2 * east)
    # beyond the end, the distance is to the end point
    assert route.distance_m(22.1 + 0.001, 120.0) == pytest.approx(
        haversine_m(22.101, 120.0, 22.1, 120.0), rel=0.01
    )


def test_shipped_routes_start_in_their_origin_and_end_in_their_destination() -> None:
    fences = {str(s["code"]): Geofence.of(str(s["code"]), s["geofence"]) for s in _reference("stations")}  # type: ignore[arg-type]
    for row in _reference("routes"):
        line = row["line"]
        assert isinstance(line, list)
        route = RouteLine.of(str(row["route_id"]), line, float(row["corridor_m"]))  # type: ignore[arg-type]
        (lon0, lat0), (lon1, lat1) = line[0], line[-1]
        assert route.distance_m(lat0, lon0) == pytest.approx(0, abs=1e-6)
        assert fences[str(row["origin"])].contains(lat0, lon0), row["route_id"]
        assert fences[str(row["destination"])].contains(lat1, lon1), row["route_id"]
