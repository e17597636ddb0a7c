"""One case on screen: header, facts, timeline, the playbook as guided steps, notes, attachments,
contacts, evidence and the sign-off request.

Every action goes to CaseService on the TaskRunner with the version the screen showed; the panel
says "saved" only after the worker's commit came back, and reloads the case after every action.
A conflict (another workstation changed the case) is said in words and the case is reloaded.
"""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from controlroom.domain.catalogue import RECORDS, Outcome, PlaybookStep, alert_kind
from controlroom.domain.roles import SignOffLevel
from controlroom.domain.signoff import Evidence, missing_for_signoff, required_level
from controlroom.models.enums import CaseStatus
from controlroom.rules.clock import Clock
from controlroom.services.cases import Actor, CaseConflict, CaseRuleError, CaseService, CaseView
from controlroom.views import theme
from controlroom.views.cases.facts import FactsPanel, SeverityBadge
from controlroom.views.cases.messages import error_message
from controlroom.views.cases.signoff import level_text
from controlroom.views.inbox.model import TAIPEI, house_text, severity_text, side_text, taipei_time
from controlroom.views.tasks import TaskGroup, TaskRunner

logger = logging.getLogger(__name__)
DUE_CHECK_MS = 30_000


def case_status_text(status: CaseStatus) -> str:
    return {
        CaseStatus.OPEN: QCoreApplication.translate("CasePanel", "In handling"),
        CaseStatus.AWAITING_SIGNOFF: QCoreApplication.translate("CasePanel", "Awaiting sign-off"),
        CaseStatus.RETURNED: QCoreApplication.translate("CasePanel", "Returned for more handling"),
        CaseStatus.SIGNED_OFF: QCoreApplication.translate("CasePanel", "Signed off"),
        CaseStatus.CLOSED: QCoreApplication.translate("CasePanel", "Closed"),
    }[status]


def action_text(kind: str) -> str:
    return {
        "open": QCoreApplication.translate("CasePanel", "Case opened"),
        "outcome": QCoreApplication.translate("CasePanel", "Step outcome"),
        "note": QCoreApplication.translate("CasePanel", "Note"),
        "attachment": QCoreApplication.translate("CasePanel", "Attachment"),
        "evidence": QCoreApplication.translate("CasePanel", "Evidence"),
        "request_signoff": QCoreApplication.translate("CasePanel", "Sign-off requested"),
        "signoff_approved": QCoreApplication.translate("CasePanel", "Approved"),
        "signoff_returned": QCoreApplication.translate("CasePanel", "Returned"),
        "close": QCoreApplication.translate("CasePanel", "Closed"),
    }.get(kind, kind)


