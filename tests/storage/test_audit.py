"""The audit chain: append-only in the database, and `audit verify` finds an edited or deleted entry."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from controlroom.cli import main
from controlroom.storage import audit
from controlroom.storage.database import Database


def _write_entries(database: Database, n: int) -> None:
    for i in range(n):
        with database.transaction() as session:
            audit.append(
                session,
                actor="officer1",
                action="case.note",
                entity=f"case:{i}",
                detail={"note": f"第 {i} 筆備註", "step": i},
            )


def _drop_guards(database: Database) -> None:
    """What someone with direct database access could do before tampering."""
    with database.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("DROP TRIGGER audit_log_append_only ON audit_log"))
        else:
            connection.execute(text("DROP TRIGGER audit_log_no_update"))
            connection.execute(text("DROP TRIGGER audit_log_no_delete"))


def test_intact_chain_verifies(database: Database) -> None:
    _write_entries(database, 5)
    with database.transaction() as session:
        report = audit.verify(session)
    assert report.ok and report.entries == 5


def test_database_refuses_to_update_or_delete_entries(database: Database) -> None:
    _write_entries(database, 2)
    for statement in (
        "UPDATE audit_log SET actor = 'x' WHERE seq = 1",
        "DELETE FROM audit_log WHERE seq = 1",
    ):
        with pytest.raises(DBAPIError, match="append-only"), database.engine.begin() as connection:
            connection.execute(text(statement))


def test_verify_reports_the_first_edited_entry(
    database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    _write_entries(database, 6)
    _drop_guards(database)
    with database.engine.begin() as connection:
        connection.execute(text('UPDATE audit_log SET detail = \'{"note":"改過"}\' WHERE seq = 4'))
    with database.transaction() as session:
        report = audit.verify(session)
    assert (report.ok, report.broken_at) == (False, 4)
    assert "edited" in report.reason

    assert main(["audit", "verify", "--db", str(database.engine.url.render_as_string(False))]) == 1
    assert "BROKEN at entry 4" in capsys.readouterr().out


def test_verify_reports_a_deleted_entry(database: Database) -> None:
    _write_entries(database, 6)
    _drop_guards(database)
    with database.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_log WHERE seq = 3"))
    with database.transaction() as session:
        report = audit.verify(session)
    assert (report.ok, report.broken_at) == (False, 3)
    assert "missing" in report.reason


def test_verify_reports_a_rehashed_entry_whose_successor_no_longer_links(database: Database) -> None:
    """An attacker who edits an entry and recomputes its hash still breaks the next link."""
    _write_entries(database, 4)
    _drop_guards(database)
    with database.transaction() as session:
        entry = session.get(audit.AuditEntry, 2)
        assert entry is not None
        entry.detail = audit.canonical_json({"note": "forged"})
        entry.hash = audit.entry_hash(
            entry.seq, entry.at, entry.actor, entry.action, entry.entity, entry.detail, entry.prev_hash
        )
    with database.transaction() as session:
        report = audit.verify(session)
    assert (report.ok, report.broken_at) == (False, 3)
