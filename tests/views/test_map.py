"""The offline map page in a real QWebEngineView: no network, reference layers, live trucks, follow, click."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from pytestqt.qtbot import QtBot

from controlroom.views.map.map_view import MapView, TruckMarker, TruckState
from controlroom.views.map.page import MapOptions, MapReference, build_map_page
from controlroom.views.tasks import TaskRunner

pytestmark = [
    pytest.mark.gui,
    # QtWebEngine's first start on a machine without GPU: it falls back to software rendering
    pytest.mark.qt_log_ignore(
        "QRhiGles2",
        "Failed to create RHI",
        "createPlatformVulkanInstance",
        "QVulkanInstance",
        "GBM is not supported",
        "GPUInfo not initialized",
    ),
]

KAOHSIUNG = (22.585, 120.305)

REFERENCE = MapReference(
    stations=[
        {
            "code": "KHC101",
            "name_zh": "高雄港第一貨櫃中心",
            "name_en": "Terminal 1",
            "geofence": [[120.290, 22.596], [120.294, 22.599], [120.289, 22.603], [120.290, 22.596]],
        },
        {  # the GeoJSON shape storage.reference.stations_json gives
            "code": "KHC103",
            "name_zh": "高雄港第三貨櫃中心",
            "name_en": "Terminal 3",
            "geofence": {
                "type": "Polygon",
                "coordinates": [[[120.30, 22.57], [120.31, 22.57], [120.31, 22.58], [120.30, 22.57]]],
            },
        },
    ],
    routes=[
        {
            "route_id": "R1",
            "name_zh": "一櫃→三櫃",
            "name_en": "T1 to T3",
            "line": [[120.292, 22.599], [120.305, 22.575]],
        }
    ],
    gates=[
        {"gate_id": "G1", "name_zh": "中島管制站", "location": [120.2996, 22.6], "inspection_required": True},
        {
            "gate_id": "G2",
            "name_zh": "三櫃管制站",
            "location": {"type": "Point", "coordinates": [120.306, 22.574]},
            "inspection_required": False,
        },
    ],
)


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_map_page(tmp_path_factory.mktemp("map"), REFERENCE, MapOptions(center=KAOHSIUNG, zoom=13))


@pytest.fixture
def view(qtbot: QtBot, page: Path) -> Iterator[MapView]:
    widget = MapView(update_interval_ms=50)
    qtbot.addWidget(widget)
    widget.resize(800, 600)
    widget.show()
    with qtbot.waitSignal(widget.loaded, timeout=15_000) as blocker:
        widget.load_page(page)
    assert blocker.args == [True]
    yield widget
    widget.shutdown()
    # delete now: a page outliving its profile at interpreter exit makes Qt complain
    widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def js(qtbot: QtBot, view: MapView, script: str) -> Any:
    """Evaluate a script that returns a JSON string and decode it."""
    results: list[object] = []
    view.run_js(script, results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=5_000)
    assert isinstance(results[0], str), f"{script} returned {results[0]!r}"
    return json.loads(results[0])


def truck(trip_id: int, lat: float, lon: float, **changes: Any) -> TruckMarker:
    values: dict[str, Any] = {
        "heading": 90.0,
        "state": TruckState.MOVING,
        "label": f"KLA{trip_id:04d}",
        "age_s": 2.0,
        "alert": False,
    } | changes
    return TruckMarker(trip_id=trip_id, lat=lat, lon=lon, **values)


def push(qtbot: QtBot, view: MapView, markers: list[TruckMarker]) -> None:
    with qtbot.waitSignal(view.batch_pushed, timeout=5_000):
        view.set_trucks(markers)


def test_page_loads_from_local_files_only(qtbot: QtBot, view: MapView) -> None:
    assert js(qtbot, view, "JSON.stringify(L.version)") == "1.9.4"
    assets = js(
        qtbot,
        view,
        "JSON.stringify([...document.querySelectorAll('script[src], link[href]')].map(e => e.src || e.href))",
    )
    assert any(url.endswith("/leaflet/leaflet.js") for url in assets)
    assert all(url.startswith(("file:///", "qrc:///")) for url in assets), assets
    assert view.blocked_requests == []


def test_only_the_site_tile_server_is_reachable(qtbot: QtBot, page: Path) -> None:
    widget = MapView(allowed_url_prefixes=("http://tiles.example.invalid/",))
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.loaded, timeout=15_000):
        widget.load_page(page)
    widget.run_js(
        "new Image().src = 'http://tiles.example.invalid/1/1/1.png';"
        "new Image().src = 'http://elsewhere.example.invalid/track.gif';"
    )
    qtbot.waitUntil(lambda: len(widget.blocked_requests) == 1, timeout=5_000)
    qtbot.wait(100)
    assert widget.blocked_requests == ["http://elsewhere.example.invalid/track.gif"]
    widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_reference_layers_are_drawn(qtbot: QtBot, view: MapView) -> None:
    counts = js(qtbot, view, "fleet.counts()")
    assert counts["stations"] == 2
    assert counts["routes"] == 1
    assert counts["gates"] == 2
    assert counts["land"] >= 1  # the Taiwan land base layer
    labels = js(
        qtbot,
        view,
        "JSON.stringify([...document.querySelectorAll('.cr-station-label')].map(e => e.textContent))",
    )
    assert sorted(labels) == ["高雄港第一貨櫃中心", "高雄港第三貨櫃中心"]
    assert js(qtbot, view, "JSON.stringify(document.querySelectorAll('.cr-gate-inspect').length)") == 1


def test_markers_appear_and_move(qtbot: QtBot, view: MapView) -> None:
    push(qtbot, view, [truck(1, 22.59, 120.30), truck(2, 22.58, 120.31, state=TruckState.STOPPED)])
    assert js(qtbot, view, "fleet.positions()") == {"1": [22.59, 120.30], "2": [22.58, 120.31]}

    push(qtbot, view, [truck(1, 22.595, 120.302)])
    positions = js(qtbot, view, "fleet.positions()")
    assert positions["1"] == [22.595, 120.302]
    assert positions["2"] == [22.58, 120.31]

    with qtbot.waitSignal(view.batch_pushed, timeout=5_000):
        view.remove_trucks([2])
    assert set(js(qtbot, view, "fleet.positions()")) == {"1"}


def test_many_updates_between_ticks_become_one_batch(qtbot: QtBot, view: MapView) -> None:
    before = js(qtbot, view, "fleet.statsJson()")["updates"]
    with qtbot.waitSignal(view.batch_pushed, timeout=5_000):
        for step in range(200):
            view.set_trucks([truck(7, 22.58 + step * 1e-5, 120.30)])
    assert view.stats.count == 1
    qtbot.wait(200)  # a few more ticks: nothing is dirty, nothing is sent
    assert js(qtbot, view, "fleet.statsJson()")["updates"] == before + 1
    assert js(qtbot, view, "fleet.positions()")["7"] == [pytest.approx(22.58 + 199e-5), 120.30]


def test_follow_centres_the_map_on_the_truck(qtbot: QtBot, view: MapView) -> None:
    push(qtbot, view, [truck(3, 22.56, 120.33), truck(4, 22.60, 120.28)])
    with qtbot.waitSignal(view.batch_pushed, timeout=5_000):
        view.follow(3)
    centre = js(qtbot, view, "fleet.view()")
    assert centre["follow"] == 3
    assert (centre["lat"], centre["lon"]) == (pytest.approx(22.56, abs=1e-4), pytest.approx(120.33, abs=1e-4))

    push(qtbot, view, [truck(3, 22.565, 120.335)])
    centre = js(qtbot, view, "fleet.view()")
    assert (centre["lat"], centre["lon"]) == (
        pytest.approx(22.565, abs=1e-4),
        pytest.approx(120.335, abs=1e-4),
    )


def test_clicking_a_marker_reports_its_trip(qtbot: QtBot, view: MapView) -> None:
    push(qtbot, view, [truck(11, 22.58, 120.30), truck(12, 22.59, 120.31, alert=True)])
    with qtbot.waitSignal(view.truck_clicked, timeout=5_000) as blocker:
        view.run_js("fleet.markers.get(12).fire('click', {latlng: fleet.markers.get(12).getLatLng()}, true);")
    assert blocker.args == [12]


def test_lost_contact_label_shows_time_since_last_fix(qtbot: QtBot, view: MapView) -> None:
    push(qtbot, view, [truck(21, 22.58, 120.30, state=TruckState.LOST, heading=None, age_s=754.0)])
    text = js(qtbot, view, "JSON.stringify(fleet.labelOf(21))")
    assert text == "KLA0021 · 失聯 12 分"


def test_page_is_built_off_the_gui_thread(qtbot: QtBot, tmp_path: Path) -> None:
    runner = TaskRunner(workers=1)
    widget = MapView()
    qtbot.addWidget(widget)
    try:
        with qtbot.waitSignal(widget.loaded, timeout=15_000) as blocker:
            widget.build_and_load(runner, REFERENCE, MapOptions(center=KAOHSIUNG), out_dir=tmp_path / "page")
        assert blocker.args == [True]
        assert js(qtbot, widget, "fleet.counts()")["stations"] == 2
    finally:
        runner.shutdown()
        widget.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_a_reloaded_page_gets_every_truck_back(qtbot: QtBot, view: MapView, page: Path) -> None:
    push(qtbot, view, [truck(31, 22.58, 120.30), truck(32, 22.59, 120.31)])
    view.follow(32)
    with qtbot.waitSignal(view.loaded, timeout=15_000):
        view.load_page(page)
    qtbot.waitUntil(lambda: not view.dirty, timeout=5_000)  # the fresh page was given both trucks
    assert set(js(qtbot, view, "fleet.positions()")) == {"31", "32"}
    assert js(qtbot, view, "fleet.view()")["follow"] == 32
