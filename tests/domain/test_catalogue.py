"""The alert catalogue against protocol.md's codes and the SOP handling in domain.md §4 / seeds 000, 001."""

from __future__ import annotations

from datetime import timedelta

import pytest

from controlroom.domain.catalogue import (
    CATALOGUE,
    PLAYBOOKS,
    RECORDS,
    Family,
    HandlingSide,
    Outcome,
    Playbook,
    PlaybookError,
    PlaybookStep,
    Severity,
    UnknownAlertCode,
    alert_kind,
)
from controlroom.domain.escalation import S7_ESCALATION_AFTER

# Names exactly as the SOPs write them ([000 附件 三], [002], [001 附件一]).
EXPECTED_ZH = {
    "SEAL_PIN_FAULT": "封條異常（插銷異常）",
    "SEAL_LOST": "封條失聯",
    "SEAL_SEPARATED": "封條連續脫離",
    "UNIT_POWER_REMOVED": "車機拔除電源",
    "VEHICLE_LOST": "車輛失聯",
    "SEAL_BROKEN": "封條破壞",
    "EXIT_UNSEALED": "出站未加封",
    "ARRIVAL_LATE": "到站逾時",
    "OVERDUE_NOT_ARRIVED": "逾時未到站",
    "SEAL_LOW_BATTERY": "封條低電量",
    "GATE_NO_INSPECTION": "出哨未儀檢",
    "ROUTE_DEVIATION": "偏移路線",
    "ABNORMAL_STOP": "異常停留",
    "S2": "出站未讀取",
    "S3": "逾時進站",
    "S4": "進站讀取人員不符",
    "S7": "逾時未進站",
    "S8": "未到店讀取",  # both 001 annexes write 到店, not 到站
}

EXPECTED_PLAYBOOK = {
    "SEAL_PIN_FAULT": "A",
    "SEAL_LOST": "A",
    "SEAL_SEPARATED": "A",
    "UNIT_POWER_REMOVED": "A",
    "VEHICLE_LOST": "A",
    "SEAL_BROKEN": "SEAL_BROKEN",
    "EXIT_UNSEALED": "EXIT_UNSEALED",
    "ARRIVAL_LATE": "B",
    "OVERDUE_NOT_ARRIVED": "B",
    "SEAL_LOW_BATTERY": "LOW_BATTERY",
    "GATE_NO_INSPECTION": "GATE_NO_INSPECTION",
    "ROUTE_DEVIATION": "ROUTE_DEVIATION",
    "ABNORMAL_STOP": "ABNORMAL_STOP",
    "S2": "S2",
    "S3": "S3",
    "S4": "S4",
    "S7": "S7",
    "S8": "S8",
}


def _requirements(playbook: Playbook) -> set[str]:
    return {r for path in playbook.paths() for _, outcome in path for r in outcome.requires}


def _closing_requirements(playbook: Playbook) -> list[set[str]]:
    """For each complete path, everything recorded along it."""
    return [{r for _, outcome in path for r in outcome.requires} for path in playbook.paths()]


class TestCatalogue:
    def test_exactly_the_protocol_codes_with_their_sop_names(self) -> None:
        assert {code: kind.name_zh for code, kind in CATALOGUE.items()} == EXPECTED_ZH

    def test_families(self) -> None:
        passive = {code for code, kind in CATALOGUE.items() if kind.family is Family.PASSIVE}
        assert passive == {"S2", "S3", "S4", "S7", "S8"}
        assert sum(kind.family is Family.VEHICLE for kind in CATALOGUE.values()) == 13

    def test_playbook_assignment(self) -> None:
        assert {code: kind.playbook.key for code, kind in CATALOGUE.items()} == EXPECTED_PLAYBOOK
        for kind in CATALOGUE.values():
            assert PLAYBOOKS[kind.playbook.key] is kind.playbook

    def test_handling_sides(self) -> None:
        sides = {code: kind.side for code, kind in CATALOGUE.items()}
        assert sides["S2"] is HandlingSide.ORIGIN  # exit anomaly → origin
        for code in ("S3", "S4", "S7", "S8", "SEAL_BROKEN"):
            assert sides[code] is HandlingSide.DESTINATION  # entry anomaly → destination
        assert sides["EXIT_UNSEALED"] is HandlingSide.ORIGIN
        assert sides["GATE_NO_INSPECTION"] is HandlingSide.ORIGIN

    def test_severities(self) -> None:
        for code in ("SEAL_BROKEN", "EXIT_UNSEALED", "S7"):
            assert CATALOGUE[code].severity is Severity.HIGH
        assert CATALOGUE["SEAL_LOW_BATTERY"].severity is Severity.LOW
        assert CATALOGUE["ARRIVAL_LATE"].severity is Severity.MEDIUM

    def test_every_text_is_filled_in(self) -> None:
        for kind in CATALOGUE.values():
            assert kind.name_en
            for step in kind.playbook.steps.values():
                assert step.zh
                assert step.en
                for outcome in step.outcomes:
                    assert outcome.zh
                    assert outcome.en

    def test_lookup(self) -> None:
        assert alert_kind("S7") is CATALOGUE["S7"]

    def test_unknown_code_raises_a_key_error_naming_it(self) -> None:
        with pytest.raises(UnknownAlertCode) as excinfo:
            alert_kind("S9")
        assert isinstance(excinfo.value, KeyError)
        assert excinfo.value.code == "S9"
        assert "unknown alert code 'S9'" in str(excinfo.value)


