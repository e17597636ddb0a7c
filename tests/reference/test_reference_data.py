"""Consistency checks for the illustrative reference data shipped in resources/reference/.

These check the files as shipped: geometry is well formed (closed, valid, counter-clockwise,
non-overlapping geofences), every reference between files resolves, routes start inside their origin
and end inside their destination, routes have no long straight-line jumps, and each route's time limit
implies a plausible truck speed. Against the land layer built by scripts/setup
(resources/basemap/taiwan_land.geojson) they also check that geofences, route vertices and gates lie on land.
"""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path
from typing import Any

import pytest
import shapely
from shapely.geometry import LineString, Point, Polygon, box, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

REF = Path(__file__).resolve().parents[2] / "resources" / "reference"
LAND_LAYER = Path(__file__).resolve().parents[2] / "resources" / "basemap" / "taiwan_land.geojson"

CUSTOMS_HOUSES = {"kaohsiung", "keelung", "taipei", "taichung"}
STATION_KINDS = {"container_yard", "bonded_warehouse", "container_terminal", "inland_yard", "air_cargo"}
CODE_PREFIX = {"kaohsiung": "KH", "keelung": "KL", "taipei": "TP", "taichung": "TC"}
# A generous box around Taiwan: catches swapped [lat, lon] pairs.
LON_RANGE = (119.0, 123.0)
LAT_RANGE = (21.5, 26.5)
MAX_VERTEX_GAP_KM = 5.0
MIN_SPEED_KMH, MAX_SPEED_KMH = 15.0, 80.0
GATE_TO_ROUTE_MAX_M = 150.0
# The land layer is a 10 m-scale coastline: it misses the edges of reclaimed wharves, hence the tolerances.
FENCE_OUTSIDE_LAND_MAX = 0.15  # share of a geofence's area
ROUTE_VERTEX_TO_LAND_MAX_M = 150.0
GATE_TO_LAND_MAX_M = 50.0
GATE_TO_STATION_MAX_M = 2500.0
# The Kaohsiung cross-harbour tunnel (旗津 to 前鎮): route vertices this close to it may lie in the harbour.
HARBOUR_TUNNEL = [[120.3075, 22.5590], [120.3170, 22.5660]]
HARBOUR_TUNNEL_M = 60.0


def _load(name: str) -> dict[str, Any]:
    with (REF / name).open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def haversine_km(a: list[float], b: list[float]) -> float:
    """Great-circle distance between two [lon, lat] points in kilometres."""
    lon1, lat1, lon2, lat2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def line_length_km(line: list[list[float]]) -> float:
    return sum(haversine_km(a, b) for a, b in itertools.pairwise(line))


@pytest.fixture(scope="module")
def stations() -> list[dict[str, Any]]:
    return list(_load("stations.json")["stations"])


@pytest.fixture(scope="module")
def routes() -> list[dict[str, Any]]:
    return list(_load("routes.json")["routes"])


@pytest.fixture(scope="module")
def gates() -> list[dict[str, Any]]:
    return list(_load("gates.json")["gates"])


@pytest.fixture(scope="module")
def contacts() -> list[dict[str, Any]]:
    return list(_load("contacts.json")["contacts"])


@pytest.fixture(scope="module")
def fences(stations: list[dict[str, Any]]) -> dict[str, Polygon]:
    return {s["code"]: Polygon(s["geofence"]) for s in stations}


def _check_point(p: list[float]) -> None:
    assert len(p) == 2
    lon, lat = p
    assert isinstance(lon, float) and isinstance(lat, float), p
    assert LON_RANGE[0] < lon < LON_RANGE[1], f"longitude out of range (swapped?): {p}"
    assert LAT_RANGE[0] < lat < LAT_RANGE[1], f"latitude out of range (swapped?): {p}"
    assert round(lon, 7) == lon and round(lat, 7) == lat, f"more than 7 decimals: {p}"


# ------------------------------------------------------------------------------------------ files


