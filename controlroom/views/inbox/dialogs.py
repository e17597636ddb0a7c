"""Small dialogs of the inbox: acknowledge with an optional note, shelve for a time with a reason."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

SHELVE_CHOICES = (
    timedelta(minutes=15),
    timedelta(minutes=30),
    timedelta(hours=1),
    timedelta(hours=2),
    timedelta(hours=4),
    timedelta(hours=8),
    timedelta(hours=24),
)


class AcknowledgeDialog(QDialog):
    def __init__(self, summary: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("acknowledge_dialog")
        self.setWindowTitle(self.tr("Acknowledge alert"))
        self.note = QLineEdit()
        self.note.setObjectName("ack_note")
        self.note.setPlaceholderText(self.tr("Optional note, e.g. who was called"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = QPushButton(self.tr("Acknowledge"))
        self.ok.setDefault(True)
        buttons.addButton(self.ok, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(summary))
        form = QFormLayout()
        form.addRow(self.tr("Note"), self.note)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def note_text(self) -> str:
        return self.note.text().strip()


class ShelveDialog(QDialog):
    """Shelving needs a duration (at most 24 h) and a reason; OK stays disabled until both are given."""

    def __init__(self, summary: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shelve_dialog")
        self.setWindowTitle(self.tr("Shelve alert"))
        self.duration = QComboBox()
        self.duration.setObjectName("shelve_duration")
        for choice in SHELVE_CHOICES:
            minutes = int(choice.total_seconds() // 60)
            label = (
                self.tr("{n} minutes").format(n=minutes)
                if minutes < 60
                else self.tr("{n} hours").format(n=minutes // 60)
            )
            self.duration.addItem(label, choice)
        self.duration.setCurrentIndex(1)
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("shelve_reason")
        self.reason.setPlaceholderText(self.tr("Required: why this alert may wait"))
        self.reason.setFixedHeight(80)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = QPushButton(self.tr("Shelve"))
        self.ok.setEnabled(False)
        buttons.addButton(self.ok, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(self._check)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(summary))
        form = QFormLayout()
        form.addRow(self.tr("Shelve for"), self.duration)
        form.addRow(self.tr("Reason"), self.reason)
        layout.addLayout(form)
        layout.addWidget(
            QLabel(self.tr("The alert returns unacknowledged when the time runs out.")),
        )
        layout.addWidget(buttons)

    def _check(self) -> None:
        self.ok.setEnabled(bool(self.reason_text()))

    def reason_text(self) -> str:
        return self.reason.toPlainText().strip()

    def chosen_duration(self) -> timedelta:
        value = self.duration.currentData()
        return value if isinstance(value, timedelta) else SHELVE_CHOICES[1]
