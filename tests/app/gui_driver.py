"""Drives the real entry point in its own process: signs in through the dialog, reads the window, quits.

Run by tests/app/test_run_gui.py as `python -m tests.app.gui_driver DB_URL USER PASSWORD [BROKER_URL]`;
a separate process, because quitting a QApplication also tears QtWebEngine down for good.
"""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    db_url, username, password = sys.argv[1:4]
    broker_url = sys.argv[4] if len(sys.argv) > 4 else None
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QDialogButtonBox

    from controlroom.app import prepare_qt_environment, run_gui
    from controlroom.settings import Settings
    from controlroom.views.account_dialogs import LoginDialog
    from controlroom.views.main_window import MainWindow

    prepare_qt_environment()
    app = QApplication(sys.argv)
    app.setOrganizationName("controlroom-gui-driver")
    seen: dict[str, str] = {}

    def sign_in() -> None:
        dialog = next(
            (w for w in app.topLevelWidgets() if isinstance(w, LoginDialog) and w.isVisible()), None
        )
        if dialog is None:
            QTimer.singleShot(50, sign_in)
            return
        dialog.username.setText(username)
        dialog.password.setText(password)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        QTimer.singleShot(3000, look)

    def look() -> None:
        windows = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        seen["windows"] = str(len(windows))
        if windows:
            seen.update(
                title=windows[0].windowTitle(),
                user=windows[0].user_label.text(),
                feed=windows[0].feed_status.state.text(),
            )
            windows[0].close()

    QTimer.singleShot(0, sign_in)
    QTimer.singleShot(30000, app.quit)  # never hang a test run
    seen["code"] = str(run_gui(Settings(db_url=db_url, broker_url=broker_url, language="zh_TW"), demo=False))
    print(json.dumps(seen, ensure_ascii=False))


if __name__ == "__main__":
    main()
