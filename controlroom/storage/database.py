"""Open a database the one way the app, the CLI and the services all use: engine, migrate, seed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from controlroom.storage import migrate
from controlroom.storage.engine import make_engine, make_sessionmaker
from controlroom.storage.seed import seed_reference_data

T = TypeVar("T")


@dataclass
class Database:
    engine: Engine
    sessions: sessionmaker[Session]

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work commits on success and rolls back on any exception."""
        with self.sessions.begin() as session:
            yield session

    def run(self, work: Callable[[Session], T], retries: int = 3) -> T:
        """Run `work` in one transaction, retrying when a concurrent writer won a race."""
        for attempt in range(retries + 1):
            try:
                with self.transaction() as session:
                    return work(session)
            except (IntegrityError, OperationalError):
                if attempt == retries:
                    raise
        raise AssertionError("unreachable")

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(url: str, *, upgrade: bool = True, seed: bool = True) -> Database:
    engine = make_engine(url)
    if upgrade:
        migrate.upgrade(engine)
    database = Database(engine, make_sessionmaker(engine))
    if seed:
        with database.transaction() as session:
            seed_reference_data(session)
    return database