class TestPlaybooks:
    def test_the_thirteen_playbooks(self) -> None:
        assert set(PLAYBOOKS) == {
            "A",
            "B",
            "SEAL_BROKEN",
            "EXIT_UNSEALED",
            "LOW_BATTERY",
            "GATE_NO_INSPECTION",
            "ROUTE_DEVIATION",
            "ABNORMAL_STOP",
            "S2",
            "S3",
            "S4",
            "S7",
            "S8",
        }

    @pytest.mark.parametrize("key", sorted(PLAYBOOKS))
    def test_every_path_ends_in_a_closable_outcome(self, key: str) -> None:
        playbook = PLAYBOOKS[key]
        assert playbook.validate() == ()
        paths = list(playbook.paths())
        assert paths
        for path in paths:
            assert path[0][0].key == playbook.first_step
            last_outcome = path[-1][1]
            assert last_outcome.next_step is None
            assert last_outcome.may_close
        reached = {step.key for path in paths for step, _ in path}
        assert reached == set(playbook.steps)

    def test_a_may_close_from_the_track_and_otherwise_checks_at_the_destination(self) -> None:
        a = PLAYBOOKS["A"]
        clear = a.outcome("assess", "clear")
        assert clear.may_close
        assert clear.next_step is None
        assert "設備、訊號不穩" in clear.zh
        assert a.outcome("assess", "not_clear").next_step == "destination_check"
        assert _closing_requirements(a) == [set(), {"inspection_result"}, {"inspection_result"}]

    def test_a_and_b_differ_by_the_affidavit(self) -> None:
        a, b = PLAYBOOKS["A"], PLAYBOOKS["B"]
        assert set(a.steps) == set(b.steps)
        assert "affidavit" not in _requirements(a)
        assert _requirements(b) - _requirements(a) == {"affidavit"}
        for outcome in b.step("destination_check").outcomes:
            assert {"affidavit", "inspection_result"} <= set(outcome.requires)
        assert "切結書" in b.step("destination_check").zh
        # [000 附件 三(四)1]: a clean track with a normal unseal closes without an affidavit.
        assert b.outcome("assess", "clear").requires == ()

    def test_seal_broken_requires_the_inspection_result(self) -> None:
        playbook = PLAYBOOKS["SEAL_BROKEN"]
        assert all("inspection_result" in reqs for reqs in _closing_requirements(playbook))
        assert "開櫃檢查" in playbook.step(playbook.first_step).zh

    def test_exit_unsealed(self) -> None:
        playbook = PLAYBOOKS["EXIT_UNSEALED"]
        assert playbook.outcome("verify", "sealed_track_normal").may_close
        confirmed = playbook.outcome("verify", "confirmed_unsealed")
        assert not confirmed.may_close
        assert confirmed.next_step == "gate_stop"
        assert {"gate_stop_confirmed", "origin_notified"} <= _requirements(playbook)

    def test_route_deviation_and_abnormal_stop_follow_a(self) -> None:
        for key in ("ROUTE_DEVIATION", "ABNORMAL_STOP"):
            playbook = PLAYBOOKS[key]
            assert playbook.step("destination_check") == PLAYBOOKS["A"].step("destination_check")
            assert playbook.outcome("assess", "clear").requires == ("explanation",)

    def test_gate_no_inspection_uses_mms815(self) -> None:
        assert "MMS815" in PLAYBOOKS["GATE_NO_INSPECTION"].step("gate_process").zh

    def test_low_battery_only_asks_to_charge(self) -> None:
        assert _closing_requirements(PLAYBOOKS["LOW_BATTERY"]) == [{"charge_notice"}]

    def test_s2_saves_exit_images(self) -> None:
        assert _closing_requirements(PLAYBOOKS["S2"]) == [{"exit_images_saved", "query_result"}]

    def test_s4_station_member_closes_after_station_code_is_added(self) -> None:
        s4 = PLAYBOOKS["S4"]
        belongs = s4.outcome("review_operator", "belongs")
        assert belongs.may_close
        assert belongs.next_step is None
        assert "station_code_added" in belongs.requires
        assert s4.outcome("review_operator", "not_belongs").next_step == "pull_images"
        assert "images_reviewed" in s4.outcome("pull_images", "recorded").requires

    def test_s7_escalates_twelve_hours_after_the_alert(self) -> None:
        s7 = PLAYBOOKS["S7"]
        due = [step for step in s7.steps.values() if step.due_after is not None]
        assert [step.key for step in due] == ["escalate"]
        assert due[0].due_after == timedelta(hours=12) == S7_ESCALATION_AFTER
        assert "12小時" in due[0].zh
        police = s7.outcome("escalate", "reported_to_police")
        assert {"cn_and_exit_images", "trucking_company_contacted", "police_report_no"} <= set(
            police.requires
        )

    def test_s8_reads_now_or_uploads_entry_images(self) -> None:
        s8 = PLAYBOOKS["S8"]
        assert s8.outcome("find_cause", "readable").requires == ("arrival_read_done",)
        assert "entry_images_uploaded" in s8.outcome("upload_images", "uploaded").requires
        assert "ES104" in s8.step("upload_images").zh

    def test_every_required_record_has_labels(self) -> None:
        used = set().union(*(_requirements(p) for p in PLAYBOOKS.values()))
        assert used <= set(RECORDS)
        assert all(label.zh and label.en for label in RECORDS.values())


