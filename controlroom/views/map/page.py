"""Build the offline map page (folium → one HTML file beside local Leaflet and fleet.js).

Pure file work with no Qt: run it on a worker thread (views.tasks.TaskRunner) or once before the window
shows. Leaflet and the land base layer are generated at set-up into resources/web/ and resources/basemap/
(packaging/build_map_assets.py); nothing is fetched from the network.
"""

from __future__ import annotations

import html
import json
import logging
import shutil
from dataclasses import dataclass, field
from importlib import resources as package_resources
from pathlib import Path
from typing import Any

import folium
import platformdirs
from branca.element import Element, MacroElement
from jinja2 import Template

from controlroom.resources import resource_dir, resource_path
from controlroom.views import theme

logger = logging.getLogger(__name__)

PAGE_NAME = "map.html"
WATER = "#cfdbe4"
LAND_FILL = "#f3f3f1"
LAND_EDGE = "#b4b9bf"
STATION_EDGE = "#4a5058"
ROUTE_LINE = "#7d848c"

TAIWAN_CENTER = (23.65, 120.95)


@dataclass(frozen=True, slots=True)
class MapReference:
    """Reference layers for the map, rows as `storage.reference` returns them (or as shipped JSON)."""

    stations: list[dict[str, Any]] = field(default_factory=list)
    routes: list[dict[str, Any]] = field(default_factory=list)
    gates: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class MapOptions:
    center: tuple[float, float] = TAIWAN_CENTER
    zoom: int = 8
    language: str = "zh"  # which name field labels use: name_zh or name_en
    tile_url: str | None = None  # an XYZ tile server of the site, e.g. "http://tiles.local/{z}/{x}/{y}.png"
    tile_attribution: str = ""
    station_label_zoom: int = 11


def default_page_dir() -> Path:
    """Where the application writes its map page: the user cache directory (rebuilt at every start)."""
    return Path(platformdirs.user_cache_dir("controlroom", appauthor=False)) / "map"


def reference_from_files(directory: Path | None = None) -> MapReference:
    """The shipped reference layers (resources/reference/*.json); a missing file gives an empty layer."""
    folder = directory or resource_dir() / "reference"

    def rows(name: str, key: str) -> list[dict[str, Any]]:
        path = folder / name
        if not path.exists():
            return []
        with path.open(encoding="utf-8") as handle:
            loaded: list[dict[str, Any]] = json.load(handle)[key]
        return loaded

    return MapReference(
        stations=rows("stations.json", "stations"),
        routes=rows("routes.json", "routes"),
        gates=rows("gates.json", "gates"),
    )


def _geometry(value: Any, kind: str) -> dict[str, Any]:
    """Accept a GeoJSON geometry or the bare coordinates the reference files hold."""
    if isinstance(value, dict):
        return value
    if kind == "Polygon" and value and isinstance(value[0][0], int | float):
        value = [value]  # a single ring
    return {"type": kind, "coordinates": value}


def _name(row: dict[str, Any], language: str) -> str:
    return str(row.get(f"name_{language}") or row.get("name_zh") or row.get("name_en") or "")


def _collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}


def _stations(rows: list[dict[str, Any]], language: str) -> dict[str, Any]:
    return _collection(
        [
            {
                "type": "Feature",
                "geometry": _geometry(row["geofence"], "Polygon"),
                "properties": {"code": row["code"], "label": _name(row, language)},
            }
            for row in rows
        ]
    )


def _routes(rows: list[dict[str, Any]], language: str) -> dict[str, Any]:
    return _collection(
        [
            {
                "type": "Feature",
                "geometry": _geometry(row["line"], "LineString"),
                "properties": {"route_id": row["route_id"], "label": _name(row, language)},
            }
            for row in rows
        ]
    )


def _gate_marker(row: dict[str, Any], language: str) -> folium.Marker:
    location = row["location"]
    lon, lat = location["coordinates"] if isinstance(location, dict) else location
    inspection = bool(row.get("inspection_required"))
    css = "cr-gate cr-gate-inspect" if inspection else "cr-gate"
    glyph = ("檢" if inspection else "門") if language == "zh" else ("X" if inspection else "G")
    text = html.escape(_name(row, language)).replace("`", "'").replace("$", "＄")
    if inspection:
        text += " · " + ("需儀檢" if language == "zh" else "inspection required")
    return folium.Marker(
        location=(float(lat), float(lon)),
        icon=folium.DivIcon(html=glyph, icon_size=(18, 18), icon_anchor=(9, 9), class_name=css),
        tooltip=folium.Tooltip(text, sticky=False, direction="top"),
    )


class _Attach(MacroElement):
    """Hands the map and its reference layers to fleet.js, after all of them exist."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "fleet.attach({{ this._parent.get_name() }}, {{ this.config }}, {{ this.layers }});"
        "{% endmacro %}"
    )

    def __init__(self, config: dict[str, Any], layers: dict[str, str]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "FleetAttach"
        self.config = json.dumps(config, ensure_ascii=False).replace("</", "<\\/")
        self.layers = "{" + ",".join(f"{key}: {name}" for key, name in layers.items()) + "}"


def _page_css() -> str:
    return f"""<style>
html, body {{ background: {WATER}; }}
.folium-map.leaflet-container {{ background: {WATER};
  font-family: "Noto Sans CJK TC", "Noto Sans TC", "Microsoft JhengHei", sans-serif; }}