class CasePanel(QWidget):
    """The handling screen of one case."""

    message = Signal(str)
    changed = Signal(int)  # case id, after any saved action
    loaded = Signal(int)  # case id

    def __init__(
        self,
        tasks: TaskRunner,
        cases: CaseService,
        actor: Actor,
        clock: Clock,
        *,
        wall_scale: float = 1.0,
        due_check_ms: int = DUE_CHECK_MS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("case_panel")
        self._tasks = tasks
        self._cases = cases
        self._actor = actor
        self._clock = clock
        self._jobs = TaskGroup(tasks, self._failed)
        self.view: CaseView | None = None
        self.outcome_buttons: dict[str, QRadioButton] = {}
        self.record_fields: dict[str, QLineEdit] = {}
        font = QFont(self.font())
        font.setPointSizeF(max(8.0, font.pointSizeF() * wall_scale))
        self.setFont(font)
        self._build()
        self._due_timer = QTimer(self)
        self._due_timer.setInterval(due_check_ms)
        self._due_timer.timeout.connect(self.refresh_due)
        self._due_timer.start()
        self.setEnabled(False)

    # -- building ---------------------------------------------------------------------------------

    def _build(self) -> None:
        self.badge = SeverityBadge()
        self.title = QLabel()
        self.title.setObjectName("case_title")
        title_font = QFont(self.font())
        title_font.setPointSizeF(self.font().pointSizeF() * 1.6)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.identity = QLabel()
        self.identity.setObjectName("case_identity")
        self.identity.setWordWrap(True)
        self.identity.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.case_state = QLabel()
        self.case_state.setObjectName("case_state")
        self.case_state.setStyleSheet(
            f"border:2px solid {theme.TEXT}; padding:4px 10px; font-weight:bold;"
            f"font-size:{int(self.font().pointSizeF() * 1.3)}pt;"
        )
        header_text = QVBoxLayout()
        header_text.addWidget(self.title)
        header_text.addWidget(self.identity)
        header = QHBoxLayout()
        header.addWidget(self.badge)
        header.addLayout(header_text, 1)
        header.addWidget(self.case_state)

        self.facts = FactsPanel()
        facts_box = self._group(self.tr("Facts"), self.facts)

        # playbook
        self.due = QLabel()
        self.due.setObjectName("step_due")
        self.due.setWordWrap(True)
        self.step_title = QLabel()
        self.step_title.setObjectName("step_title")
        bold = QFont(self.font())
        bold.setBold(True)
        self.step_title.setFont(bold)
        self.sop_zh = QLabel()
        self.sop_zh.setObjectName("sop_zh")
        self.sop_zh.setWordWrap(True)
        sop_font = QFont(self.font())
        sop_font.setPointSizeF(self.font().pointSizeF() * 1.15)
        self.sop_zh.setFont(sop_font)
        self.sop_en = QLabel()
        self.sop_en.setObjectName("sop_en")
        self.sop_en.setWordWrap(True)
        self.sop_en.setStyleSheet(f"color:{theme.MUTED};")
        self.outcomes_box = QVBoxLayout()
        self.outcome_group = QButtonGroup(self)
        self.outcome_group.buttonToggled.connect(lambda *_: self._show_required())
        self.records_form = QFormLayout()
        self.step_note = QLineEdit()
        self.step_note.setObjectName("step_note")
        self.step_note.setPlaceholderText(self.tr("Optional note on this step"))
        self.record_button = QPushButton(self.tr("Record outcome"))
        self.record_button.setObjectName("record_outcome")
        self.record_button.clicked.connect(self.record_outcome)
        playbook = QWidget()
        playbook_layout = QVBoxLayout(playbook)
        for widget in (self.due, self.step_title, self.sop_zh, self.sop_en):
            playbook_layout.addWidget(widget)
        playbook_layout.addLayout(self.outcomes_box)
        playbook_layout.addLayout(self.records_form)
        playbook_layout.addWidget(self.step_note)
        playbook_layout.addWidget(self.record_button)
        self.playbook_box = self._group(self.tr("Playbook (SOP)"), playbook)

        # evidence and sign-off
        self.system_images = QCheckBox(self.tr("System exit/entry images (電子封條系統影像)"))
        self.system_images.setObjectName("evidence_images")
        self.cctv = QCheckBox(self.tr("Operator CCTV captured (業者監視影像)"))
        self.cctv.setObjectName("evidence_cctv")
        self.traced = QCheckBox(self.tr("Cargo traced (已追查貨物去向)"))
        self.traced.setObjectName("evidence_traced")
        for box in (self.system_images, self.cctv, self.traced):
            box.toggled.connect(self._preview_level)
        self.level = QLabel()
        self.level.setObjectName("signoff_level")
        level_font = QFont(self.font())
        level_font.setBold(True)
        level_font.setPointSizeF(self.font().pointSizeF() * 1.2)
        self.level.setFont(level_font)
        self.evidence_button = QPushButton(self.tr("Save evidence"))
        self.evidence_button.setObjectName("save_evidence")
        self.evidence_button.clicked.connect(self.save_evidence)
        self.request_button = QPushButton(self.tr("Request sign-off"))
        self.request_button.setObjectName("request_signoff")
        self.request_button.clicked.connect(self.request_signoff)
        self.close_button = QPushButton(self.tr("Close case"))
        self.close_button.setObjectName("close_case")
        self.close_button.clicked.connect(self.close_case)
        self.signoffs = QListWidget()
        self.signoffs.setObjectName("signoffs")
        self.signoffs.setMaximumHeight(90)
        evidence = QWidget()
        evidence_layout = QVBoxLayout(evidence)
        for box in (self.system_images, self.cctv, self.traced):
            evidence_layout.addWidget(box)
        evidence_layout.addWidget(self.level)
        evidence_buttons = QHBoxLayout()
        for button in (self.evidence_button, self.request_button, self.close_button):
            evidence_buttons.addWidget(button)
        evidence_layout.addLayout(evidence_buttons)
        evidence_layout.addWidget(self.signoffs)
        evidence_box = self._group(self.tr("Evidence and sign-off"), evidence)

        # right column: timeline, notes, attachments, contacts
        self.timeline = QTableWidget(0, 4)
        self.timeline.setObjectName("timeline")
        self.timeline.setHorizontalHeaderLabels(
            [self.tr("Time"), self.tr("By"), self.tr("Action"), self.tr("Detail")]
        )
        self.timeline.verticalHeader().hide()
        self.timeline.horizontalHeader().setStretchLastSection(True)
        self.timeline.setWordWrap(True)
        self.timeline.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.note = QPlainTextEdit()
        self.note.setObjectName("case_note")
        self.note.setPlaceholderText(self.tr("備註登錄 — what was done, who was called"))
        self.note.setFixedHeight(70)
        self.note_button = QPushButton(self.tr("Add note"))
        self.note_button.setObjectName("add_note")
        self.note_button.clicked.connect(self.add_note)
        notes = QWidget()
        notes_layout = QVBoxLayout(notes)
        notes_layout.addWidget(self.note)
        notes_layout.addWidget(self.note_button)
        self.attachments = QListWidget()
        self.attachments.setObjectName("attachments")
        self.attachments.setMaximumHeight(90)
        self.attach_button = QPushButton(self.tr("Add image or PDF…"))
        self.attach_button.setObjectName("add_attachment")
        self.attach_button.clicked.connect(self._choose_attachment)
        attachments = QWidget()
        attachments_layout = QVBoxLayout(attachments)
        attachments_layout.addWidget(self.attachments)
        attachments_layout.addWidget(self.attach_button)
        self.contacts = QTableWidget(0, 4)
        self.contacts.setObjectName("contacts")
        self.contacts.setHorizontalHeaderLabels(
            [self.tr("Unit"), self.tr("Phone"), self.tr("Role"), self.tr("Hours")]
        )
        self.contacts.verticalHeader().hide()
        self.contacts.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.contacts.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)

        self.status = QLabel()
        self.status.setObjectName("case_status")
        self.status.setWordWrap(True)
        status_font = QFont(self.font())
        status_font.setBold(True)
        self.status.setFont(status_font)

        # three columns: what to do now | what happened | the record and whom to call
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.playbook_box)
        left_layout.addWidget(evidence_box)
        left_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(left)
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addWidget(facts_box, 3)
        middle_layout.addWidget(self._group(self.tr("Contact windows"), self.contacts), 2)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self._group(self.tr("Timeline"), self.timeline), 2)
        right_layout.addWidget(self._group(self.tr("Notes (備註登錄)"), notes))
        right_layout.addWidget(self._group(self.tr("Attachments"), attachments))
        splitter = QSplitter()
        for pane, stretch in ((scroll, 3), (middle, 3), (right, 4)):
            splitter.addWidget(pane)
            splitter.setStretchFactor(splitter.count() - 1, stretch)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.status)
        layout.addWidget(splitter, 1)

    @staticmethod
    def _group(title: str, content: QWidget) -> QGroupBox:
        box = QGroupBox(title)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(content)
        return box

    # -- loading ------------------------------------------------------------------------------------

    @property
    def idle(self) -> bool:
        return self._jobs.idle

    def open_alert(self, alert_id: int) -> None:
        """Open (or reopen) the case of an alert and show it."""
        self._jobs.submit(
            lambda: self._cases.case_view(self._cases.open_case(alert_id, self._actor)), self.show_case
        )

    def load(self, case_id: int) -> None:
        self._jobs.submit(lambda: self._cases.case_view(case_id), self.show_case)

    def reload(self) -> None:
        if self.view is not None:
            self.load(self.view.case_id)

    def show_case(self, view: CaseView) -> None:
        self.view = view
        self.setEnabled(True)
        alert = view.alert
        self.badge.set_severity(alert["severity"])
        self.title.setText(
            f"{alert['code']} {alert['name_zh']} — {severity_text(alert['severity'])}   ({alert['name_en']})"
        )
        parts = [
            self.tr("CN {v}").format(v=alert["cn_no"] or "—"),
            self.tr("Container {v}").format(v=alert["container_no"] or "—"),
            self.tr("Plate {v}").format(v=alert["plate"] or "—"),
            self.tr("Seal {v}").format(v=alert["seal_no"] or "—"),
        ]
        if view.driver_masked:
            parts.append(self.tr("Driver {v}").format(v=view.driver_masked))
        houses = [house_text(h) for h in (alert["origin_house"], alert["destination_house"]) if h]
        parts.append(f"{alert['origin'] or '?'} → {alert['destination'] or '?'}")
        if houses:
            parts.append(" / ".join(dict.fromkeys(houses)))
        parts.append(self.tr("Handled by {side}").format(side=side_text(alert["side"])))
        parts.append(self.tr("Raised {time}").format(time=taipei_time(alert["raised_at"], with_date=True)))
        self.identity.setText("   ".join(parts))
        self.case_state.setText(case_status_text(view.status))
        self.facts.show_facts(alert["facts"])
        self._show_step(view)
        self._show_evidence(view)
        self._show_timeline(view)
        self._show_lists(view)
        self.loaded.emit(view.case_id)

    def _show_step(self, view: CaseView) -> None:
        for button in list(self.outcome_group.buttons()):
            self.outcome_group.removeButton(button)
            button.deleteLater()
        self.outcome_buttons.clear()
        while self.records_form.rowCount():
            self.records_form.removeRow(0)
        self.record_fields.clear()
        self.step_note.clear()
        handling = view.status in (CaseStatus.OPEN, CaseStatus.RETURNED)
        if view.current_step is None:
            self.step_title.setText(self.tr("Playbook complete"))
            done = [f"{RECORDS[k].zh}：{v}" for k, v in view.records.items() if k in RECORDS]
            self.sop_zh.setText("\n".join(done) or self.tr("No records were required."))
            self.sop_en.setText("")
            self.record_button.setEnabled(False)
            self.step_note.setEnabled(False)
            self.record_button.hide()
            self.step_note.hide()
            self.refresh_due()
            return
        self.record_button.show()
        self.step_note.show()
        step = alert_kind(view.alert["code"]).playbook.step(view.current_step)
        self.step_title.setText(self.tr("Current step: {step}").format(step=step.key))
        self.sop_zh.setText(step.zh)
        self.sop_en.setText(step.en)
        for outcome in step.outcomes:
            button = QRadioButton(f"{outcome.zh}\n{outcome.en}")
            button.setObjectName(f"outcome_{outcome.key}")
            button.setEnabled(handling)
            self.outcome_group.addButton(button)
            self.outcomes_box.addWidget(button)
            self.outcome_buttons[outcome.key] = button
        for key in dict.fromkeys(r for o in step.outcomes for r in o.requires):
            field = QLineEdit(view.records.get(key, ""))
            field.setObjectName(f"record_{key}")
            field.setPlaceholderText(RECORDS[key].en)
            field.textChanged.connect(self._show_required)
            label = QLabel(f"{RECORDS[key].zh}\n{RECORDS[key].en}")
            self.records_form.addRow(label, field)
            self.record_fields[key] = field
        self.step_note.setEnabled(handling)
        self._show_required()
        self.refresh_due()

    def _step(self) -> PlaybookStep | None:
        if self.view is None or self.view.current_step is None:
            return None
        return alert_kind(self.view.alert["code"]).playbook.step(self.view.current_step)

    def _chosen(self) -> Outcome | None:
        step = self._step()
        if step is None:
            return None
        for key, button in self.outcome_buttons.items():
            if button.isChecked():
                return step.outcome(key)
        return None

    def _show_required(self) -> None:
        outcome = self._chosen()
        required = set(outcome.requires) if outcome else set()
        for key, field in self.record_fields.items():
            visible = key in required
            self.records_form.setRowVisible(field, visible)
        handling = self.view is not None and self.view.status in (CaseStatus.OPEN, CaseStatus.RETURNED)
        filled = all(self.record_fields[k].text().strip() for k in required)
        self.record_button.setEnabled(handling and outcome is not None and filled)

    def refresh_due(self) -> None:
        """Show when the current step falls due; once due, say so prominently (S7 escalation)."""
        view = self.view
        if view is None or view.step_due_at is None or view.current_step is None:
            self.due.hide()
            return
        due_at = taipei_time(view.step_due_at, with_date=True)
        self.due.show()
        if self._clock.now() >= view.step_due_at:
            self.due.setProperty("due", True)
            self.due.setText(self.tr("⚠ DUE since {time}: escalate now").format(time=due_at))
            self.due.setStyleSheet(
                f"background:{theme.ALARM_HIGH}; color:white; font-weight:bold; padding:6px;"
                f"font-size:{int(self.font().pointSizeF() * 1.3)}pt;"
            )
        else:
            self.due.setProperty("due", False)
            self.due.setText(self.tr("Due at {time}").format(time=due_at))
            self.due.setStyleSheet(f"border:2px solid {theme.ALARM_MEDIUM}; padding:4px; font-weight:bold;")

    def _show_evidence(self, view: CaseView) -> None:
        handling = view.status in (CaseStatus.OPEN, CaseStatus.RETURNED)
        for box, value in (
            (self.system_images, view.evidence.system_images),
            (self.cctv, view.evidence.cctv_captured),
            (self.traced, view.evidence.cargo_traced),
        ):
            box.blockSignals(True)
            box.setChecked(value)
            box.setEnabled(handling)
            box.blockSignals(False)
        self._preview_level()
        self.evidence_button.setEnabled(handling)
        self.request_button.setEnabled(handling and view.current_step is None)
        self.close_button.setEnabled(view.status is CaseStatus.SIGNED_OFF)
        self.signoffs.clear()
        self.signoffs.setVisible(bool(view.signoffs))
        for s in view.signoffs:
            decision = self.tr("approved") if s["decision"].value == "approved" else self.tr("returned")
            reason = f" — {s['reason']}" if s["reason"] else ""
            self.signoffs.addItem(
                f"{taipei_time(s['at'], with_date=True)} {s['signer']} ({level_text(s['level'])}) "
                f"{decision}{reason}"
            )

    def chosen_evidence(self) -> Evidence:
        return Evidence(self.system_images.isChecked(), self.cctv.isChecked(), self.traced.isChecked())

    def _preview_level(self) -> None:
        evidence = self.chosen_evidence()
        text = self.tr("Sign-off level: {level}").format(level=level_text(required_level(evidence)))
        if missing_for_signoff(evidence):
            text += "\n" + self.tr("No images and no CCTV: trace where the cargo went before sign-off.")
        if self.view is not None and self.view.required_level is not None:
            text += "\n" + self.tr("Sent to: {level}").format(level=level_text(self.view.required_level))
        self.level.setText(text)

    def _show_timeline(self, view: CaseView) -> None:
        self.timeline.setRowCount(len(view.timeline))
        for i, entry in enumerate(reversed(view.timeline)):  # newest first
            detail = self._detail(entry)
            cells = (
                entry["at"].astimezone(TAIPEI).strftime("%m-%d %H:%M"),
                entry["actor"],
                action_text(entry["kind"]),
                detail,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.timeline.setItem(i, column, item)
        for column in range(3):
            self.timeline.resizeColumnToContents(column)
        self.timeline.resizeRowsToContents()

    def _detail(self, entry: dict[str, Any]) -> str:
        parts: list[str] = []
        if entry["kind"] == "outcome" and self.view is not None:
            try:
                step = alert_kind(self.view.alert["code"]).playbook.step(entry["step"])
                parts.append(step.outcome(entry["outcome"]).zh)
            except KeyError:
                parts.append(f"{entry['step']}: {entry['outcome']}")
            records = entry["data"].get("records", {})
            parts.extend(f"{RECORDS[k].zh}：{v}" for k, v in records.items() if k in RECORDS)
        elif entry["kind"] in ("request_signoff", "signoff_approved", "signoff_returned", "evidence"):
            level = entry["data"].get("level")
            if level in SignOffLevel.__members__:
                parts.append(level_text(SignOffLevel[level]))
        if entry["note"]:
            parts.append(entry["note"])
        return "；".join(parts)

    def _show_lists(self, view: CaseView) -> None:
        self.attachments.clear()
        for a in view.attachments:
            self.attachments.addItem(
                f"{a['filename']} ({a['media_type']}) — {a['added_by']} "
                f"{taipei_time(a['added_at'], with_date=True)}"
            )
        self.contacts.setRowCount(len(view.contacts))
        for i, c in enumerate(view.contacts):
            for column, text in enumerate((c["unit_zh"], c["phone"], c["role_zh"], c["hours_zh"])):
                self.contacts.setItem(i, column, QTableWidgetItem(text))

    # -- actions --------------------------------------------------------------------------------------

    def _act(self, work: Callable[[CaseView], Any], saved: str) -> None:
        """Run one service call for the shown case, then reload it; "saved" only after the commit."""
        view = self.view
        if view is None:
            return
        self._say(self.tr("Saving…"))

        def run() -> CaseView:
            work(view)
            return self._cases.case_view(view.case_id)

        def done(fresh: CaseView) -> None:
            self.show_case(fresh)
            self._say(saved)
            self.changed.emit(fresh.case_id)

        self._jobs.submit(run, done)

    def record_outcome(self) -> None:
        step, outcome = self._step(), self._chosen()
        if step is None or outcome is None:
            self._say(self.tr("Choose how the step turned out."))
            return
        records = {k: self.record_fields[k].text() for k in outcome.requires}
        note = self.step_note.text().strip()
        self._act(
            lambda v: self._cases.record_outcome(
                v.case_id, self._actor, step.key, outcome.key, records, note, expected_version=v.version
            ),
            self.tr("Step recorded — saved."),
        )

    def add_note(self) -> None:
        text = self.note.toPlainText().strip()
        if not text:
            self._say(QCoreApplication.translate("CaseMessages", "The note is empty."))
            return

        def work(v: CaseView) -> None:
            self._cases.add_note(v.case_id, self._actor, text)

        self._act(work, self.tr("Note added — saved."))
        self.note.clear()

    def _choose_attachment(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Attach image or PDF"),
            "",
            self.tr("Images and PDF (*.png *.jpg *.jpeg *.gif *.webp *.pdf)"),
        )
        if path:
            self.add_attachment_file(Path(path))

    def add_attachment_file(self, path: Path) -> None:
        """Read and attach a file; reading happens on the worker too."""
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"

        def work(v: CaseView) -> None:
            self._cases.add_attachment(v.case_id, self._actor, path.name, media_type, path.read_bytes())

        self._act(work, self.tr("Attachment added — saved."))

    def save_evidence(self) -> None:
        evidence = self.chosen_evidence()
        self._act(
            lambda v: self._cases.set_evidence(v.case_id, self._actor, evidence, expected_version=v.version),
            self.tr("Evidence saved."),
        )

    def request_signoff(self) -> None:
        evidence = self.chosen_evidence()

        def work(v: CaseView) -> None:
            if evidence != v.evidence:  # the ticks on screen are what is sent
                self._cases.set_evidence(v.case_id, self._actor, evidence, expected_version=v.version)
                self._cases.request_signoff(v.case_id, self._actor)
            else:
                self._cases.request_signoff(v.case_id, self._actor, expected_version=v.version)

        self._act(work, self.tr("Sent for sign-off — saved."))

    def close_case(self) -> None:
        self._act(
            lambda v: self._cases.close(v.case_id, self._actor, expected_version=v.version),
            self.tr("Case closed — saved."),
        )

    def _failed(self, error: BaseException) -> None:
        text = error_message(error)
        if text is None:
            logger.error("case action failed", exc_info=error)
            text = self.tr("The action failed; the error was logged.")
        self._say(text)
        if isinstance(error, CaseConflict) or (
            isinstance(error, CaseRuleError) and error.code == "wrong_step"
        ):
            self.reload()

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.message.emit(text)

    def shutdown(self) -> None:
        self._due_timer.stop()