@pytest.mark.parametrize("name", ["stations.json", "routes.json", "gates.json", "contacts.json"])
def test_file_is_utf8_json_with_note(name: str) -> None:
    text = (REF / name).read_text(encoding="utf-8")
    data = json.loads(text)
    assert isinstance(data.get("note"), str) and data["note"].strip()
    assert text.endswith("\n")
    assert "\\u" not in text, "written with ensure_ascii=True"
    assert all((len(line) - len(line.lstrip(" "))) % 2 == 0 for line in text.splitlines())
    assert "\t" not in text


# --------------------------------------------------------------------------------------- stations


def test_station_count_and_coverage(stations: list[dict[str, Any]]) -> None:
    assert len(stations) >= 16
    assert {s["customs_house"] for s in stations} == CUSTOMS_HOUSES


def test_station_fields_and_codes(stations: list[dict[str, Any]]) -> None:
    codes = [s["code"] for s in stations]
    assert len(codes) == len(set(codes)), "duplicate station codes"
    for s in stations:
        assert set(s) == {"code", "name_zh", "name_en", "customs_house", "kind", "geofence"}
        assert s["customs_house"] in CUSTOMS_HOUSES
        assert s["kind"] in STATION_KINDS
        assert len(s["code"]) == 6 and s["code"].isalnum() and s["code"].isupper()
        assert s["code"].startswith(CODE_PREFIX[s["customs_house"]])
        assert s["name_zh"].strip() and s["name_en"].strip()


def test_geofences_closed_valid_ccw(stations: list[dict[str, Any]]) -> None:
    for s in stations:
        ring = s["geofence"]
        for p in ring:
            _check_point(p)
        assert ring[0] == ring[-1], f"{s['code']}: ring not closed"
        assert 4 <= len(ring) - 1 <= 10, f"{s['code']}: {len(ring) - 1} vertices"
        poly = Polygon(ring)
        assert poly.is_valid, f"{s['code']}: invalid polygon"
        assert poly.exterior.is_ccw, f"{s['code']}: not counter-clockwise"


def test_geofence_sizes_plausible(stations: list[dict[str, Any]]) -> None:
    for s in stations:
        ring = s["geofence"]
        span = max(haversine_km(a, b) for a, b in itertools.combinations(ring[:-1], 2))
        assert 0.1 <= span <= 2.5, f"{s['code']}: span {span:.2f} km"


def test_geofences_do_not_overlap(fences: dict[str, Polygon]) -> None:
    for (a, pa), (b, pb) in itertools.combinations(fences.items(), 2):
        assert not pa.intersects(pb), f"geofences {a} and {b} overlap or touch"


# ----------------------------------------------------------------------------------------- routes


def test_route_count(routes: list[dict[str, Any]]) -> None:
    assert len(routes) >= 12


def test_route_fields_and_references(routes: list[dict[str, Any]], fences: dict[str, Polygon]) -> None:
    ids = [r["route_id"] for r in routes]
    assert len(ids) == len(set(ids)), "duplicate route ids"
    for r in routes:
        assert set(r) == {
            "route_id",
            "origin",
            "destination",
            "name_zh",
            "name_en",
            "line",
            "corridor_m",
            "allowed_minutes",
        }
        assert r["origin"] in fences, f"{r['route_id']}: unknown origin {r['origin']}"
        assert r["destination"] in fences, f"{r['route_id']}: unknown destination {r['destination']}"
        assert r["origin"] != r["destination"]
        assert isinstance(r["corridor_m"], int) and 100 <= r["corridor_m"] <= 1000
        assert isinstance(r["allowed_minutes"], int) and r["allowed_minutes"] > 0
        assert r["name_zh"].strip() and r["name_en"].strip()


