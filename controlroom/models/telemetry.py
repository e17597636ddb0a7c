"""What devices report, stored under each observation's own `ts` (late and out-of-order data is normal)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from controlroom.models.base import Base, BigId, utcnow


class PositionReport(Base):
    __tablename__ = "position_reports"
    __table_args__ = (
        Index("ix_position_reports_unit_ts", "unit_id", "ts"),
        Index("ix_position_reports_trip_ts", "trip_id", "ts"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    unit_id: Mapped[str] = mapped_column(String(32))
    trip_id: Mapped[int | None] = mapped_column(ForeignKey("trips.id"))
    ts: Mapped[datetime]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    lat: Mapped[float]
    lon: Mapped[float]
    speed_kmh: Mapped[float]
    heading_deg: Mapped[float | None]
    fix: Mapped[str] = mapped_column(String(8))
    power: Mapped[str] = mapped_column(String(8))


class SealStatusReport(Base):
    __tablename__ = "seal_status_reports"
    __table_args__ = (Index("ix_seal_status_reports_seal_ts", "seal_no", "ts"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    seal_no: Mapped[str] = mapped_column(String(32))
    trip_id: Mapped[int | None] = mapped_column(ForeignKey("trips.id"), index=True)
    ts: Mapped[datetime]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    state: Mapped[str] = mapped_column(String(12))
    pin: Mapped[str] = mapped_column(String(8))
    tamper: Mapped[bool]
    battery_pct: Mapped[int]
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    unit_id: Mapped[str | None] = mapped_column(String(32))
    link: Mapped[str] = mapped_column(String(8))


class DeviceEvent(Base):
    """Events of vehicle units and vehicle seals (power removed, locked, unlocked…)."""

    __tablename__ = "device_events"
    __table_args__ = (Index("ix_device_events_device_ts", "device_kind", "device_id", "ts"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    device_kind: Mapped[str] = mapped_column(String(8))  # "unit" | "seal"
    device_id: Mapped[str] = mapped_column(String(32))
    trip_id: Mapped[int | None] = mapped_column(ForeignKey("trips.id"), index=True)
    seq: Mapped[int | None] = mapped_column(BigInteger)
    ts: Mapped[datetime]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    event: Mapped[str] = mapped_column(String(24))
    detail: Mapped[dict[str, Any]]


class GatePassage(Base):
    __tablename__ = "gate_passages"
    __table_args__ = (Index("ix_gate_passages_plate_ts", "plate", "ts"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    gate_id: Mapped[str] = mapped_column(ForeignKey("gates.gate_id"))
    trip_id: Mapped[int | None] = mapped_column(ForeignKey("trips.id"), index=True)
    ts: Mapped[datetime]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    direction: Mapped[str] = mapped_column(String(4))
    plate: Mapped[str] = mapped_column(String(16))
    container_no: Mapped[str] = mapped_column(String(11))
    inspected: Mapped[bool]


class PassiveRead(Base):
    """A passive / e-paper seal read with the phone app (exit, arrival or read-only)."""

    __tablename__ = "passive_reads"
    __table_args__ = (Index("ix_passive_reads_seal_ts", "seal_no", "ts"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    seal_no: Mapped[str] = mapped_column(String(32))
    trip_id: Mapped[int | None] = mapped_column(ForeignKey("trips.id"), index=True)
    ts: Mapped[datetime]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    op: Mapped[str] = mapped_column(String(12))
    station: Mapped[str] = mapped_column(ForeignKey("stations.code"))
    operator_id: Mapped[str] = mapped_column(String(32))
    cn_no: Mapped[str] = mapped_column(String(32))
    photo_id: Mapped[str | None] = mapped_column(String(64))
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    location_tag: Mapped[str | None] = mapped_column(String(64))