.cr-station-label {{ background: rgba(255,255,255,0.75); border: none; box-shadow: none;
  color: {theme.TEXT}; font-size: 12px; padding: 0 4px; }}
.cr-station-label::before {{ display: none; }}
.cr-far .cr-station-label {{ display: none; }}
.cr-gate {{ background: #ffffff; border: 1.5px solid {theme.TEXT}; box-sizing: border-box;
  color: {theme.TEXT}; font-size: 12px; line-height: 15px; text-align: center; font-weight: bold; }}
.cr-gate-inspect {{ background: {theme.TEXT}; color: #ffffff; border-radius: 50%; }}
</style>"""


def _land(layer_name: str) -> folium.GeoJson | None:
    try:
        path = resource_path("basemap", "taiwan_land.geojson")
    except FileNotFoundError:
        logger.warning("no land base layer; run the set-up command to build the map assets")
        return None
    return folium.GeoJson(
        path.read_text(encoding="utf-8"),
        name=layer_name,
        style_function=lambda _feature: {
            "fillColor": LAND_FILL,
            "fillOpacity": 1.0,
            "color": LAND_EDGE,
            "weight": 1,
        },
        interactive=False,
        smooth_factor=0.5,
    )


def _attribution() -> str:
    try:
        return resource_path("basemap", "ATTRIBUTION.txt").read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return ""


def _texts(language: str) -> dict[str, Any]:
    if language == "zh":
        return {
            "seconds": "秒",
            "minutes": "分",
            "hours": "時",
            "alert": "警示中",
            "lastFix": "最後定位",
            "states": {"moving": "行駛中", "stopped": "停車", "lost": "失聯"},
        }
    return {
        "seconds": "s",
        "minutes": "min",
        "hours": "h",
        "alert": "alert open",
        "lastFix": "last fix",
        "states": {"moving": "moving", "stopped": "stopped", "lost": "lost contact"},
    }


def render_map_html(reference: MapReference, options: MapOptions | None = None) -> str:
    """The page as HTML; its asset links are relative to the folder `build_map_page` writes."""
    options = options or MapOptions()
    fmap = folium.Map(
        location=options.center,
        zoom_start=options.zoom,
        tiles=None,
        prefer_canvas=True,
        control_scale=True,
        min_zoom=6,
        max_zoom=18,
    )
    fmap.default_js = [
        ("leaflet", "leaflet/leaflet.js"),
        ("qwebchannel", "qrc:///qtwebchannel/qwebchannel.js"),
        ("fleet", "fleet.js"),
    ]
    fmap.default_css = [("leaflet_css", "leaflet/leaflet.css")]
    figure: Any = fmap.get_root()
    figure.header.add_child(Element(_page_css()), name="controlroom_css")

    layers: dict[str, str] = {}
    land = _land("land")
    if land is not None:
        land.add_to(fmap)
        layers["land"] = land.get_name()
    attribution = _attribution()
    if options.tile_url:
        tiles = folium.TileLayer(tiles=options.tile_url, attr=options.tile_attribution or " ", name="tiles")
        tiles.add_to(fmap)
    stations = folium.GeoJson(
        _stations(reference.stations, options.language),
        name="stations",
        style_function=lambda _feature: {
            "color": STATION_EDGE,
            "weight": 2,
            "dashArray": "6 4",
            "fillColor": STATION_EDGE,
            "fillOpacity": 0.08,
        },
    ).add_to(fmap)
    routes = folium.GeoJson(
        _routes(reference.routes, options.language),
        name="routes",
        style_function=lambda _feature: {"color": ROUTE_LINE, "weight": 3, "opacity": 0.8},
    ).add_to(fmap)
    gates = folium.FeatureGroup(name="gates").add_to(fmap)
    for row in reference.gates:
        _gate_marker(row, options.language).add_to(gates)
    layers |= {"stations": stations.get_name(), "routes": routes.get_name(), "gates": gates.get_name()}
    config = {
        "attribution": attribution,
        "stationLabelZoom": options.station_label_zoom,
        "colours": {
            "normal": theme.NORMAL,
            "text": theme.TEXT,
            "alarmHigh": theme.ALARM_HIGH,
            "alarmMedium": theme.ALARM_MEDIUM,
            "alarmLow": theme.ALARM_LOW,
        },
        "text": _texts(options.language),
    }
    _Attach(config, layers).add_to(fmap)
    rendered: str = figure.render()
    return rendered


def _copy_if_changed(source: Path, target: Path) -> None:
    same_size = target.exists() and target.stat().st_size == source.stat().st_size
    if same_size and target.read_bytes() == source.read_bytes():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)


def build_map_page(out_dir: Path, reference: MapReference, options: MapOptions | None = None) -> Path:
    """Write map.html, fleet.js and the Leaflet assets into `out_dir`; return the page to load."""
    out_dir.mkdir(parents=True, exist_ok=True)
    leaflet = resource_path("web", "leaflet")
    for source in sorted(leaflet.rglob("*")):
        if source.is_file():
            _copy_if_changed(source, out_dir / "leaflet" / source.relative_to(leaflet))
    fleet_js = package_resources.files("controlroom.views.map").joinpath("fleet.js").read_bytes()
    target = out_dir / "fleet.js"
    if not target.exists() or target.read_bytes() != fleet_js:
        target.write_bytes(fleet_js)
    page = out_dir / PAGE_NAME
    tmp = page.with_suffix(".tmp")
    tmp.write_text(render_map_html(reference, options), encoding="utf-8")
    tmp.replace(page)
    return page
