"""Case handling through every SOP playbook, sign-off at each level, shelving and concurrent edits."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from controlroom.domain.catalogue import CATALOGUE, PLAYBOOKS
from controlroom.domain.roles import Role, SignOffLevel
from controlroom.domain.signoff import Evidence
from controlroom.models import Alert, Case, SignOff
from controlroom.models.enums import AlertStatus, CaseStatus, SignOffDecision
from controlroom.rules.clock import ManualClock
from controlroom.services.cases import Actor, CaseConflict, CaseRuleError, CaseService
from controlroom.storage import audit
from controlroom.storage.database import Database, open_database
from tests.support.factories import PASSWORD, make_alert, make_user

TAIPEI = ZoneInfo("Asia/Taipei")
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=TAIPEI)
OFFICER = Actor("duty1", Role.DUTY_OFFICER)


@pytest.fixture
def service(database: Database) -> CaseService:
    for name, role in (
        ("duty1", Role.DUTY_OFFICER),
        ("chief1", Role.SECTION_CHIEF),
        ("division1", Role.DIVISION_CHIEF),
        ("head1", Role.UNIT_HEAD),
    ):
        make_user(database, name, role)
    return CaseService(database, ManualClock(T0))


def _status(database: Database, alert_id: int) -> tuple[AlertStatus, CaseStatus | None]:
    with database.transaction() as session:
        alert = session.get(Alert, alert_id)
        case = session.scalar(select(Case).where(Case.alert_id == alert_id))
        assert alert is not None
        return alert.status, case.status if case else None


def _walk(service: CaseService, case_id: int, path: list[tuple[str, str, tuple[str, ...]]]) -> None:
    for step, outcome, requires in path:
        service.record_outcome(case_id, OFFICER, step, outcome, {r: f"已辦理 {r}" for r in requires})


def _paths_for(code: str) -> Iterator[list[tuple[str, str, tuple[str, ...]]]]:
    for path in CATALOGUE[code].playbook.paths():
        yield [(s.key, o.key, o.requires) for s, o in path]


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_playbook_path_reaches_sign_off_and_closure(
    database: Database, service: CaseService, code: str
) -> None:
    for path in _paths_for(code):
        alert_id = make_alert(database, code, T0, images_present=True)
        case_id = service.open_case(alert_id, OFFICER)
        assert _status(database, alert_id) == (AlertStatus.IN_HANDLING, CaseStatus.OPEN)
        _walk(service, case_id, path)
        assert service.request_signoff(case_id, OFFICER) is SignOffLevel.SECTION_CHIEF
        service.sign(case_id, "chief1", PASSWORD, SignOffDecision.APPROVED)
        service.close(case_id, OFFICER)
        assert _status(database, alert_id) == (AlertStatus.CLOSED, CaseStatus.CLOSED)
    with database.transaction() as session:
        assert audit.verify(session).ok


def test_required_records_are_enforced(database: Database, service: CaseService) -> None:
    """B demands the affidavit with the destination check; SEAL_BROKEN demands the opening result."""
    late = service.open_case(make_alert(database, "ARRIVAL_LATE", T0), OFFICER)
    service.record_outcome(late, OFFICER, "assess", "not_clear")
    with pytest.raises(CaseRuleError, match="affidavit") as refused:
        service.record_outcome(
            late, OFFICER, "destination_check", "opened", {"inspection_result": "開櫃無異狀"}
        )
    assert refused.value.code == "records_missing"
    service.record_outcome(
        late,
        OFFICER,
        "destination_check",
        "opened",
        {"inspection_result": "開櫃無異狀", "affidavit": "切結書編號 A-17"},
    )

    lost = service.open_case(make_alert(database, "SEAL_LOST", T0), OFFICER)
    service.record_outcome(lost, OFFICER, "assess", "not_clear")
    service.record_outcome(
        lost, OFFICER, "destination_check", "opened", {"inspection_result": "無異狀"}
    )  # A: none

    broken = service.open_case(make_alert(database, "SEAL_BROKEN", T0), OFFICER)
    with pytest.raises(CaseRuleError, match="inspection_result"):
        service.record_outcome(broken, OFFICER, "open_inspect", "inspected", {"inspection_result": "   "})
    with pytest.raises(CaseRuleError) as early:
        service.request_signoff(broken, OFFICER)
    assert early.value.code == "playbook_open"
    with pytest.raises(CaseRuleError) as wrong:
        service.record_outcome(broken, OFFICER, "verify", "sealed_track_normal")
    assert wrong.value.code == "wrong_step"


def test_exit_unsealed_confirmed_asks_the_gate_to_stop_the_truck(
    database: Database, service: CaseService
) -> None:
    case_id = service.open_case(make_alert(database, "EXIT_UNSEALED", T0), OFFICER)
    service.record_outcome(case_id, OFFICER, "verify", "confirmed_unsealed")
    step = PLAYBOOKS["EXIT_UNSEALED"].step("gate_stop")
    assert "門哨" in step.zh
    with pytest.raises(CaseRuleError, match="gate_stop_confirmed"):
        service.record_outcome(
            case_id,
            OFFICER,
            "gate_stop",
            "checked_at_gate",
            {"inspection_result": "x", "origin_notified": "y"},
        )


def test_s7_escalation_falls_due_twelve_hours_after_the_alert(database: Database) -> None:
    make_user(database, "duty1", Role.DUTY_OFFICER)
    clock = ManualClock(T0)
    service = CaseService(database, clock)
    case_id = service.open_case(make_alert(database, "S7", T0), OFFICER)
    service.record_outcome(case_id, OFFICER, "check_entered", "not_entered")
    service.record_outcome(case_id, OFFICER, "await_entry", "still_not_entered")
    clock.set(T0 + timedelta(hours=11, minutes=59, seconds=59))
    assert service.due_steps() == []
    clock.set(T0 + timedelta(hours=12))
    assert service.due_steps() == [(case_id, "escalate", T0 + timedelta(hours=12))]
    service.record_outcome(
        case_id,
        OFFICER,
        "escalate",
        "reported_to_police",
        {
            "cn_and_exit_images": "已取得",
            "trucking_company_contacted": "已聯繫",
            "police_report_no": "高市警 1234",
        },
    )
    assert service.due_steps() == []


def test_s4_and_s8_branches(database: Database, service: CaseService) -> None:
    s4 = service.open_case(make_alert(database, "S4", T0, images_present=True), OFFICER)
    service.record_outcome(
        s4,
        OFFICER,
        "review_operator",
        "belongs",
        {"station_code_added": "KHC101", "query_result": "屬該站人員"},
    )
    s8 = service.open_case(make_alert(database, "S8", T0, images_present=True), OFFICER)
    service.record_outcome(s8, OFFICER, "find_cause", "unreadable")
    service.record_outcome(
        s8,
        OFFICER,
        "upload_images",
        "uploaded",
        {"entry_images_uploaded": "EPS104", "query_result": "封條損壞無法讀取"},
    )
    for case_id in (s4, s8):
        service.request_signoff(case_id, OFFICER)


def _handled_case(database: Database, service: CaseService, evidence: Evidence) -> int:
    case_id = service.open_case(make_alert(database, "SEAL_LOST", T0), OFFICER)
    service.record_outcome(case_id, OFFICER, "assess", "clear")
    service.set_evidence(case_id, OFFICER, evidence)
    return case_id


@pytest.mark.parametrize(
    ("evidence", "level", "refused", "signer"),
    [
        (Evidence(system_images=True), SignOffLevel.SECTION_CHIEF, "duty1", "chief1"),
        (Evidence(cctv_captured=True), SignOffLevel.DIVISION_CHIEF, "chief1", "division1"),
        (Evidence(cargo_traced=True), SignOffLevel.UNIT_HEAD, "division1", "head1"),
    ],
)
def test_sign_off_level_follows_the_evidence_and_lower_roles_are_refused(
    database: Database,
    service: CaseService,
    evidence: Evidence,
    level: SignOffLevel,
    refused: str,
    signer: str,
) -> None:
    case_id = _handled_case(database, service, evidence)
    assert service.request_signoff(case_id, OFFICER) is level
    assert service.signoff_queue(level) == [case_id]
    with pytest.raises(CaseRuleError) as denied:
        service.sign(case_id, refused, PASSWORD, SignOffDecision.APPROVED)
    assert denied.value.code == "insufficient_role"
    with pytest.raises(CaseRuleError) as wrong_password:
        service.sign(case_id, signer, "not-the-password", SignOffDecision.APPROVED)
    assert wrong_password.value.code == "bad_credentials"
    service.sign(case_id, signer, PASSWORD, SignOffDecision.APPROVED)
    with database.transaction() as session:
        signoff = session.scalar(select(SignOff).where(SignOff.case_id == case_id))
        assert signoff is not None and (signoff.signer, signoff.level) == (signer, int(level))


def test_unit_head_level_needs_the_cargo_trace(database: Database, service: CaseService) -> None:
    case_id = _handled_case(database, service, Evidence())
    with pytest.raises(CaseRuleError) as missing:
        service.request_signoff(case_id, OFFICER)
    assert missing.value.code == "evidence_missing"
    service.set_evidence(case_id, OFFICER, Evidence(cargo_traced=True))
    assert service.request_signoff(case_id, OFFICER) is SignOffLevel.UNIT_HEAD


def test_returned_case_goes_back_to_handling_with_the_reason(
    database: Database, service: CaseService
) -> None:
    case_id = _handled_case(database, service, Evidence(system_images=True))
    service.request_signoff(case_id, OFFICER)
    with pytest.raises(CaseRuleError):
        service.sign(case_id, "chief1", PASSWORD, SignOffDecision.RETURNED, reason=" ")
    service.sign(case_id, "chief1", PASSWORD, SignOffDecision.RETURNED, reason="請補充軌跡說明")
    with database.transaction() as session:
        case = session.get(Case, case_id)
        assert case is not None and case.status is CaseStatus.RETURNED
    with pytest.raises(CaseRuleError):
        service.close(case_id, OFFICER)
    service.add_note(case_id, OFFICER, "已補充：訊號不穩路段為高架橋下")
    service.request_signoff(case_id, OFFICER)
    service.sign(case_id, "chief1", PASSWORD, SignOffDecision.APPROVED)
    service.close(case_id, OFFICER)
    kinds = [entry["kind"] for entry in service.timeline(case_id)]
    assert kinds == [
        "open",
        "outcome",
        "evidence",
        "request_signoff",
        "signoff_returned",
        "note",
        "request_signoff",
        "signoff_approved",
        "close",
    ]


def test_acknowledge_with_note_and_shelve_until_the_time_runs_out(database: Database) -> None:
    clock = ManualClock(T0)
    service = CaseService(database, clock)
    alert_id = make_alert(database, "SEAL_LOW_BATTERY", T0)
    service.acknowledge(alert_id, OFFICER, note="已致電駕駛")
    with database.transaction() as session:
        alert = session.get(Alert, alert_id)
        assert alert is not None
        assert (alert.status, alert.acknowledged_by, alert.ack_note) == (
            AlertStatus.ACKNOWLEDGED,
            "duty1",
            "已致電駕駛",
        )
    with pytest.raises(CaseRuleError):
        service.acknowledge(alert_id, OFFICER)

    with pytest.raises(CaseRuleError):
        service.shelve(alert_id, OFFICER, timedelta(minutes=30), reason="")
    service.shelve(alert_id, OFFICER, timedelta(minutes=30), reason="封條電量訊號反覆跳動")
    clock.set(T0 + timedelta(minutes=29))
    assert service.unshelve_due() == []
    clock.set(T0 + timedelta(minutes=30))
    assert service.unshelve_due() == [alert_id]
    assert _status(database, alert_id) == (AlertStatus.UNACKNOWLEDGED, None)
    with database.transaction() as session:
        actions = [e.action for e in session.scalars(select(audit.AuditEntry).order_by(audit.AuditEntry.seq))]
    assert actions == ["alert.acknowledge", "alert.shelve", "alert.unshelve"]


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
def test_two_workstations_editing_one_case_get_a_conflict_not_an_overwrite(database: Database) -> None:
    make_user(database, "duty1", Role.DUTY_OFFICER)
    make_user(database, "duty2", Role.DUTY_OFFICER)
    first = CaseService(database, ManualClock(T0))
    url = database.engine.url.render_as_string(hide_password=False)
    other_db = open_database(url, upgrade=False, seed=False)  # the second workstation: its own engine
    try:
        second = CaseService(other_db, ManualClock(T0))
        case_id = first.open_case(make_alert(database, "SEAL_LOST", T0), OFFICER)
        with database.transaction() as session:
            version = session.get(Case, case_id).version  # type: ignore[union-attr]
        # Both screens show the case at `version`; the first one to save wins.
        first.record_outcome(case_id, OFFICER, "assess", "not_clear", expected_version=version)
        with pytest.raises(CaseConflict, match="another workstation"):
            second.record_outcome(
                case_id, Actor("duty2", Role.DUTY_OFFICER), "assess", "clear", expected_version=version
            )
        assert [a["outcome"] for a in first.timeline(case_id) if a["kind"] == "outcome"] == ["not_clear"]
    finally:
        other_db.dispose()
