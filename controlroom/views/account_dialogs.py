"""First-run administrator bootstrap and the login dialog. Password checks run off the GUI thread."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from controlroom.storage.users import AccountError
from controlroom.views.tasks import TaskRunner

logger = logging.getLogger(__name__)
Session = dict[str, Any]  # {"username", "display_name", "role"}


def account_error_text(error: BaseException) -> str:
    if not isinstance(error, AccountError):
        logger.error("account request failed", exc_info=error)
        return QCoreApplication.translate("AccountDialog", "Unexpected error: {error}").format(error=error)
    texts = {
        "too_short": QCoreApplication.translate(
            "AccountDialog", "The password must have at least 10 characters."
        ),
        "too_simple": QCoreApplication.translate(
            "AccountDialog", "The password must mix letters with digits or symbols."
        ),
        "empty_username": QCoreApplication.translate("AccountDialog", "Please enter a username."),
        "exists": QCoreApplication.translate("AccountDialog", "This username is already taken."),
        "admin_exists": QCoreApplication.translate(
            "AccountDialog", "An administrator already exists; please sign in."
        ),
        "bad_credentials": QCoreApplication.translate("AccountDialog", "Wrong username or password."),
    }
    return texts.get(error.code, str(error))


class _AccountDialog(QDialog):
    def __init__(self, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self.session: Session | None = None
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.form = QFormLayout()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def _line(self, label: str, name: str, secret: bool = False) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        if secret:
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.addRow(label, edit)
        return edit

    def _show_error(self, text: str) -> None:
        self.message.setStyleSheet("color: #b34700; font-weight: bold;")
        self.message.setText(text)
        self.buttons.setEnabled(True)

    def _run(self, work: Callable[[], Session]) -> None:
        """`work` returns the signed-in session or raises AccountError."""
        self.buttons.setEnabled(False)
        self.message.setText(QCoreApplication.translate("AccountDialog", "Please wait…"))

        def done(result: Session) -> None:
            self.session = result
            self.accept()

        self._tasks.submit(work, done, lambda error: self._show_error(account_error_text(error)))

    def _submit(self) -> None:
        raise NotImplementedError


class BootstrapDialog(_AccountDialog):
    """Shown while no administrator exists: whoever installs the product creates the first one."""

    def __init__(
        self, tasks: TaskRunner, create: Callable[[str, str, str], Session], parent: QWidget | None = None
    ) -> None:
        super().__init__(tasks, parent)
        self._create = create
        self.setWindowTitle(self.tr("Create the administrator"))
        intro = QLabel(
            self.tr(
                "No administrator exists yet. Create the first administrator account; "
                "no default password is shipped."
            )
        )
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.username = self._line(self.tr("Username"), "username")
        self.display_name = self._line(self.tr("Name"), "display_name")
        self.password = self._line(self.tr("Password"), "password", secret=True)
        self.repeat = self._line(self.tr("Repeat password"), "repeat", secret=True)

    def _submit(self) -> None:
        if self.password.text() != self.repeat.text():
            self._show_error(self.tr("The passwords do not match."))
            return
        username, name, password = (
            self.username.text().strip(),
            self.display_name.text().strip(),
            self.password.text(),
        )
        self._run(lambda: self._create(username, name, password))


class LoginDialog(_AccountDialog):
    def __init__(
        self, tasks: TaskRunner, login: Callable[[str, str], Session], parent: QWidget | None = None
    ) -> None:
        super().__init__(tasks, parent)
        self._login = login
        self.setWindowTitle(self.tr("Sign in"))
        self.username = self._line(self.tr("Username"), "username")
        self.password = self._line(self.tr("Password"), "password", secret=True)
        self.username.setFocus(Qt.FocusReason.OtherFocusReason)

    def _submit(self) -> None:
        username, password = self.username.text().strip(), self.password.text()
        self._run(lambda: self._login(username, password))
