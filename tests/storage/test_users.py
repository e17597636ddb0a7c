"""Accounts: argon2 hashes, first-run bootstrap with no default password, and the `users` command."""

from __future__ import annotations

import io

import pytest

from controlroom.cli import main
from controlroom.domain.roles import Role
from controlroom.storage import audit, users
from controlroom.storage.database import Database


def _url(database: Database) -> str:
    return database.engine.url.render_as_string(hide_password=False)


def test_fresh_database_has_no_account_and_needs_an_administrator(database: Database) -> None:
    with database.transaction() as session:
        assert users.list_users(session) == []
        assert users.needs_bootstrap(session)


def test_added_user_authenticates_only_with_the_right_password(database: Database) -> None:
    with database.transaction() as session:
        users.add_user(
            session,
            username="chief1",
            display_name="王股長",
            role=Role.SECTION_CHIEF,
            password="correct horse 9",
            actor="admin",
        )
    with database.transaction() as session:
        user = users.authenticate(session, "chief1", "correct horse 9")
        assert user is not None and user.role is Role.SECTION_CHIEF
        assert user.password_hash.startswith("$argon2id$")
        assert "correct horse" not in user.password_hash
        assert users.authenticate(session, "chief1", "wrong password 9") is None
        assert users.authenticate(session, "nobody", "correct horse 9") is None
        assert users.needs_bootstrap(session)  # a section chief is not an administrator


@pytest.mark.parametrize("weak", ["short1", "onlyletterslong", "12345678901"])
def test_weak_passwords_are_refused(database: Database, weak: str) -> None:
    with database.transaction() as session, pytest.raises(users.AccountError):
        users.add_user(
            session, username="x", display_name="x", role=Role.DUTY_OFFICER, password=weak, actor="a"
        )


def test_cli_bootstraps_an_administrator_and_audits_it(
    database: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret-enough\n"))
    assert (
        main(["users", "add", "admin", "--role", "administrator", "--password-stdin", "--db", _url(database)])
        == 0
    )
    monkeypatch.setattr("sys.stdin", io.StringIO("another-s3cret\n"))
    assert main(["users", "add", "admin", "--password-stdin", "--db", _url(database)]) == 2
    assert "already exists" in capsys.readouterr().err

    monkeypatch.setattr("sys.stdin", io.StringIO("changed-s3cret\n"))
    assert main(["users", "passwd", "admin", "--password-stdin", "--db", _url(database)]) == 0
    with database.transaction() as session:
        assert not users.needs_bootstrap(session)
        assert users.authenticate(session, "admin", "changed-s3cret") is not None
        assert users.authenticate(session, "admin", "s3cret-enough") is None
        assert audit.verify(session).entries == 2  # user.add and user.passwd

    assert main(["users", "list", "--json", "--db", _url(database)]) == 0
    assert '"role": "administrator"' in capsys.readouterr().out
