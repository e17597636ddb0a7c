"""The case panel driven like an officer would: every playbook family, S7's escalation, evidence,
notes, attachments, sign-off at each level through the dialog, and a conflict between workstations."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from controlroom.domain.catalogue import RECORDS, alert_kind
from controlroom.domain.roles import Role, SignOffLevel
from controlroom.models import Alert, Case, CNNote, Driver, HandlingAction
from controlroom.models.enums import AlertStatus, CaseStatus, SealType
from controlroom.rules.clock import ManualClock
from controlroom.services.cases import Actor, CaseService
from controlroom.storage.database import Database, open_database
from controlroom.views.cases.panel import CasePanel
from controlroom.views.cases.signoff import SignOffDialog, SignOffQueue
from controlroom.views.i18n import Translations
from controlroom.views.tasks import TaskRunner
from tests.inbox.support import add_alert
from tests.support.factories import PASSWORD, make_user

pytestmark = pytest.mark.gui
T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # 09:00 Taipei
OFFICER = Actor("duty1", Role.DUTY_OFFICER)
SQLITE = pytest.mark.parametrize("database", ["sqlite"], indirect=True)
SAVED_STEP = "Step recorded — saved."
TRACK = [
    {"ts": f"2026-11-23T00:5{i}:00Z", "lat": 22.60 + i * 0.002, "lon": 120.30 + i * 0.003} for i in range(6)
]


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0 + timedelta(minutes=5))


@pytest.fixture
def cases(database: Database, clock: ManualClock) -> CaseService:
    for name, role in (
        ("duty1", Role.DUTY_OFFICER),
        ("chief1", Role.SECTION_CHIEF),
        ("division1", Role.DIVISION_CHIEF),
        ("head1", Role.UNIT_HEAD),
    ):
        make_user(database, name, role)
    return CaseService(database, clock)


@pytest.fixture
def panel(qtbot: QtBot, tasks: TaskRunner, cases: CaseService, clock: ManualClock) -> Iterator[CasePanel]:
    widget = CasePanel(tasks, cases, OFFICER, clock, due_check_ms=50)
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    yield widget
    widget.shutdown()


def _open(qtbot: QtBot, panel: CasePanel, alert_id: int) -> None:
    panel.open_alert(alert_id)
    qtbot.waitUntil(lambda: panel.idle and panel.view is not None)


def _choose(qtbot: QtBot, panel: CasePanel, outcome: str, records: dict[str, str] | None = None) -> None:
    """Pick an outcome, fill the records it requires, and record it; waits for the commit."""
    panel.outcome_buttons[outcome].click()
    for key, value in (records or {}).items():
        assert panel.records_form.isRowVisible(panel.record_fields[key])
        panel.record_fields[key].setText(value)
    panel.record_button.click()
    qtbot.waitUntil(lambda: panel.idle)
    assert panel.status.text() == SAVED_STEP, panel.status.text()


def _walk(qtbot: QtBot, panel: CasePanel, path: list[str]) -> None:
    """Walk outcome keys from the current step, filling every required record from RECORDS."""
    assert panel.view is not None
    playbook = alert_kind(panel.view.alert["code"]).playbook
    for outcome_key in path:
        assert panel.view is not None and panel.view.current_step is not None
        outcome = playbook.outcome(panel.view.current_step, outcome_key)
        _choose(qtbot, panel, outcome_key, {r: f"已辦理：{RECORDS[r].zh}" for r in outcome.requires})


@SQLITE
@pytest.mark.parametrize(
    ("code", "path"),
    [
        ("SEAL_LOST", ["not_clear", "opened"]),  # A
        ("ARRIVAL_LATE", ["not_clear", "exterior_ok"]),  # B: affidavit and inspection result
        ("SEAL_BROKEN", ["inspected"]),
        ("EXIT_UNSEALED", ["confirmed_unsealed", "checked_at_gate"]),
        ("S4", ["not_belongs", "recorded"]),
        ("S8", ["unreadable", "uploaded"]),
    ],
)
def test_each_playbook_family_is_walked_to_the_sign_off_request(
    qtbot: QtBot, database: Database, panel: CasePanel, code: str, path: list[str]
) -> None:
    alert_id = add_alert(database, code, T0, n=3, facts={"images_present": True, "track": TRACK})
    _open(qtbot, panel, alert_id)
    assert panel.view is not None and panel.view.status is CaseStatus.OPEN
    step = alert_kind(code).playbook.step(alert_kind(code).playbook.first_step)
    assert panel.sop_zh.text() == step.zh and panel.sop_en.text() == step.en
    assert set(panel.outcome_buttons) == {o.key for o in step.outcomes}
    assert not panel.record_button.isEnabled()  # nothing chosen yet
    assert not panel.request_button.isEnabled()  # the playbook is not done
    _walk(qtbot, panel, path)
    assert panel.view.current_step is None
    assert panel.step_title.text() == "Playbook complete"
    assert panel.system_images.isChecked()  # images were present when the alert was raised
    assert panel.level.text().startswith("Sign-off level: 股長")
    panel.request_button.click()
    qtbot.waitUntil(lambda: panel.idle)
    assert panel.status.text() == "Sent for sign-off — saved."
    assert panel.view.status is CaseStatus.AWAITING_SIGNOFF
    with database.transaction() as session:
        outcomes = session.scalars(
            select(HandlingAction.outcome_key)
            .where(HandlingAction.kind == "outcome")
            .order_by(HandlingAction.id)
        ).all()
    assert list(outcomes) == path


@SQLITE
def test_b_needs_the_affidavit_before_the_outcome_can_be_recorded(
    qtbot: QtBot, database: Database, panel: CasePanel
) -> None:
    _open(qtbot, panel, add_alert(database, "OVERDUE_NOT_ARRIVED", T0, n=4))
    _choose(qtbot, panel, "not_clear")
    assert "切結書" in panel.sop_zh.text()
    panel.outcome_buttons["exterior_ok"].click()
    panel.record_fields["inspection_result"].setText("外觀及封條無異樣")
    assert not panel.record_button.isEnabled()
    label = panel.records_form.labelForField(panel.record_fields["affidavit"])
    assert label is not None and "船公司與運輸公司聯合具結之切結書" in label.text()  # type: ignore[attr-defined]
    panel.record_fields["affidavit"].setText("切結書 KH-2026-117")
    assert panel.record_button.isEnabled()
    panel.record_button.click()
    qtbot.waitUntil(lambda: panel.idle)
    assert panel.status.text() == SAVED_STEP
    assert "切結書 KH-2026-117" in panel.sop_zh.text()  # the completed playbook lists its records


@SQLITE
def test_s7_escalation_is_shown_prominently_once_twelve_hours_have_passed(
    qtbot: QtBot, database: Database, panel: CasePanel, clock: ManualClock
) -> None:
    _open(qtbot, panel, add_alert(database, "S7", T0, n=5, origin="KLC101", destination="KLY201"))
    assert panel.due.isHidden()  # the first step has no deadline
    _walk(qtbot, panel, ["not_entered", "still_not_entered"])
    assert panel.view is not None and panel.view.current_step == "escalate"
    assert panel.due.text() == "Due at 11-23 21:00:00"
    assert not panel.due.property("due")
    clock.advance(timedelta(hours=11, minutes=54, seconds=59))
    qtbot.wait(120)
    assert not panel.due.property("due")
    clock.advance(timedelta(seconds=1))  # 12 hours after the alert
    qtbot.waitUntil(lambda: bool(panel.due.property("due")))
    assert panel.due.text() == "⚠ DUE since 11-23 21:00:00: escalate now"
    assert "警政機關" in panel.sop_zh.text()
    contacts = [panel.contacts.item(r, 0).text() for r in range(panel.contacts.rowCount())]  # type: ignore[union-attr]
    assert any("基隆關" in unit for unit in contacts)
    _walk(qtbot, panel, ["reported_to_police"])
    assert panel.due.isHidden()


@SQLITE
def test_header_facts_notes_attachments_and_contacts(
    qtbot: QtBot, database: Database, panel: CasePanel, tmp_path: Path
) -> None:
    with database.transaction() as session:
        driver = Driver(national_id="A123456789", name="王駕駛")
        session.add(driver)
        session.flush()
        session.add(
            CNNote(
                cn_no="CN202611200009", container_no="TGHU0000009", plate="KL00009", driver_id=driver.id,
                origin="KHC101", destination="KHC102", seal_type=SealType.VEHICLE, seal_no="VS000009",
                tool_type=1,
            )
        )  # fmt: skip
    alert_id = add_alert(
        database, "SEAL_SEPARATED", T0, n=9,
        facts={"track": TRACK, "unsealed_normally": True, "images_present": False,
               "seal_states": [{"ts": "2026-11-23T00:40:00Z", "state": "locked"},
                               {"ts": "2026-11-23T00:58:00Z", "state": "separated"}]},
    )  # fmt: skip
    _open(qtbot, panel, alert_id)
    assert panel.title.text().startswith("SEAL_SEPARATED 封條連續脫離 — High")
    identity = panel.identity.text()
    expected = ["CN CN202611200009", "Container TGHU0000009", "Plate KL00009", "Driver A12****789"]
    expected += ["KHC101 → KHC102", "Kaohsiung Customs", "Handled by JMC", "Raised 11-23 09:00:00"]
    for part in expected:
        assert part in identity
    assert "A123456789" not in identity
    assert panel.facts.track_points == 6
    assert panel.facts.images.text() == "no" and panel.facts.unsealed.text() == "yes"
    assert "locked" in panel.facts.seal_states.text() and "separated" in panel.facts.seal_states.text()
    contacts = [panel.contacts.item(r, 0).text() for r in range(panel.contacts.rowCount())]  # type: ignore[union-attr]
    assert contacts[0] == "高雄關聯合管理中心"

    panel.note.setPlainText("已致電目的地監管關員，預計 10:30 到站")
    panel.note_button.click()
    qtbot.waitUntil(lambda: panel.idle)
    assert panel.status.text() == "Note added — saved."
    assert panel.timeline.item(0, 3).text() == "已致電目的地監管關員，預計 10:30 到站"  # type: ignore[union-attr]

    image = tmp_path / "door.png"
    panel.grab().save(str(image))
    panel.add_attachment_file(image)
    qtbot.waitUntil(lambda: panel.idle)
    assert panel.status.text() == "Attachment added — saved."
    assert panel.attachments.count() == 1 and panel.attachments.item(0).text().startswith(
        "door.png (image/png)"
    )  # type: ignore[union-attr]
    text_file = tmp_path / "notes.txt"
    text_file.write_text("not an image")
    panel.add_attachment_file(text_file)
    qtbot.waitUntil(lambda: panel.idle)
    assert panel.status.text() == "Only images (PNG, JPEG, GIF, WebP) and PDF files can be attached."


@SQLITE
def test_evidence_decides_the_level_and_missing_trace_is_explained(
    qtbot: QtBot, database: Database, panel: CasePanel
) -> None:
    _open(qtbot, panel, add_alert(database, "SEAL_LOST", T0, n=10))
    _choose(qtbot, panel, "clear")
    assert panel.level.text().startswith("Sign-off level: 一級單位主管")
    assert "trace where the cargo went" in panel.level.text()
    panel.request_button.click()
    qtbot.waitUntil(lambda: panel.idle)
    assert panel.status.text() == "Without images or CCTV the cargo must be traced before sign-off."
    panel.cctv.setChecked(True)
    assert panel.level.text() == "Sign-off level: 課長 (division chief)"
    panel.evidence_button.click()
    qtbot.waitUntil(lambda: panel.idle)
    assert panel.status.text() == "Evidence saved."
    assert panel.view is not None and panel.view.level is SignOffLevel.DIVISION_CHIEF


def _sign_through_dialog(
    qtbot: QtBot, queue: SignOffQueue, case_id: int, username: str, *, reason: str | None = None
) -> str:
    assert queue.select_case(case_id)

    def fill() -> None:
        dialog = next(d for d in queue.findChildren(SignOffDialog) if d.isVisible())
        dialog.username.setText(username)
        dialog.password.setText(PASSWORD)
        if reason is not None:
            dialog.give_back.setChecked(True)
            assert not dialog.ok.isEnabled()  # returning needs a reason
            dialog.reason.setPlainText(reason)
        assert dialog.ok.isEnabled()
        dialog.ok.click()

    QTimer.singleShot(0, fill)
    queue.sign_button.click()
    qtbot.waitUntil(lambda: queue.idle)
    return queue.status.text()


@SQLITE
@pytest.mark.parametrize(
    ("evidence", "level", "lower", "signer"),
    [
        ("evidence_images", SignOffLevel.SECTION_CHIEF, "duty1", "chief1"),
        ("evidence_cctv", SignOffLevel.DIVISION_CHIEF, "chief1", "division1"),
        ("evidence_traced", SignOffLevel.UNIT_HEAD, "division1", "head1"),
    ],
)
def test_sign_off_at_each_level_refuses_a_lower_role(
    qtbot: QtBot,
    database: Database,
    tasks: TaskRunner,
    cases: CaseService,
    panel: CasePanel,
    evidence: str,
    level: SignOffLevel,
    lower: str,
    signer: str,
) -> None:
    _open(qtbot, panel, add_alert(database, "SEAL_PIN_FAULT", T0, n=11))
    _choose(qtbot, panel, "clear")
    for box in (panel.system_images, panel.cctv, panel.traced):
        box.setChecked(box.objectName() == evidence)
    panel.request_button.click()
    qtbot.waitUntil(lambda: panel.idle)
    assert panel.view is not None and panel.view.required_level is level
    case_id = panel.view.case_id

    queue = SignOffQueue(tasks, cases, level)
    qtbot.addWidget(queue)
    queue.reload()
    qtbot.waitUntil(lambda: queue.idle)
    assert queue.case_ids() == [case_id]
    assert (
        _sign_through_dialog(qtbot, queue, case_id, lower) == "Your role cannot sign or close at this level."
    )
    assert queue.case_ids() == [case_id]
    assert _sign_through_dialog(qtbot, queue, case_id, signer) == f"Case {case_id} approved — saved."
    assert queue.case_ids() == []

    panel.reload()
    qtbot.waitUntil(lambda: panel.idle)
    assert panel.close_button.isEnabled()
    assert panel.signoffs.item(0).text().endswith("approved")  # type: ignore[union-attr]
    panel.close_button.click()
    qtbot.waitUntil(lambda: panel.idle)
    assert panel.status.text() == "Case closed — saved."
    assert panel.view.status is CaseStatus.CLOSED


@SQLITE
def test_a_returned_case_goes_back_to_handling_and_can_be_sent_again(
    qtbot: QtBot, database: Database, tasks: TaskRunner, cases: CaseService, panel: CasePanel
) -> None:
    _open(qtbot, panel, add_alert(database, "UNIT_POWER_REMOVED", T0, n=12, facts={"images_present": True}))
    _choose(qtbot, panel, "clear")
    panel.request_button.click()
    qtbot.waitUntil(lambda: panel.idle)
    assert panel.view is not None
    case_id = panel.view.case_id
    queue = SignOffQueue(tasks, cases, SignOffLevel.SECTION_CHIEF, username="chief1")
    qtbot.addWidget(queue)
    queue.reload()
    qtbot.waitUntil(lambda: queue.idle)
    status = _sign_through_dialog(qtbot, queue, case_id, "chief1", reason="請補充拔除電源原因")
    assert status == f"Case {case_id} returned — saved."

    panel.reload()
    qtbot.waitUntil(lambda: panel.idle)
    assert panel.view.status is CaseStatus.RETURNED
    assert panel.case_state.text() == "Returned for more handling"
    assert "請補充拔除電源原因" in panel.signoffs.item(0).text()  # type: ignore[union-attr]
    assert panel.request_button.isEnabled()
    panel.note.setPlainText("已查明：駕駛更換電瓶")
    panel.note_button.click()
    qtbot.waitUntil(lambda: panel.idle)
    panel.request_button.click()
    qtbot.waitUntil(lambda: panel.idle)
    assert panel.status.text() == "Sent for sign-off — saved."
    with database.transaction() as session:
        alert = session.scalar(select(Alert).join(Case, Case.alert_id == Alert.id).where(Case.id == case_id))
        assert alert is not None and alert.status is AlertStatus.AWAITING_SIGNOFF


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
def test_a_case_changed_on_another_workstation_is_reported_and_reloaded(
    qtbot: QtBot, database: Database, panel: CasePanel, clock: ManualClock
) -> None:
    _open(qtbot, panel, add_alert(database, "SEAL_LOST", T0, n=13))
    assert panel.view is not None
    url = database.engine.url.render_as_string(hide_password=False)
    other = open_database(url, upgrade=False, seed=False)  # the second workstation, its own engine
    try:
        CaseService(other, clock).record_outcome(
            panel.view.case_id, Actor("duty2", Role.DUTY_OFFICER), "assess", "not_clear"
        )
    finally:
        other.dispose()
    panel.outcome_buttons["clear"].click()  # the screen still shows the first step
    panel.record_button.click()
    qtbot.waitUntil(lambda: panel.status.text() == "Changed on another workstation — reloaded.")
    qtbot.waitUntil(
        lambda: panel.idle and panel.view is not None and panel.view.current_step == "destination_check"
    )
    assert "destination_check" in panel.step_title.text()


@SQLITE
def test_refusals_are_explained_in_traditional_chinese(
    qtbot: QtBot, database: Database, tasks: TaskRunner, cases: CaseService, clock: ManualClock,
    chinese: Translations,
) -> None:  # fmt: skip
    panel = CasePanel(tasks, cases, OFFICER, clock)
    qtbot.addWidget(panel)
    _open(qtbot, panel, add_alert(database, "SEAL_LOST", T0, n=14))
    assert panel.record_button.text() == "登錄處理結果"
    panel.outcome_buttons["clear"].click()
    panel.record_button.click()
    qtbot.waitUntil(lambda: panel.idle)
    assert panel.status.text() == "處理結果已登錄 — 已儲存。"
    assert panel.level.text().startswith("陳核層級：一級單位主管")
    panel.request_button.click()
    qtbot.waitUntil(lambda: panel.idle)
    assert panel.status.text() == "無系統影像亦無監視影像時，須先追查貨物去向方可陳核。"
    panel.shutdown()
