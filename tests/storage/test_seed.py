"""Reference data seeding is idempotent, keeps an administrator's edits, and is served as GeoJSON."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from controlroom.cli import main
from controlroom.models import Gate, Route, Station, Threshold
from controlroom.storage.database import Database
from controlroom.storage.seed import seed_reference_data


def _counts(database: Database) -> tuple[int, ...]:
    with database.transaction() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(m)) or 0
            for m in (Station, Route, Gate, Threshold)
        )


def test_seeding_twice_changes_nothing_and_keeps_edits(database: Database) -> None:
    before = _counts(database)
    assert before[0] >= 16 and before[1] >= 12 and before[2] >= 10
    with database.transaction() as session:
        station = session.scalars(select(Station).order_by(Station.code)).first()
        assert station is not None
        code = station.code
        station.name_zh = "管理員修改的名稱"
        session.get(Threshold, "lost_contact_minutes").value = 7  # type: ignore[union-attr]
    with database.transaction() as session:
        report = seed_reference_data(session)
    assert report.inserted == {} and report.updated == {}
    assert _counts(database) == before
    with database.transaction() as session:
        assert session.get(Station, code).name_zh == "管理員修改的名稱"  # type: ignore[union-attr]
        assert session.get(Threshold, "lost_contact_minutes").value == 7  # type: ignore[union-attr]
        seed_reference_data(session, overwrite=True)
    with database.transaction() as session:
        assert session.get(Station, code).name_zh != "管理員修改的名稱"  # type: ignore[union-attr]


def test_reference_commands_emit_geojson(database: Database, capsys: pytest.CaptureFixture[str]) -> None:
    url = database.engine.url.render_as_string(hide_password=False)
    assert main(["stations", "--json", "--db", url]) == 0
    stations = json.loads(capsys.readouterr().out)
    houses = {s["customs_house"] for s in stations}
    assert houses == {"keelung", "taipei", "taichung", "kaohsiung"}
    ring = stations[0]["geofence"]["coordinates"][0]
    assert stations[0]["geofence"]["type"] == "Polygon" and ring[0] == ring[-1]

    assert main(["routes", "--json", "--db", url]) == 0
    routes = json.loads(capsys.readouterr().out)
    codes = {s["code"] for s in stations}
    for route in routes:
        assert route["line"]["type"] == "LineString"
        assert {route["origin"], route["destination"]} <= codes
        assert route["corridor_m"] > 0 and route["allowed_minutes"] > 0

    assert main(["gates", "--json", "--db", url]) == 0
    gates = json.loads(capsys.readouterr().out)
    assert {g["inspection_required"] for g in gates} == {True, False}
    assert all(g["station"] in codes for g in gates)
