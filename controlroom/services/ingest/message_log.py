"""What the ingest records about the messages themselves: the dedupe key of every applied message (so a
repeat is dropped, across restarts and across ingestors sharing a database) and the dead letter of every
refused one, with its reason code."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from controlroom.feed.messages import DedupeKey
from controlroom.feed.raw import RawMessage
from controlroom.models import DeadLetter, ProcessedMessage
from controlroom.services.ingest.batch import Batch

logger = logging.getLogger(__name__)


def seen(session: Session, key: DedupeKey) -> bool:
    """Whether a message with this dedupe key has been applied already."""
    found = session.scalar(
        select(ProcessedMessage.id).where(
            ProcessedMessage.kind == key.kind.value,
            ProcessedMessage.source == key.source,
            ProcessedMessage.discriminator == str(key.discriminator),
            ProcessedMessage.ts == key.ts,
        )
    )
    return found is not None


def record_processed(session: Session, key: DedupeKey, received_at: datetime) -> None:
    session.add(
        ProcessedMessage(
            kind=key.kind.value,
            source=key.source,
            discriminator=str(key.discriminator),
            ts=key.ts,
            received_at=received_at,
        )
    )


def dead_letter(batch: Batch, raw: RawMessage, code: str, detail: str) -> None:
    batch.stats.rejected += 1
    logger.info("ingest: dead-lettered a message on %s: %s", raw.topic, code)
    batch.session.add(
        DeadLetter(
            topic=raw.topic,
            payload=raw.payload,
            reason_code=code,
            reason=detail,
            received_at=raw.received_at,
        )
    )
