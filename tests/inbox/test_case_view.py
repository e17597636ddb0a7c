"""The read model the case screen is built from: CaseService.case_view and the sign-off summaries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from controlroom.domain.roles import Role, SignOffLevel
from controlroom.domain.signoff import Evidence
from controlroom.models.enums import CaseStatus
from controlroom.rules.clock import ManualClock
from controlroom.services.cases import Actor, CaseService
from controlroom.storage.database import Database
from tests.inbox.support import add_alert
from tests.support.factories import make_user

T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
OFFICER = Actor("duty1", Role.DUTY_OFFICER)


def test_case_view_holds_what_the_screen_shows(database: Database) -> None:
    make_user(database, "duty1", Role.DUTY_OFFICER)
    clock = ManualClock(T0)
    cases = CaseService(database, clock)
    alert_id = add_alert(database, "S7", T0, n=1, origin="KLC101", destination="TPY201", facts={"track": []})
    assert cases.case_for_alert(alert_id) is None
    case_id = cases.open_case(alert_id, OFFICER)
    assert cases.case_for_alert(alert_id) == case_id
    cases.record_outcome(case_id, OFFICER, "check_entered", "not_entered")
    cases.record_outcome(case_id, OFFICER, "await_entry", "still_not_entered")
    cases.add_attachment(case_id, OFFICER, "exit.png", "image/png", b"\x89PNG...")

    view = cases.case_view(case_id)
    assert (view.status, view.current_step, view.assignee) == (CaseStatus.OPEN, "escalate", "duty1")
    assert view.alert["name_zh"] == "逾時未進站"
    assert (view.alert["origin_house"], view.alert["destination_house"]) == ("keelung", "taipei")
    assert view.step_due_at == T0 + timedelta(hours=12) and not view.step_due
    assert view.driver_masked is None  # no CN note on file
    assert [a["filename"] for a in view.attachments] == ["exit.png"]
    assert [e["kind"] for e in view.timeline] == ["open", "outcome", "outcome", "attachment"]
    houses = [c["customs_house"] for c in view.contacts]
    assert houses == sorted(houses, key=["keelung", "taipei", "national"].index) and "national" in houses
    assert view.level is SignOffLevel.UNIT_HEAD and view.missing_for_signoff == ("cargo_trace",)
    clock.advance(timedelta(hours=12))
    assert cases.case_view(case_id).step_due

    records = {"cn_and_exit_images": "已取得", "trucking_company_contacted": "已聯繫"}
    cases.record_outcome(case_id, OFFICER, "escalate", "located", records)
    cases.set_evidence(case_id, OFFICER, Evidence(cctv_captured=True))
    cases.request_signoff(case_id, OFFICER)
    view = cases.case_view(case_id)
    assert (
        view.required_level is SignOffLevel.DIVISION_CHIEF
        and view.records["trucking_company_contacted"] == "已聯繫"
    )
    summaries = cases.signoff_summaries(SignOffLevel.DIVISION_CHIEF)
    assert [(s["case_id"], s["code"], s["version"]) for s in summaries] == [(case_id, "S7", view.version)]
    assert cases.signoff_summaries(SignOffLevel.SECTION_CHIEF) == []
