"""Reference data: stations and their geofences, designated routes, gates, operators, thresholds."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from controlroom.models.base import Base, str_enum, utcnow
from controlroom.models.enums import CustomsHouse, StationKind


class Station(Base):
    """A yard, warehouse or terminal; its geofence is a GeoJSON ring of [lon, lat] points."""

    __tablename__ = "stations"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(160))
    customs_house: Mapped[CustomsHouse] = mapped_column(str_enum(CustomsHouse))
    kind: Mapped[StationKind] = mapped_column(str_enum(StationKind))
    geofence: Mapped[list[Any]]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Route(Base):
    """A designated route: polyline of [lon, lat], corridor half-width and allowed minutes."""

    __tablename__ = "routes"

    route_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    origin: Mapped[str] = mapped_column(ForeignKey("stations.code"))
    destination: Mapped[str] = mapped_column(ForeignKey("stations.code"))
    name_zh: Mapped[str] = mapped_column(String(160))
    name_en: Mapped[str] = mapped_column(String(200))
    line: Mapped[list[Any]]
    corridor_m: Mapped[int]
    allowed_minutes: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Gate(Base):
    __tablename__ = "gates"

    gate_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(160))
    station: Mapped[str] = mapped_column(ForeignKey("stations.code"))
    port_area: Mapped[CustomsHouse] = mapped_column(str_enum(CustomsHouse))
    lon: Mapped[float]
    lat: Mapped[float]
    inspection_required: Mapped[bool]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ContactWindow(Base):
    """Whom to call: the JMC and gate contact windows per customs house [001 附件三]."""

    __tablename__ = "contact_windows"

    id: Mapped[int] = mapped_column(primary_key=True)
    customs_house: Mapped[str] = mapped_column(String(24))  # a customs house, or "national"
    unit_zh: Mapped[str] = mapped_column(String(120))
    unit_en: Mapped[str] = mapped_column(String(160))
    role_zh: Mapped[str] = mapped_column(String(120), default="")
    phone: Mapped[str] = mapped_column(String(64))
    hours_zh: Mapped[str] = mapped_column(String(120), default="")


class Operator(Base):
    """A yard's responsible person or an officer who reads seals with the phone app."""

    __tablename__ = "operators"

    operator_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(80), default="")
    stations: Mapped[list[OperatorStation]] = relationship(
        back_populates="operator", cascade="all, delete-orphan"
    )


class OperatorStation(Base):
    """The stations an operator may act for (S4 checks entry reads against this)."""

    __tablename__ = "operator_stations"

    operator_id: Mapped[str] = mapped_column(ForeignKey("operators.operator_id"), primary_key=True)
    station: Mapped[str] = mapped_column(ForeignKey("stations.code"), primary_key=True)
    operator: Mapped[Operator] = relationship(back_populates="stations")


class Threshold(Base):
    """An administrator-editable rule threshold (minutes, metres, percent…)."""

    __tablename__ = "thresholds"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[float]
    unit: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
