"""Vehicles, vehicle units, drivers and the seal registry with its lifecycle."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from controlroom.models.base import Base, str_enum, utcnow
from controlroom.models.enums import SealLifecycle, SealType


class Vehicle(Base):
    __tablename__ = "vehicles"

    plate: Mapped[str] = mapped_column(String(16), primary_key=True)  # normalised: no dash, upper case
    tool_type: Mapped[int | None]  # G14E4 transport tool type 1–7
    company: Mapped[str] = mapped_column(String(120), default="")


class VehicleUnit(Base):
    """The 車載機 in the tractor cab."""

    __tablename__ = "vehicle_units"

    unit_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    plate: Mapped[str | None] = mapped_column(ForeignKey("vehicles.plate"))
    last_seen_at: Mapped[datetime | None]


class Driver(Base):
    """A registered driver. The ID is personal data: stored here, masked on every screen, never logged."""

    __tablename__ = "drivers"

    id: Mapped[int] = mapped_column(primary_key=True)
    national_id: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:  # never echo the ID
        return f"Driver(id={self.id})"


class Seal(Base):
    """A physical seal of any family, with its registry lifecycle."""

    __tablename__ = "seals"

    seal_no: Mapped[str] = mapped_column(String(32), primary_key=True)
    seal_type: Mapped[SealType] = mapped_column(str_enum(SealType))
    lifecycle: Mapped[SealLifecycle] = mapped_column(
        str_enum(SealLifecycle), default=SealLifecycle.IN_SERVICE
    )
    fault_cause: Mapped[str | None] = mapped_column(Text)
    registered_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SealRegistryEvent(Base):
    """Every lifecycle change of a seal (diagnosis, repair, scrapping with the fault cause)."""

    __tablename__ = "seal_registry_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    seal_no: Mapped[str] = mapped_column(ForeignKey("seals.seal_no"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    from_state: Mapped[SealLifecycle | None] = mapped_column(str_enum(SealLifecycle))
    to_state: Mapped[SealLifecycle] = mapped_column(str_enum(SealLifecycle))
    actor: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
