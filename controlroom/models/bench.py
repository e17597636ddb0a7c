"""Bench test sessions of returned or failed seals, run by technicians over BLE or NFC."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from controlroom.models.base import Base, str_enum, utcnow
from controlroom.models.enums import BenchTransport


class BenchSession(Base):
    __tablename__ = "bench_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    seal_no: Mapped[str] = mapped_column(ForeignKey("seals.seal_no"), index=True)
    technician: Mapped[str] = mapped_column(String(64))
    transport: Mapped[BenchTransport] = mapped_column(str_enum(BenchTransport))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    verdict: Mapped[str | None] = mapped_column(String(16))  # pass | fail | inconclusive
    fault_cause: Mapped[str | None] = mapped_column(Text)


class BenchResult(Base):
    __tablename__ = "bench_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("bench_sessions.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    test_name: Mapped[str] = mapped_column(String(48))
    passed: Mapped[bool]
    measured: Mapped[dict[str, Any]] = mapped_column(default=dict)
