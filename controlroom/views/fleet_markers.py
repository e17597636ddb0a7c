"""Map markers from the fleet picture: what each truck looks like on the map right now."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from controlroom.services.fleet import TruckInfo
from controlroom.views.map.map_view import TruckMarker, TruckState


def _map_state(state: str) -> TruckState:
    """A passive-seal trip has no live track: where it was last read, it is drawn as standing."""
    return TruckState.STOPPED if state == "untracked" else TruckState(state)


def truck_markers(trucks: Iterable[TruckInfo], now: datetime) -> list[TruckMarker]:
    """One marker per truck with a known position; trucks never fixed yet are not drawn."""
    markers = []
    for truck in trucks:
        if truck.lat is None or truck.lon is None:
            continue
        age = (now - truck.last_fix_at).total_seconds() if truck.last_fix_at else 1e9
        markers.append(
            TruckMarker(
                trip_id=truck.trip_id,
                lat=truck.lat,
                lon=truck.lon,
                heading=truck.heading,
                state=_map_state(truck.display_state(now)),
                label=truck.plate,
                age_s=max(0.0, age),
                alert=truck.open_alerts > 0,
            )
        )
    return markers