def test_route_ends_inside_geofences(routes: list[dict[str, Any]], fences: dict[str, Polygon]) -> None:
    for r in routes:
        line = r["line"]
        assert len(line) >= 2
        for p in line:
            _check_point(p)
        assert fences[r["origin"]].contains(Point(line[0])), f"{r['route_id']}: first point outside origin"
        assert fences[r["destination"]].contains(Point(line[-1])), (
            f"{r['route_id']}: last point outside destination"
        )


def test_routes_do_not_cross_other_stations(routes: list[dict[str, Any]], fences: dict[str, Polygon]) -> None:
    for r in routes:
        line = LineString(r["line"])
        for code, fence in fences.items():
            if code not in (r["origin"], r["destination"]):
                assert not line.intersects(fence), f"{r['route_id']} passes through {code}"


def test_route_vertices_close_together(routes: list[dict[str, Any]]) -> None:
    for r in routes:
        for a, b in itertools.pairwise(r["line"]):
            d = haversine_km(a, b)
            assert d < MAX_VERTEX_GAP_KM, f"{r['route_id']}: {d:.2f} km jump between {a} and {b}"
            assert d > 0, f"{r['route_id']}: repeated vertex {a}"


def test_route_time_limits_imply_plausible_speed(routes: list[dict[str, Any]]) -> None:
    for r in routes:
        km = line_length_km(r["line"])
        speed = km / (r["allowed_minutes"] / 60)
        assert MIN_SPEED_KMH <= speed <= MAX_SPEED_KMH, (
            f"{r['route_id']}: {km:.1f} km in {r['allowed_minutes']} min = {speed:.1f} km/h"
        )


def test_haversine_helper() -> None:
    # One degree of latitude is about 111.2 km; 0.01 deg of longitude at 25 N about 1.01 km.
    assert haversine_km([121.0, 24.0], [121.0, 25.0]) == pytest.approx(111.2, abs=0.1)
    assert haversine_km([121.0, 25.0], [121.01, 25.0]) == pytest.approx(1.008, abs=0.005)


# ------------------------------------------------------------------------------------------ gates


def test_gates(gates: list[dict[str, Any]], stations: list[dict[str, Any]]) -> None:
    assert len(gates) >= 10
    ids = [g["gate_id"] for g in gates]
    assert len(ids) == len(set(ids)), "duplicate gate ids"
    house = {s["code"]: s["customs_house"] for s in stations}
    for g in gates:
        assert set(g) == {
            "gate_id",
            "name_zh",
            "name_en",
            "station",
            "port_area",
            "location",
            "inspection_required",
        }
        assert g["station"] in house, f"{g['gate_id']}: unknown station {g['station']}"
        assert g["port_area"] == house[g["station"]], f"{g['gate_id']}: port area differs from its station"
        assert isinstance(g["inspection_required"], bool)
        _check_point(g["location"])
    assert {g["inspection_required"] for g in gates} == {True, False}
    assert {g["port_area"] for g in gates} == CUSTOMS_HOUSES


def test_gates_lie_on_a_route_of_their_station(
    gates: list[dict[str, Any]], routes: list[dict[str, Any]]
) -> None:
    for g in gates:
        lines = [r["line"] for r in routes if g["station"] in (r["origin"], r["destination"])]
        assert lines, f"{g['gate_id']}: no route starts or ends at {g['station']}"
        nearest = min(_point_to_line_m(g["location"], line) for line in lines)
        assert nearest <= GATE_TO_ROUTE_MAX_M, f"{g['gate_id']}: {nearest:.0f} m from its station's routes"


def _point_to_line_m(p: list[float], line: list[list[float]]) -> float:
    # Local equirectangular projection around the point: good to well under 1 % at these distances.
    kx = 111.32 * math.cos(math.radians(p[1])) * 1000
    ky = 110.57 * 1000
    pts = [((x - p[0]) * kx, (y - p[1]) * ky) for x, y in line]
    return float(LineString(pts).distance(Point(0.0, 0.0)))


# ------------------------------------------------------------------------------------------- land


