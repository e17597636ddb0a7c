"""CN transport notes with their revision history, and the monitored trips they start."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from controlroom.models.base import Base, str_enum, utcnow
from controlroom.models.enums import CNAction, CNStatus, SealFamily, SealType, TripState


class CNNote(Base):
    """The core record: binds driver, vehicle and container [002]. Holds the current revision."""

    __tablename__ = "cn_notes"

    cn_no: Mapped[str] = mapped_column(String(32), primary_key=True)
    status: Mapped[CNStatus] = mapped_column(str_enum(CNStatus), default=CNStatus.ACTIVE)
    container_no: Mapped[str] = mapped_column(String(11), index=True)
    plate: Mapped[str] = mapped_column(String(16), index=True)
    driver_id: Mapped[int | None] = mapped_column(ForeignKey("drivers.id"))
    origin: Mapped[str] = mapped_column(ForeignKey("stations.code"))
    destination: Mapped[str] = mapped_column(ForeignKey("stations.code"))
    seal_type: Mapped[SealType] = mapped_column(str_enum(SealType))
    seal_no: Mapped[str] = mapped_column(String(32), index=True)
    tool_type: Mapped[int]
    deadline: Mapped[datetime | None]
    route_id: Mapped[str | None] = mapped_column(ForeignKey("routes.route_id"))
    vehicle_seal_confirmed: Mapped[bool] = mapped_column(default=False)
    revision: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class CNRevision(Base):
    """One new/replace/cancel as received, kept forever (the driver ID is not copied here)."""

    __tablename__ = "cn_revisions"
    __table_args__ = (UniqueConstraint("cn_no", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cn_no: Mapped[str] = mapped_column(ForeignKey("cn_notes.cn_no"))
    revision: Mapped[int]
    action: Mapped[CNAction] = mapped_column(str_enum(CNAction))
    ts: Mapped[datetime]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    accepted: Mapped[bool] = mapped_column(default=True)
    refusal: Mapped[str | None] = mapped_column(String(200))
    fields: Mapped[dict[str, Any]]


class Trip(Base):
    """A monitored trip, from sealing (or exit) until unsealing in the destination, or the arrival read."""

    __tablename__ = "trips"
    __table_args__ = (Index("ix_trips_state_deadline", "state", "deadline"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cn_no: Mapped[str] = mapped_column(ForeignKey("cn_notes.cn_no"), index=True)
    family: Mapped[SealFamily] = mapped_column(str_enum(SealFamily))
    state: Mapped[TripState] = mapped_column(str_enum(TripState), default=TripState.PLANNED)
    container_no: Mapped[str] = mapped_column(String(11), index=True)
    plate: Mapped[str] = mapped_column(String(16), index=True)
    seal_no: Mapped[str] = mapped_column(String(32), index=True)
    unit_id: Mapped[str | None] = mapped_column(String(32), index=True)
    origin: Mapped[str] = mapped_column(ForeignKey("stations.code"))
    destination: Mapped[str] = mapped_column(ForeignKey("stations.code"))
    route_id: Mapped[str | None] = mapped_column(ForeignKey("routes.route_id"))
    deadline: Mapped[datetime | None]
    sealed_at: Mapped[datetime | None]
    sealing_photo_id: Mapped[str | None] = mapped_column(String(64))
    exit_at: Mapped[datetime | None]
    exit_photo_id: Mapped[str | None] = mapped_column(String(64))
    arrived_at: Mapped[datetime | None]
    arrival_photo_id: Mapped[str | None] = mapped_column(String(64))
    unsealed_at: Mapped[datetime | None]
    unseal_method: Mapped[str | None] = mapped_column(String(16))
    completed_at: Mapped[datetime | None]
    last_lat: Mapped[float | None]
    last_lon: Mapped[float | None]
    last_fix_at: Mapped[datetime | None]
    # Rule state, kept here so that a restart mid-trip continues where it stopped.
    active_from: Mapped[datetime | None]  # sealing, or exit / exit read when there was none
    seal_state: Mapped[str | None] = mapped_column(String(12))  # newest seal report's state (by ts)
    last_seal_at: Mapped[datetime | None]  # newest seal observation (status or event), by ts
    last_unit_at: Mapped[datetime | None]  # newest vehicle-unit observation, by ts
    gate_in_at: Mapped[datetime | None]  # first gate `in` passage at the destination
    # Alerts already raised for clock rules and streaks (silences, runs), see controlroom.rules.
    rule_state: Mapped[dict[str, Any]] = mapped_column(default=dict)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
