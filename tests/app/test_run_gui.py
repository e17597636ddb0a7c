"""The real entry point: sign in through the dialog, get the composed window, quit cleanly."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from controlroom.app import run_gui
from controlroom.domain.roles import Role
from controlroom.settings import Settings
from controlroom.storage.database import open_database
from controlroom.views.account_dialogs import LoginDialog
from controlroom.views.main_window import MainWindow
from tests.support.factories import PASSWORD, make_user

pytestmark = pytest.mark.gui


def test_sign_in_opens_the_main_window_as_a_client_of_the_shared_database(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    url = f"sqlite:///{tmp_path}/app.db"
    database = open_database(url)
    make_user(database, "admin", Role.ADMINISTRATOR)
    database.dispose()
    seen: dict[str, str] = {}

    def sign_in() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, LoginDialog):
            QTimer.singleShot(50, sign_in)
            return
        dialog.username.setText("admin")
        dialog.password.setText(PASSWORD)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        QTimer.singleShot(3000, close_window)

    def close_window() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        assert len(windows) == 1
        seen["title"] = windows[0].windowTitle()
        seen["user"] = windows[0].user_label.text()
        windows[0].close()

    QTimer.singleShot(0, sign_in)
    assert run_gui(Settings(db_url=url, language="zh_TW"), demo=False) == 0
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
    assert seen == {"title": "聯合管理中心 — 貨櫃全程監控", "user": "使用者：admin（系統管理員）"}
