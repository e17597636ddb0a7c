"""Alerts raised by the rules, with their occurrences; one open alert per code and trip."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from controlroom.models.base import Base, BigId, str_enum
from controlroom.models.enums import AlertStatus


class Alert(Base):
    __tablename__ = "alerts"
    __table_args__ = (
        Index("ix_alerts_status_raised", "status", "raised_at"),
        Index("ix_alerts_trip_code", "trip_id", "code"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    code: Mapped[str] = mapped_column(String(24), index=True)
    family: Mapped[str] = mapped_column(String(8))
    severity: Mapped[str] = mapped_column(String(8))
    side: Mapped[str] = mapped_column(String(12))
    status: Mapped[AlertStatus] = mapped_column(str_enum(AlertStatus), default=AlertStatus.UNACKNOWLEDGED)
    trip_id: Mapped[int | None] = mapped_column(ForeignKey("trips.id"))
    cn_no: Mapped[str | None] = mapped_column(String(32), index=True)
    container_no: Mapped[str | None] = mapped_column(String(11))
    plate: Mapped[str | None] = mapped_column(String(16))
    seal_no: Mapped[str | None] = mapped_column(String(32))
    unit_id: Mapped[str | None] = mapped_column(String(32))
    origin: Mapped[str | None] = mapped_column(String(16))
    destination: Mapped[str | None] = mapped_column(String(16))
    raised_at: Mapped[datetime] = mapped_column(index=True)  # history pages newest first
    last_occurrence_at: Mapped[datetime]
    occurrences: Mapped[int] = mapped_column(default=1)
    # The facts the playbook needs: track excerpt, unsealed normally, images present, handling side…
    facts: Mapped[dict[str, Any]]
    # A consequence points at its cause (a seal's loss of contact after the unit lost power).
    caused_by_id: Mapped[int | None] = mapped_column(ForeignKey("alerts.id"))
    acknowledged_by: Mapped[str | None] = mapped_column(String(64))
    acknowledged_at: Mapped[datetime | None]
    ack_note: Mapped[str | None] = mapped_column(Text)
    shelved_until: Mapped[datetime | None]
    shelve_reason: Mapped[str | None] = mapped_column(Text)
    assignee: Mapped[str | None] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class AlertOccurrence(Base):
    __tablename__ = "alert_occurrences"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id"), index=True)
    at: Mapped[datetime]
    detail: Mapped[dict[str, Any]]
