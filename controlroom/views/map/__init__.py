"""The live map: an offline Leaflet page (folium) in a QWebEngineView, fed in batches on a timer.

`page.build_map_page` writes the page (pure file work: run it off the GUI thread); `MapView` loads it
and takes truck states through `set_trucks`.
"""

from controlroom.views.map.map_view import MapView, TruckMarker, TruckState, UpdateStats
from controlroom.views.map.page import MapOptions, MapReference, build_map_page, reference_from_files

__all__ = [
    "MapOptions",
    "MapReference",
    "MapView",
    "TruckMarker",
    "TruckState",
    "UpdateStats",
    "build_map_page",
    "reference_from_files",
]
