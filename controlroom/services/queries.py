"""Read-only queries for the command line and scripts: alerts and dead letters as JSON-ready rows."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from controlroom.models import Alert, DeadLetter

__all__ = ["alerts_json", "dead_letters_json", "rfc3339"]


def rfc3339(value: datetime) -> str:
    """UTC, seconds precision unless there are microseconds, with a ``Z``."""
    text = value.astimezone(UTC).isoformat()
    return text.replace("+00:00", "Z")


def alerts_json(session: Session) -> list[dict[str, Any]]:
    """Every alert, oldest first: what the JMC sees in its inbox, plus ids and the cause link."""
    cause = aliased(Alert)
    rows = session.execute(
        select(Alert, cause.code)
        .outerjoin(cause, Alert.caused_by_id == cause.id)
        .order_by(Alert.raised_at, Alert.code, Alert.cn_no, Alert.id)
    ).all()
    return [
        {
            "id": alert.id,
            "code": alert.code,
            "severity": alert.severity,
            "status": alert.status.value,
            "cn_no": alert.cn_no,
            "container_no": alert.container_no,
            "plate": alert.plate,
            "seal_no": alert.seal_no,
            "unit_id": alert.unit_id,
            "raised_at": rfc3339(alert.raised_at),
            "last_occurrence_at": rfc3339(alert.last_occurrence_at),
            "occurrences": alert.occurrences,
            "caused_by": alert.caused_by_id,
            "caused_by_code": cause_code,
        }
        for alert, cause_code in rows
    ]


def dead_letters_json(session: Session) -> list[dict[str, Any]]:
    """Every rejected message, oldest first; the payload is shown as text with bad bytes replaced."""
    return [
        {
            "id": row.id,
            "topic": row.topic,
            "reason_code": row.reason_code,
            "reason": row.reason,
            "received_at": rfc3339(row.received_at),
            "payload": row.payload[:2000].decode("utf-8", errors="replace"),
        }
        for row in session.scalars(select(DeadLetter).order_by(DeadLetter.received_at, DeadLetter.id))
    ]
