"""Cases: the handling of one alert through the SOP playbook to sign-off and closure."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from controlroom.models.base import Base, str_enum, utcnow
from controlroom.models.enums import CaseStatus, SignOffDecision


class Case(Base):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id"), unique=True)
    status: Mapped[CaseStatus] = mapped_column(str_enum(CaseStatus), default=CaseStatus.OPEN)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    opened_by: Mapped[str] = mapped_column(String(64))
    assignee: Mapped[str | None] = mapped_column(String(64))
    current_step: Mapped[str | None] = mapped_column(String(48))
    # Evidence decides the sign-off level [001 附件一 二].
    system_images: Mapped[bool] = mapped_column(default=False)
    cctv_captured: Mapped[bool] = mapped_column(default=False)
    cargo_traced: Mapped[bool] = mapped_column(default=False)
    required_level: Mapped[int | None]
    closed_at: Mapped[datetime | None]
    closed_by: Mapped[str | None] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class HandlingAction(Base):
    """One recorded handling step (note, playbook outcome, call, evidence change…); never deleted."""

    __tablename__ = "handling_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(24))
    step_key: Mapped[str | None] = mapped_column(String(48))
    outcome_key: Mapped[str | None] = mapped_column(String(48))
    note: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Attachment(Base):
    """An image or PDF stored with the case itself, so the record travels with the database."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(80))
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    added_by: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)


class SignOff(Base):
    __tablename__ = "signoffs"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    level: Mapped[int]
    signer: Mapped[str] = mapped_column(String(64))
    signer_role: Mapped[str] = mapped_column(String(24))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    decision: Mapped[SignOffDecision] = mapped_column(str_enum(SignOffDecision))
    reason: Mapped[str] = mapped_column(Text, default="")
