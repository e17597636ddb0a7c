"""Reference data as plain JSON-ready rows (GeoJSON geometry) for scripts, audits and the map."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from controlroom.models import Gate, Route, Station


def stations_json(session: Session) -> list[dict[str, Any]]:
    return [
        {
            "code": s.code,
            "name_zh": s.name_zh,
            "name_en": s.name_en,
            "customs_house": s.customs_house.value,
            "kind": s.kind.value,
            "geofence": {"type": "Polygon", "coordinates": [s.geofence]},
        }
        for s in session.scalars(select(Station).order_by(Station.code))
    ]


def routes_json(session: Session) -> list[dict[str, Any]]:
    return [
        {
            "route_id": r.route_id,
            "origin": r.origin,
            "destination": r.destination,
            "name_zh": r.name_zh,
            "name_en": r.name_en,
            "line": {"type": "LineString", "coordinates": r.line},
            "corridor_m": r.corridor_m,
            "allowed_minutes": r.allowed_minutes,
        }
        for r in session.scalars(select(Route).order_by(Route.route_id))
    ]


def gates_json(session: Session) -> list[dict[str, Any]]:
    return [
        {
            "gate_id": g.gate_id,
            "name_zh": g.name_zh,
            "name_en": g.name_en,
            "station": g.station,
            "port_area": g.port_area.value,
            "location": {"type": "Point", "coordinates": [g.lon, g.lat]},
            "inspection_required": g.inspection_required,
        }
        for g in session.scalars(select(Gate).order_by(Gate.gate_id))
    ]
