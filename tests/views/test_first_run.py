"""The first run on real dialogs: create the administrator (no default password), then sign in."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from controlroom.app import AccountService
from controlroom.storage.database import Database
from controlroom.views.account_dialogs import BootstrapDialog, LoginDialog
from controlroom.views.i18n import Translations
from controlroom.views.tasks import TaskRunner

pytestmark = pytest.mark.gui


@pytest.fixture
def sqlite_db(tmp_path: object) -> Iterator[Database]:
    from controlroom.storage.database import open_database

    db = open_database(f"sqlite:///{tmp_path}/gui.db")
    yield db
    db.dispose()


def _ok(dialog: BootstrapDialog | LoginDialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_bootstrap_refuses_mismatch_and_weak_password_then_creates_the_administrator(
    qtbot: QtBot, sqlite_db: Database, tasks: TaskRunner, chinese: Translations
) -> None:
    accounts = AccountService(sqlite_db)
    assert accounts.needs_bootstrap()
    dialog = BootstrapDialog(tasks, accounts.create_administrator)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "建立系統管理員"

    qtbot.keyClicks(dialog.username, "admin")
    qtbot.keyClicks(dialog.password, "weakpass")
    qtbot.keyClicks(dialog.repeat, "different")
    _ok(dialog)
    assert dialog.message.text() == "兩次輸入的密碼不一致。"

    dialog.repeat.setText("weakpass")
    _ok(dialog)
    qtbot.waitUntil(lambda: dialog.message.text() == "密碼至少需 10 個字元。")
    assert accounts.needs_bootstrap()

    dialog.password.setText("jmc-duty-2026")
    dialog.repeat.setText("jmc-duty-2026")
    with qtbot.waitSignal(dialog.accepted):
        _ok(dialog)
    assert dialog.session == {"username": "admin", "display_name": "admin", "role": "administrator"}
    assert not accounts.needs_bootstrap()


def test_login_refuses_a_wrong_password(
    qtbot: QtBot, sqlite_db: Database, tasks: TaskRunner, chinese: Translations
) -> None:
    accounts = AccountService(sqlite_db)
    accounts.create_administrator("admin", "管理員", "jmc-duty-2026")
    dialog = LoginDialog(tasks, accounts.login)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.username, "admin")
    qtbot.keyClicks(dialog.password, "not-the-password1")
    _ok(dialog)
    qtbot.waitUntil(lambda: dialog.message.text() == "帳號或密碼錯誤。")
    assert dialog.session is None

    dialog.password.setText("jmc-duty-2026")
    with qtbot.waitSignal(dialog.accepted):
        _ok(dialog)
    assert dialog.session is not None and dialog.session["display_name"] == "管理員"


def test_english_is_available(
    qtbot: QtBot, sqlite_db: Database, tasks: TaskRunner, chinese: Translations
) -> None:
    chinese.switch("en")
    assert QCoreApplication.translate("Roles", "Section chief") == "Section chief"
    chinese.switch("zh_TW")
    assert QCoreApplication.translate("Roles", "Section chief") == "股長"
