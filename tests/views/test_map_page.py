"""The map page as files: local assets only, reference layers in both shapes, names escaped."""

from __future__ import annotations

import re
from pathlib import Path

from controlroom.views.map.page import MapOptions, MapReference, build_map_page, reference_from_files

STATION = {
    "code": "X1",
    "name_zh": "測試站</script><b>",
    "name_en": "Test",
    "geofence": [[120.3, 22.6], [120.31, 22.6], [120.31, 22.61], [120.3, 22.6]],
}
GATE = {"gate_id": "G", "name_zh": "門`${alert(1)}`", "location": [120.3, 22.6], "inspection_required": True}


def test_page_references_only_local_assets(tmp_path: Path) -> None:
    page = build_map_page(tmp_path, MapReference(stations=[STATION], gates=[GATE]))
    html = page.read_text(encoding="utf-8")
    assert page.name == "map.html"
    assert (tmp_path / "leaflet" / "leaflet.js").is_file()
    assert (tmp_path / "leaflet" / "images" / "layers.png").is_file()
    assert (tmp_path / "fleet.js").is_file()
    assert not re.search(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}/", html, flags=re.IGNORECASE)
    for dropped in ("jquery", "bootstrap", "awesome-markers", "font-awesome", "fontawesome"):
        assert dropped not in html.lower()
    assert '<script src="leaflet/leaflet.js"></script>' in html
    assert "qrc:///qtwebchannel/qwebchannel.js" in html
    assert "OpenStreetMap contributors" in html and "ODbL" in html


def test_names_cannot_break_out_of_the_page(tmp_path: Path) -> None:
    html = build_map_page(tmp_path, MapReference(stations=[STATION], gates=[GATE])).read_text(
        encoding="utf-8"
    )
    assert "</script><b>" not in html
    assert "${alert(1)}" not in html


def test_site_tile_server_is_optional(tmp_path: Path) -> None:
    options = MapOptions(tile_url="http://tiles.site.internal/{z}/{x}/{y}.png", tile_attribution="site")
    html = build_map_page(tmp_path, MapReference(), options).read_text(encoding="utf-8")
    assert "http://tiles.site.internal/{z}/{x}/{y}.png" in html
    assert "L.tileLayer" in html


def test_shipped_reference_files_load() -> None:
    reference = reference_from_files()
    for row in reference.stations:
        assert {"code", "name_zh", "geofence"} <= set(row)
    for row in reference.gates:
        assert "location" in row
