"""Shifts and shift handovers of open cases [000 附件 四(三)1]."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from controlroom.models.base import Base, utcnow


class Shift(Base):
    __tablename__ = "shifts"

    id: Mapped[int] = mapped_column(primary_key=True)
    customs_house: Mapped[str] = mapped_column(String(16))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    officer: Mapped[str] = mapped_column(String(64))


class Handover(Base):
    __tablename__ = "handovers"

    id: Mapped[int] = mapped_column(primary_key=True)
    from_shift_id: Mapped[int] = mapped_column(ForeignKey("shifts.id"))
    to_shift_id: Mapped[int | None] = mapped_column(ForeignKey("shifts.id"))
    handed_by: Mapped[str] = mapped_column(String(64))
    received_by: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    received_at: Mapped[datetime | None]
    note: Mapped[str] = mapped_column(Text, default="")


class HandoverItem(Base):
    """An open case carried over, with what the next shift must do about it."""

    __tablename__ = "handover_items"

    handover_id: Mapped[int] = mapped_column(ForeignKey("handovers.id"), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    note: Mapped[str] = mapped_column(Text, default="")
