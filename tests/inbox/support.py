"""Alerts with their own identifiers, causes and stations, and plain rows for the Qt-free tests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from controlroom.domain.catalogue import alert_kind
from controlroom.models import Alert
from controlroom.models.enums import AlertStatus
from controlroom.services.inbox import AlertRow
from controlroom.storage.database import Database


def add_alert(database: Database, code: str, raised_at: datetime, n: int = 1, **fields: Any) -> int:
    """An alert whose CN, container, plate and seal are derived from ``n`` unless given."""
    kind = alert_kind(code)
    values: dict[str, Any] = {
        "cn_no": f"CN2026112{n:05d}",
        "container_no": f"TGHU{n:07d}",
        "plate": f"KL{n:05d}",
        "seal_no": f"VS{n:06d}",
        "origin": "KHC101",
        "destination": "KHC102",
        "facts": {},
        **fields,
    }
    with database.transaction() as session:
        alert = Alert(
            code=code,
            family=kind.family.value,
            severity=kind.severity.value,
            side=kind.side.value,
            raised_at=raised_at,
            last_occurrence_at=raised_at,
            **values,
        )
        session.add(alert)
        session.flush()
        return alert.id


def row(alert_id: int, code: str = "SEAL_LOST", raised_at: datetime | None = None, **fields: Any) -> AlertRow:
    kind = alert_kind(code)
    at = raised_at or datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    values: dict[str, Any] = {
        "id": alert_id,
        "code": code,
        "name_zh": kind.name_zh,
        "name_en": kind.name_en,
        "severity": kind.severity.value,
        "family": kind.family.value,
        "status": AlertStatus.UNACKNOWLEDGED,
        "cn_no": f"CN{alert_id:08d}",
        "container_no": f"TGHU{alert_id:07d}",
        "plate": f"KLA{alert_id:04d}",
        "seal_no": f"VS{alert_id:06d}",
        "origin": "KHC101",
        "destination": "KHC102",
        "side": kind.side.value,
        "assignee": None,
        "raised_at": at,
        "last_occurrence_at": at,
        "occurrences": 1,
        "caused_by": None,
        "origin_house": "kaohsiung",
        "destination_house": "kaohsiung",
        "version": 1,
    }
    values.update(fields)
    return AlertRow(**values)
