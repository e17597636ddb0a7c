"""Rejected feed messages, kept with the reason for an administrator to inspect."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from controlroom.models.base import Base, BigId, utcnow


class DeadLetter(Base):
    __tablename__ = "dead_letters"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    topic: Mapped[str] = mapped_column(Text)
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    reason_code: Mapped[str] = mapped_column(String(24))
    reason: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class ProcessedMessage(Base):
    """The dedupe key of every accepted feed message, so a redelivery has no effect even after a restart.

    ``discriminator`` is the device's ``seq`` (as text) or the content digest of messages without one
    (controlroom.feed.messages.dedupe_key); ``ts`` is the observation time in UTC.
    """

    __tablename__ = "processed_messages"
    __table_args__ = (UniqueConstraint("kind", "source", "discriminator", "ts"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))
    source: Mapped[str] = mapped_column(String(80))
    discriminator: Mapped[str] = mapped_column(String(64))
    ts: Mapped[datetime]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
