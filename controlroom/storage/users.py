"""User accounts: argon2 password hashes, roles, and the first-run administrator bootstrap.

No account or password ships with the product: the first administrator is created by whoever
installs it (`controlroom users add --role administrator` or the first-run dialog).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from controlroom.domain.roles import Role
from controlroom.models import User
from controlroom.storage import audit

logger = logging.getLogger(__name__)

MIN_PASSWORD_LENGTH = 10
_hasher = PasswordHasher()


class AccountError(ValueError):
    """A user-facing problem with an account request; `code` lets the UI show it in the user's language."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError("too_short", f"password must be at least {MIN_PASSWORD_LENGTH} characters")
    if password.isdigit() or password.isalpha():
        raise AccountError("too_simple", "password must mix letters with digits or symbols")


def needs_bootstrap(session: Session) -> bool:
    """True while no active administrator exists: the first run must create one."""
    query = select(User.id).where(User.role == Role.ADMINISTRATOR, User.active.is_(True)).limit(1)
    return session.execute(query).first() is None


def add_user(
    session: Session,
    *,
    username: str,
    display_name: str,
    role: Role,
    password: str,
    actor: str,
    customs_house: str | None = None,
) -> User:
    username = username.strip()
    if not username:
        raise AccountError("empty_username", "username must not be empty")
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise AccountError("exists", f"user {username!r} already exists")
    check_password_strength(password)
    user = User(
        username=username,
        display_name=display_name or username,
        role=role,
        password_hash=_hasher.hash(password),
        customs_house=customs_house,
    )
    session.add(user)
    session.flush()
    audit.append(
        session, actor=actor, action="user.add", entity=f"user:{username}", detail={"role": role.value}
    )
    return user


def set_password(session: Session, *, username: str, password: str, actor: str) -> None:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise AccountError("no_user", f"no user {username!r}")
    check_password_strength(password)
    user.password_hash = _hasher.hash(password)
    user.password_changed_at = datetime.now(UTC)
    audit.append(session, actor=actor, action="user.passwd", entity=f"user:{username}")


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with these credentials, or None; never says which part was wrong."""
    user = session.scalar(select(User).where(User.username == username, User.active.is_(True)))
    if user is None:
        _hasher.hash(password)  # same cost as a real check, so timing does not reveal names
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        logger.info("failed login for %s", username)
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))