@pytest.fixture(scope="module")
def land() -> BaseGeometry:
    if not LAND_LAYER.is_file():
        pytest.fail(f"land layer {LAND_LAYER} is missing: run scripts/setup to build it")
    with LAND_LAYER.open(encoding="utf-8") as fh:
        data = json.load(fh)
    geometry = unary_union([shape(f["geometry"]) for f in data["features"]])
    assert not geometry.is_empty and geometry.area > 1.0, "land layer does not cover Taiwan"
    return geometry


def _local(geom: BaseGeometry, p: list[float]) -> BaseGeometry:
    """``geom`` in metres, in a local equirectangular projection centred on ``p``."""
    k = [111.32 * math.cos(math.radians(p[1])) * 1000, 110.57 * 1000]
    return shapely.transform(geom, lambda a: (a - p) * k)


def _to_land_m(p: list[float], land: BaseGeometry) -> float:
    if land.contains(Point(p)):
        return 0.0
    near = land.intersection(box(p[0] - 0.05, p[1] - 0.05, p[0] + 0.05, p[1] + 0.05))
    return math.inf if near.is_empty else float(_local(near, p).distance(Point(0.0, 0.0)))


def test_geofences_on_land(stations: list[dict[str, Any]], land: BaseGeometry) -> None:
    for s in stations:
        fence = Polygon(s["geofence"])
        outside = fence.difference(land).area / fence.area
        assert outside <= FENCE_OUTSIDE_LAND_MAX, f"{s['code']}: {outside:.0%} of the geofence is off land"


def test_route_vertices_on_land(routes: list[dict[str, Any]], land: BaseGeometry) -> None:
    for r in routes:
        for p in r["line"]:
            if _point_to_line_m(p, HARBOUR_TUNNEL) <= HARBOUR_TUNNEL_M:
                continue
            d = _to_land_m(p, land)
            assert d <= ROUTE_VERTEX_TO_LAND_MAX_M, f"{r['route_id']}: vertex {p} is {d:.0f} m off land"


def test_gates_on_land_near_their_station(
    gates: list[dict[str, Any]], fences: dict[str, Polygon], land: BaseGeometry
) -> None:
    for g in gates:
        d = _to_land_m(g["location"], land)
        assert d <= GATE_TO_LAND_MAX_M, f"{g['gate_id']}: {d:.0f} m off land"
        far = _local(fences[g["station"]], g["location"]).distance(Point(0.0, 0.0))
        assert far <= GATE_TO_STATION_MAX_M, f"{g['gate_id']}: {far:.0f} m from {g['station']}"


def test_land_check_catches_water(land: BaseGeometry) -> None:
    # Kaohsiung harbour above the cross-harbour tunnel and the Taiwan Strait off Taichung port are water.
    assert _to_land_m([120.3120, 22.5625], land) > 100.0
    assert _to_land_m([120.4000, 24.2500], land) > 1000.0
    assert _to_land_m([120.3412, 22.5598], land) == 0.0


# --------------------------------------------------------------------------------------- contacts


def test_contacts(contacts: list[dict[str, Any]]) -> None:
    for c in contacts:
        assert set(c) == {"customs_house", "unit_zh", "unit_en", "role_zh", "phone", "hours_zh"}
        assert c["customs_house"] in CUSTOMS_HOUSES | {"national"}
        assert c["unit_zh"].strip() and c["unit_en"].strip() and c["phone"].strip() and c["hours_zh"].strip()
    assert {c["customs_house"] for c in contacts} >= CUSTOMS_HOUSES
    jmc = {c["customs_house"]: c["phone"] for c in contacts if c["unit_zh"].endswith("聯合管理中心")}
    assert set(jmc) == CUSTOMS_HOUSES, "every customs house needs a joint management center entry"
    # Numbers exactly as the source SOPs give them.
    assert jmc["kaohsiung"] == "(07)5628312~5"
    assert jmc["taipei"] == "(03)3834265分機181~2"
    assert jmc["taichung"] == "(04)26571721分機353~5、358"
