"""The composition root: settings → database → services → main window, with explicit start-up and shutdown."""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

from sqlalchemy.engine import make_url

from controlroom.domain.roles import Role
from controlroom.platform_check import ensure_qt_runtime
from controlroom.settings import Settings
from controlroom.storage import users
from controlroom.storage.database import Database, open_database
from controlroom.storage.reference import stations_json

logger = logging.getLogger(__name__)


class AccountService:
    """What the account dialogs may do; each call is one transaction, run on a worker thread."""

    def __init__(self, database: Database) -> None:
        self._database = database

    @staticmethod
    def _session(user: Any) -> dict[str, Any]:
        return {"username": user.username, "display_name": user.display_name, "role": user.role.value}

    def needs_bootstrap(self) -> bool:
        with self._database.transaction() as session:
            return users.needs_bootstrap(session)

    def create_administrator(self, username: str, display_name: str, password: str) -> dict[str, Any]:
        with self._database.transaction() as session:
            if not users.needs_bootstrap(session):
                raise users.AccountError("admin_exists", "an administrator already exists")
            user = users.add_user(
                session,
                username=username,
                display_name=display_name,
                role=Role.ADMINISTRATOR,
                password=password,
                actor=f"bootstrap:{username}",
            )
            return self._session(user)

    def login(self, username: str, password: str) -> dict[str, Any]:
        with self._database.transaction() as session:
            user = users.authenticate(session, username, password)
            if user is None:
                raise users.AccountError("bad_credentials", "wrong username or password")
            return self._session(user)


def prepare_qt_environment() -> None:
    """QtWebEngine refuses to run as root without this flag (a kiosk console often runs as root)."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")


def run_gui(settings: Settings, demo: bool = False) -> int:
    ensure_qt_runtime()
    prepare_qt_environment()
    from PySide6.QtWidgets import QApplication, QDialog

    from controlroom.views.account_dialogs import BootstrapDialog, LoginDialog
    from controlroom.views.i18n import Translations
    from controlroom.views.main_window import MainWindow
    from controlroom.views.tasks import TaskRunner
    from controlroom.views.theme import apply_theme

    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("controlroom")
    app.setOrganizationName("controlroom")
    apply_theme(app)
    Translations(app).switch(settings.language)

    database = open_database(settings.db_url)
    tasks = TaskRunner(app)
    accounts = AccountService(database)
    try:
        dialog: BootstrapDialog | LoginDialog
        if accounts.needs_bootstrap():
            dialog = BootstrapDialog(tasks, accounts.create_administrator)
        else:
            dialog = LoginDialog(tasks, accounts.login)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.session is None:
            return 1

        def load_stations() -> list[dict[str, Any]]:
            with database.transaction() as session:
                return stations_json(session)

        label = make_url(settings.db_url).render_as_string(hide_password=True)
        window = MainWindow(tasks, load_stations, dialog.session, label)
        window.resize(1400, 900)
        window.show()
        logger.info("controlroom started (demo=%s)", demo)
        return app.exec()
    finally:
        tasks.shutdown()
        database.dispose()
