"""Rows the tests need before the feed has produced them: alerts of a given code, users of a given role."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from controlroom.domain.catalogue import alert_kind
from controlroom.domain.roles import Role
from controlroom.models import Alert
from controlroom.storage import users
from controlroom.storage.database import Database

PASSWORD = "bench-pass-2026"


def make_alert(database: Database, code: str, raised_at: datetime, **facts: Any) -> int:
    kind = alert_kind(code)
    with database.transaction() as session:
        alert = Alert(
            code=code,
            family=kind.family.value,
            severity=kind.severity.value,
            side=kind.side.value,
            cn_no="CN20261122001",
            container_no="CSQU3054383",
            plate="KLA1234",
            seal_no="VS000123",
            unit_id="U0001",
            origin="KHC101",
            destination="KHC102",
            raised_at=raised_at,
            last_occurrence_at=raised_at,
            facts=facts,
        )
        session.add(alert)
        session.flush()
        return alert.id


def make_user(database: Database, username: str, role: Role) -> None:
    with database.transaction() as session:
        users.add_user(
            session, username=username, display_name=username, role=role, password=PASSWORD, actor="test"
        )
