"""Test set-up: offscreen Qt, real SQLite and PostgreSQL databases, and no tolerance for logged errors."""

from __future__ import annotations

import logging
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from sqlalchemy import create_engine, text

from controlroom.platform_check import prepare_webengine_environment
from controlroom.storage.database import Database, open_database
from tests.support.postgres import PostgresServer, start_postgres

# Before any test module imports Qt or QtWebEngine (none of the imports above does).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
prepare_webengine_environment()

BACKENDS = ("sqlite", "postgresql")

# Property tests explore the same examples on every run, so CI never fails by luck of the draw.
settings.register_profile("ci", derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci")


class _ErrorCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def fail_on_logged_errors(request: pytest.FixtureRequest) -> Iterator[None]:
    """An error logged during a test fails it, unless the test says it expects one."""
    collector = _ErrorCollector()
    root = logging.getLogger()
    root.addHandler(collector)
    try:
        yield
    finally:
        root.removeHandler(collector)
    if collector.records and request.node.get_closest_marker("allow_logged_errors") is None:
        messages = "; ".join(f"{r.name}: {r.getMessage()}" for r in collector.records)
        pytest.fail(f"unexpected logged error(s): {messages}")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "allow_logged_errors: the test expects errors to be logged")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer | str]:
    external = os.environ.get("CONTROLROOM_TEST_PG_URL")
    if external:
        yield external
        return
    server = start_postgres()
    try:
        yield server
    finally:
        server.stop()


def _fresh_postgres_url(server: PostgresServer | str, template: str | None = None) -> tuple[str, str, str]:
    """Create a database for one test (empty, or a copy of `template`); returns (url, admin url, name)."""
    admin = server if isinstance(server, str) else server.admin_url
    name = f"t_{uuid.uuid4().hex[:12]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        suffix = f' TEMPLATE "{template}"' if template else ""
        connection.execute(text(f'CREATE DATABASE "{name}"{suffix}'))
    engine.dispose()
    base = admin.rsplit("/", 1)[0]
    return f"{base}/{name}", admin, name


def _drop_postgres(admin: str, name: str) -> None:
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An empty database URL, once for SQLite and once for PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'controlroom.db'}"
        return
    server = request.getfixturevalue("postgres_server")
    url, admin, name = _fresh_postgres_url(server)
    try:
        yield url
    finally:
        _drop_postgres(admin, name)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated and seeded SQLite file that each test copies (migrating per test is slow)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    open_database(f"sqlite:///{path}").dispose()
    return path


@pytest.fixture(scope="session")
def postgres_template(postgres_server: PostgresServer | str) -> str:
    """A migrated and seeded PostgreSQL database used as the CREATE DATABASE template."""
    url, _admin, name = _fresh_postgres_url(postgres_server)
    open_database(url).dispose()
    return name


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated and seeded database, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "controlroom.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite:///{path}"
        db = open_database(url, upgrade=False, seed=False)
        try:
            yield db
        finally:
            db.dispose()
        return
    server = request.getfixturevalue("postgres_server")
    url, admin, name = _fresh_postgres_url(server, template=request.getfixturevalue("postgres_template"))
    db = open_database(url, upgrade=False, seed=False)
    try:
        yield db
    finally:
        db.dispose()
        _drop_postgres(admin, name)
