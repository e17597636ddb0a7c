"""The fleet picture: lock-on search by prefix, late fixes never move a truck back, lost contact."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from controlroom.services.fleet import FleetPicture, TruckInfo
from controlroom.services.ingest import PositionsMoved, TripChanged

T = datetime(2026, 11, 22, 1, 0, tzinfo=UTC)


def _truck(trip_id: int, cn: str, plate: str, container: str) -> TruckInfo:
    return TruckInfo(
        trip_id=trip_id,
        cn_no=cn,
        plate=plate,
        container_no=container,
        seal_no="S",
        family="vehicle",
        origin="A",
        destination="B",
        trip_state="in_transit",
        deadline=None,
        lat=22.6,
        lon=120.3,
        heading=None,
        last_fix_at=T,
        moved_m=None,
        open_alerts=0,
    )


def _picture() -> FleetPicture:
    picture = FleetPicture()
    picture._trucks = {
        1: _truck(1, "CN26110001", "KLA1234", "CSQU3054383"),
        2: _truck(2, "CN26110002", "KLB5678", "MSKU1234565"),
    }
    return picture


def test_search_by_prefix_of_cn_plate_or_container() -> None:
    picture = _picture()
    assert [t.trip_id for t in picture.search("cn2611000")] == [1, 2]
    assert [t.trip_id for t in picture.search("CN26110002")] == [2]
    assert [t.trip_id for t in picture.search("kla-12")] == [1]
    assert [t.trip_id for t in picture.search("MSKU")] == [2]
    assert picture.search("  ") == []


def test_late_fix_does_not_move_the_truck_back_and_lost_contact_shows() -> None:
    picture = _picture()
    picture.apply([PositionsMoved(((1, 22.61, 120.31, 90.0, T + timedelta(seconds=10)),))])
    picture.apply([PositionsMoved(((1, 22.50, 120.20, 90.0, T + timedelta(seconds=5)),))])  # late
    truck = picture.get(1)
    assert truck is not None and (truck.lat, truck.lon) == (22.61, 120.31)
    assert truck.display_state(T + timedelta(minutes=1)) == "moving"
    assert truck.display_state(T + timedelta(minutes=6)) == "lost"
    picture.apply([PositionsMoved(((1, 22.61001, 120.31001, 90.0, T + timedelta(seconds=20)),))])
    truck = picture.get(1)
    assert truck is not None and truck.display_state(T + timedelta(seconds=30)) == "stopped"


def test_completed_trips_leave_and_unknown_ones_ask_for_a_reload() -> None:
    picture = _picture()
    changed = picture.apply(
        [TripChanged(2, "CN26110002", "completed"), PositionsMoved(((9, 22.6, 120.3, None, T),))]
    )
    assert picture.get(2) is None
    assert 9 in changed and picture.get(9) is None
