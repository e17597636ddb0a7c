"""Sign-off: the dialog (password re-entry, approve or return with a reason) and the queue per level."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from controlroom.domain.roles import SignOffLevel
from controlroom.models.enums import SignOffDecision
from controlroom.services.cases import CaseService
from controlroom.views.cases.messages import error_message
from controlroom.views.inbox.model import severity_text, taipei_time
from controlroom.views.row_model import Column, RowTableModel
from controlroom.views.tasks import TaskGroup, TaskRunner

logger = logging.getLogger(__name__)


def level_text(level: SignOffLevel) -> str:
    """The level's Chinese title, glossed in English when the interface is in English."""
    return {
        SignOffLevel.SECTION_CHIEF: QCoreApplication.translate("SignOff", "股長 (section chief)"),
        SignOffLevel.DIVISION_CHIEF: QCoreApplication.translate("SignOff", "課長 (division chief)"),
        SignOffLevel.UNIT_HEAD: QCoreApplication.translate("SignOff", "一級單位主管 (head of unit)"),
    }[level]


class SignOffDialog(QDialog):
    """The signer re-enters the password; returning a case needs a reason."""

    def __init__(
        self, summary: str, level: SignOffLevel, username: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("signoff_dialog")
        self.setWindowTitle(self.tr("Sign off case"))
        self.username = QLineEdit(username)
        self.username.setObjectName("signoff_username")
        self.password = QLineEdit()
        self.password.setObjectName("signoff_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.approve = QRadioButton(self.tr("Approve"))
        self.approve.setObjectName("signoff_approve")
        self.give_back = QRadioButton(self.tr("Return for more handling"))
        self.give_back.setObjectName("signoff_return")
        self.approve.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.approve)
        group.addButton(self.give_back)
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("signoff_reason")
        self.reason.setPlaceholderText(self.tr("Required when returning: what is missing"))
        self.reason.setFixedHeight(80)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = QPushButton(self.tr("Sign"))
        self.ok.setObjectName("signoff_ok")
        buttons.addButton(self.ok, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        for signal in (self.password.textChanged, self.username.textChanged, self.reason.textChanged):
            signal.connect(self._check)
        self.give_back.toggled.connect(self._check)

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(summary))
        layout.addWidget(QLabel(self.tr("Sign-off level: {level}").format(level=level_text(level))))
        form = QFormLayout()
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Password"), self.password)
        decision = QHBoxLayout()
        decision.addWidget(self.approve)
        decision.addWidget(self.give_back)
        form.addRow(self.tr("Decision"), decision)
        form.addRow(self.tr("Reason"), self.reason)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self._check()

    def _check(self) -> None:
        ready = bool(self.username.text().strip() and self.password.text())
        if self.give_back.isChecked():
            ready = ready and bool(self.reason_text())
        self.ok.setEnabled(ready)

    def decision(self) -> SignOffDecision:
        return SignOffDecision.RETURNED if self.give_back.isChecked() else SignOffDecision.APPROVED

    def reason_text(self) -> str:
        return self.reason.toPlainText().strip()


class SignOffQueue(QWidget):
    """The cases waiting for one sign-off level; a supervisor picks one and signs it."""

    message = Signal(str)
    signed = Signal(int)  # case id
    case_requested = Signal(int)  # case id, to look at it first

    def __init__(
        self,
        tasks: TaskRunner,
        cases: CaseService,
        level: SignOffLevel,
        username: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"signoff_queue_{level.name.lower()}")
        self._tasks = tasks
        self._cases = cases
        self._username = username
        self._jobs = TaskGroup(tasks, self._failed)
        self.level = level
        self.title = QLabel(self.tr("Awaiting sign-off by {level}").format(level=level_text(level)))
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.model = RowTableModel(
            [
                Column("case_id", self.tr("Case")),
                Column("opened_at", self.tr("Opened"), lambda v: taipei_time(v, with_date=True)),
                Column("code", self.tr("Alert")),
                Column("name_zh", self.tr("Name")),
                Column("severity", self.tr("Severity"), severity_text),
                Column("cn_no", self.tr("CN")),
                Column("container_no", self.tr("Container")),
                Column("assignee", self.tr("Handled by")),
            ],
            self,
        )
        self.table = QTableView()
        self.table.setObjectName("signoff_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _i: self._view_case())
        self.sign_button = QPushButton(self.tr("Sign…"))
        self.sign_button.setObjectName("sign")
        self.sign_button.clicked.connect(self._ask_sign)
        self.view_button = QPushButton(self.tr("View case"))
        self.view_button.clicked.connect(self._view_case)
        self.status = QLabel()
        self.status.setObjectName("signoff_status")
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.view_button)
        buttons.addWidget(self.sign_button)
        buttons.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    @property
    def idle(self) -> bool:
        return self._jobs.idle

    def reload(self) -> None:
        self._jobs.submit(lambda: self._cases.signoff_summaries(self.level), self.model.set_rows)

    def case_ids(self) -> list[int]:
        return [self.model.row(i)["case_id"] for i in range(self.model.rowCount())]

    def select_case(self, case_id: int) -> bool:
        ids = self.case_ids()
        if case_id not in ids:
            return False
        self.table.selectRow(ids.index(case_id))
        return True

    def _selected(self) -> dict[str, Any] | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def _view_case(self) -> None:
        row = self._selected()
        if row is not None:
            self.case_requested.emit(row["case_id"])

    def _ask_sign(self) -> None:
        row = self._selected()
        if row is None:
            self._say(self.tr("Select a case first."))
            return
        summary = self.tr("Case {id}: {code} {name}, CN {cn}").format(
            id=row["case_id"], code=row["code"], name=row["name_zh"], cn=row["cn_no"] or "—"
        )
        dialog = SignOffDialog(summary, self.level, self._username, self)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        if accepted:
            self.sign(
                row["case_id"],
                dialog.username.text().strip(),
                dialog.password.text(),
                dialog.decision(),
                dialog.reason_text(),
                row["version"],
            )

    def sign(
        self,
        case_id: int,
        username: str,
        password: str,
        decision: SignOffDecision,
        reason: str = "",
        expected_version: int | None = None,
    ) -> None:
        self._say(self.tr("Saving…"))

        def work() -> list[dict[str, Any]]:
            self._cases.sign(case_id, username, password, decision, reason, expected_version)
            return self._cases.signoff_summaries(self.level)

        def done(rows: list[dict[str, Any]]) -> None:
            self.model.set_rows(rows)
            if decision is SignOffDecision.APPROVED:
                self._say(self.tr("Case {id} approved — saved.").format(id=case_id))
            else:
                self._say(self.tr("Case {id} returned — saved.").format(id=case_id))
            self.signed.emit(case_id)

        self._jobs.submit(work, done)

    def _failed(self, error: BaseException) -> None:
        text = error_message(error)
        if text is None:
            logger.error("sign-off failed", exc_info=error)
            text = self.tr("The action failed; the error was logged.")
        self._say(text)
        self.reload()

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.message.emit(text)