def _step(key: str, *outcomes: Outcome) -> PlaybookStep:
    return PlaybookStep(key=key, zh="步驟", en="step", outcomes=outcomes)


def _close(key: str = "done", *requires: str) -> Outcome:
    return Outcome(key=key, zh="結案", en="close", may_close=True, requires=requires)


def _go(key: str, next_step: str) -> Outcome:
    return Outcome(key=key, zh="續辦", en="continue", next_step=next_step)


class TestPlaybookValidation:
    def test_a_sound_playbook_builds(self) -> None:
        playbook = Playbook.of("X", _step("one", _go("on", "two"), _close()), _step("two", _close()))
        assert playbook.first_step == "one"
        assert len(list(playbook.paths())) == 2

    @pytest.mark.parametrize(
        ("steps", "message"),
        [
            ((_step("one", _go("on", "nowhere")),), "missing step 'nowhere'"),
            ((_step("one", Outcome(key="stuck", zh="卡住", en="stuck")),), "does not allow closure"),
            ((_step("one", _go("on", "two")), _step("two", _go("back", "one"))), "cycle one -> two -> one"),
            ((_step("one", _close()), _step("orphan", _close())), "'orphan' is unreachable"),
            ((_step("one", _close("done", "selfie")),), "unknown record 'selfie'"),
            ((_step("one", _close(), _close()),), "duplicate outcome one.done"),
            ((_step("one"),), "has no outcomes"),
        ],
    )
    def test_broken_playbooks_are_refused(self, steps: tuple[PlaybookStep, ...], message: str) -> None:
        with pytest.raises(PlaybookError, match=message):
            Playbook.of("X", *steps)

    def test_missing_first_step_and_empty_playbooks_are_refused(self) -> None:
        with pytest.raises(PlaybookError, match="first step 'zero'"):
            Playbook(key="X", first_step="zero", steps={"one": _step("one", _close())})
        with pytest.raises(PlaybookError, match="no steps"):
            Playbook.of("X")

    def test_steps_cannot_be_changed_after_validation(self) -> None:
        source = {"one": _step("one", _close())}
        playbook = Playbook(key="X", first_step="one", steps=source)
        source["two"] = _step("two", _go("loop", "two"))
        assert set(playbook.steps) == {"one"}
        with pytest.raises(TypeError):
            playbook.steps["two"] = source["two"]  # type: ignore[index]
