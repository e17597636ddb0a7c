"""Idempotent seeding of reference data from the JSON files shipped in resources/reference.

Rows that already exist are left alone (an administrator may have edited them) unless
`overwrite=True`; running the seed twice changes nothing.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from controlroom.models import ContactWindow, Gate, Route, Station, Threshold
from controlroom.models.base import Base
from controlroom.models.enums import CustomsHouse, StationKind
from controlroom.resources import resource_path

logger = logging.getLogger(__name__)


@dataclass
class SeedReport:
    inserted: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)


def _load(directory: Path, name: str, key: str) -> list[dict[str, Any]]:
    with (directory / name).open(encoding="utf-8") as handle:
        rows: list[dict[str, Any]] = json.load(handle)[key]
    return rows


def _station(row: dict[str, Any]) -> Station:
    return Station(
        code=row["code"],
        name_zh=row["name_zh"],
        name_en=row["name_en"],
        customs_house=CustomsHouse(row["customs_house"]),
        kind=StationKind(row["kind"]),
        geofence=row["geofence"],
    )


def _route(row: dict[str, Any]) -> Route:
    return Route(
        route_id=row["route_id"],
        origin=row["origin"],
        destination=row["destination"],
        name_zh=row["name_zh"],
        name_en=row["name_en"],
        line=row["line"],
        corridor_m=int(row["corridor_m"]),
        allowed_minutes=int(row["allowed_minutes"]),
    )


def _gate(row: dict[str, Any]) -> Gate:
    lon, lat = row["location"]
    return Gate(
        gate_id=row["gate_id"],
        name_zh=row["name_zh"],
        name_en=row["name_en"],
        station=row["station"],
        port_area=CustomsHouse(row["port_area"]),
        lon=float(lon),
        lat=float(lat),
        inspection_required=bool(row["inspection_required"]),
    )


def _threshold(row: dict[str, Any]) -> Threshold:
    return Threshold(key=row["key"], value=float(row["value"]), unit=row["unit"])


def _upsert(
    session: Session,
    rows: Iterable[dict[str, Any]],
    build: Callable[[dict[str, Any]], Base],
    report: SeedReport,
    overwrite: bool,
) -> None:
    for row in rows:
        obj = build(row)
        table = obj.__tablename__
        mapper = obj.__mapper__
        identity = mapper.primary_key_from_instance(obj)
        existing = session.get(type(obj), identity)
        if existing is None:
            session.add(obj)
            report.inserted[table] = report.inserted.get(table, 0) + 1
        elif overwrite:
            session.merge(obj)
            report.updated[table] = report.updated.get(table, 0) + 1
        session.flush()


def _seed_contacts(session: Session, directory: Path, report: SeedReport) -> None:
    """Contact windows have no natural key; they are inserted once, when the table is empty."""
    if session.query(ContactWindow.id).first() is not None:
        return
    for row in _load(directory, "contacts.json", "contacts"):
        session.add(
            ContactWindow(
                customs_house=str(row["customs_house"]),
                unit_zh=row["unit_zh"],
                unit_en=row.get("unit_en", ""),
                role_zh=row.get("role_zh", ""),
                phone=row["phone"],
                hours_zh=row.get("hours_zh", ""),
            )
        )
        report.inserted["contact_windows"] = report.inserted.get("contact_windows", 0) + 1


def seed_reference_data(
    session: Session, directory: Path | None = None, overwrite: bool = False
) -> SeedReport:
    directory = directory or resource_path("reference")
    report = SeedReport()
    _upsert(session, _load(directory, "stations.json", "stations"), _station, report, overwrite)
    _upsert(session, _load(directory, "routes.json", "routes"), _route, report, overwrite)
    _upsert(session, _load(directory, "gates.json", "gates"), _gate, report, overwrite)
    _upsert(session, _load(directory, "thresholds.json", "thresholds"), _threshold, report, overwrite)
    _seed_contacts(session, directory, report)
    logger.info("seeded reference data: inserted %s updated %s", report.inserted, report.updated)
    return report
