"""The alert catalogue: every alert code the product raises and the SOP playbook that closes it.

Sources: vehicle seals [000 附件 三 (一)–(六)], route deviation and abnormal stop [002; 003 FAQ],
passive and e-paper seals [001 附件一 一(一)–(五)]. The zh texts quote the SOPs so an officer
recognises the instruction; the en texts are short glosses. A playbook is a small acyclic graph:
each step offers outcomes, an outcome either leads to another step or ends the handling, and every
ending allows the case to go to sign-off. Playbooks check this when they are built, so a broken
one cannot exist.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import NamedTuple

from controlroom.domain.escalation import S7_ESCALATION_AFTER

__all__ = [
    "CATALOGUE",
    "PLAYBOOKS",
    "RECORDS",
    "AlertKind",
    "Family",
    "HandlingSide",
    "Outcome",
    "Playbook",
    "PlaybookError",
    "PlaybookStep",
    "RecordLabel",
    "Severity",
    "UnknownAlertCode",
    "alert_kind",
]


class Family(StrEnum):
    """Which seal scheme raised the alert: live-tracked vehicle seals or read-at-ends NFC seals."""

    VEHICLE = "vehicle"  # 車機封條 + 車載機 [000]
    PASSIVE = "passive"  # 被動式電子封條 and 電子紙封條 [001]


class Severity(StrEnum):
    """How urgently the duty officer must act; orders the inbox."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class HandlingSide(StrEnum):
    """Whose officers act on the ground, besides the JMC (which always closes the case).

    001 附件一 二(一): exit anomalies are handled by the origin, entry anomalies by the destination;
    where both occur each handles its own part; the monitoring center or JMC closes. JMC means the
    duty officer handles it from the track and only involves the destination if that is unclear.
    """

    ORIGIN = "origin"  # 起運地
    DESTINATION = "destination"  # 運往地
    BOTH = "both"  # 出進站均有異常: each side its own part
    JMC = "jmc"  # 聯合管理中心 / 電子封條監控中心


class RecordLabel(NamedTuple):
    zh: str
    en: str


# Records an outcome can require before the case may proceed; views show these labels.
RECORDS: Mapping[str, RecordLabel] = MappingProxyType(
    {
        "inspection_result": RecordLabel("查核結果（備註登錄於物聯網）", "Inspection result recorded"),
        "affidavit": RecordLabel(
            "船公司與運輸公司聯合具結之切結書", "Affidavit by shipping and transport company"
        ),
        "gate_stop_confirmed": RecordLabel(
            "港區門哨協助攔阻確認", "Port gate confirmed the truck was stopped"
        ),
        "origin_notified": RecordLabel("已通知出站方改善出站流程", "Origin told to fix its exit process"),
        "charge_notice": RecordLabel("已通知業者或駕駛充電", "Operator or driver told to charge the seal"),
        "mms815_record": RecordLabel("門哨異常處理紀錄（MMS815）", "Gate-anomaly record (MMS815)"),
        "explanation": RecordLabel("偏離路線或停留原因說明", "Reason for the deviation or stop"),
        "exit_images_saved": RecordLabel("出站影像已儲存", "Exit images saved"),
        "query_result": RecordLabel("查詢結果（ES107／EPS107 備註登錄）", "Finding entered in ES107/EPS107"),
        "late_entry_procedure": RecordLabel("逾時進站處理（查證）程序紀錄", "Late-entry procedure done"),
        "station_code_added": RecordLabel(
            "業者已新增該員所屬卸存地點代碼", "Station code added to the person"
        ),
        "images_reviewed": RecordLabel("已調閱影像紀錄", "Image records reviewed"),
        "cn_and_exit_images": RecordLabel(
            "起運地提供之運送單及出站影像資料", "CN and exit images from origin"
        ),
        "trucking_company_contacted": RecordLabel("已聯繫拖車公司查明", "Trucking company contacted"),
        "police_report_no": RecordLabel("通報警政機關協尋案號", "Police report number"),
        "arrival_read_done": RecordLabel("已補作進站讀取", "Arrival read done"),
        "entry_images_uploaded": RecordLabel("進站影像已上載（ES104／EPS104）", "Entry images uploaded"),
    }
)


@dataclass(frozen=True, slots=True)
class Outcome:
    """One way a step can turn out; ``next_step`` None ends the handling."""

    key: str
    zh: str
    en: str
    next_step: str | None = None
    may_close: bool = False
    requires: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PlaybookStep:
    """One SOP instruction. ``due_after`` is measured from the moment the alert was raised."""

    key: str
    zh: str
    en: str
    outcomes: tuple[Outcome, ...]
    due_after: timedelta | None = None

    def outcome(self, key: str) -> Outcome:
        for outcome in self.outcomes:
            if outcome.key == key:
                return outcome
        raise KeyError(f"step {self.key!r} has no outcome {key!r}")


class PlaybookError(ValueError):
    """A playbook graph that could strand a case (missing step, dead end, cycle...)."""


Path = tuple[tuple[PlaybookStep, Outcome], ...]


@dataclass(frozen=True)
class Playbook:
    """The SOP handling of one alert type as an acyclic graph of steps, validated on creation."""

    key: str
    first_step: str
    steps: Mapping[str, PlaybookStep] = field(hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "steps", MappingProxyType(dict(self.steps)))
        problems = self.validate()
        if problems:
            raise PlaybookError(f"playbook {self.key!r}: " + "; ".join(problems))

    @classmethod
    def of(cls, key: str, *steps: PlaybookStep) -> Playbook:
        """Build from steps in order; the first one is where handling starts."""
        if not steps:
            raise PlaybookError(f"playbook {key!r} has no steps")
        return cls(key=key, first_step=steps[0].key, steps={s.key: s for s in steps})

    def step(self, key: str) -> PlaybookStep:
        return self.steps[key]

    def outcome(self, step_key: str, outcome_key: str) -> Outcome:
        return self.steps[step_key].outcome(outcome_key)

    def validate(self) -> tuple[str, ...]:
        """Every problem that could strand a case; empty when the playbook is sound.

        Checks: the first step and every ``next_step`` exist; step keys match the mapping;
        outcome keys are unique per step; every required record is known; an outcome that ends
        the handling allows closure; no cycles; no unreachable steps.
        """
        problems: list[str] = []
        if self.first_step not in self.steps:
            return (f"first step {self.first_step!r} does not exist",)
        for key, step in self.steps.items():
            if key != step.key:
                problems.append(f"step stored as {key!r} is keyed {step.key!r}")
            if not step.outcomes:
                problems.append(f"step {key!r} has no outcomes")
            seen: set[str] = set()
            for outcome in step.outcomes:
                where = f"{key}.{outcome.key}"
                if outcome.key in seen:
                    problems.append(f"duplicate outcome {where}")
                seen.add(outcome.key)
                if outcome.next_step is None and not outcome.may_close:
                    problems.append(f"{where} ends the handling but does not allow closure")
                if outcome.next_step is not None and outcome.next_step not in self.steps:
                    problems.append(f"{where} leads to missing step {outcome.next_step!r}")
                problems.extend(
                    f"{where} requires unknown record {r!r}" for r in outcome.requires if r not in RECORDS
                )
        if problems:
            return tuple(problems)
        problems.extend(self._graph_problems())
        return tuple(problems)

    def _graph_problems(self) -> list[str]:
        problems: list[str] = []
        done: set[str] = set()
        on_path: list[str] = []

        def visit(key: str) -> None:
            if key in on_path:
                cycle = " -> ".join([*on_path[on_path.index(key) :], key])
                problems.append(f"cycle {cycle}")
                return
            if key in done:
                return
            on_path.append(key)
            for outcome in self.steps[key].outcomes:
                if outcome.next_step is not None:
                    visit(outcome.next_step)
            on_path.pop()
            done.add(key)

        visit(self.first_step)
        problems.extend(f"step {key!r} is unreachable" for key in self.steps if key not in done)
        return problems

    def paths(self) -> Iterator[Path]:
        """Every complete walk from the first step to an outcome that ends the handling."""

        def walk(key: str, prefix: Path) -> Iterator[Path]:
            step = self.steps[key]
            for outcome in step.outcomes:
                path = (*prefix, (step, outcome))
                if outcome.next_step is None:
                    yield path
                else:
                    yield from walk(outcome.next_step, path)

        return walk(self.first_step, ())


@dataclass(frozen=True, slots=True)
class AlertKind:
    """One alert code: its SOP name, urgency, who acts and how it is handled."""

    code: str
    family: Family
    name_zh: str
    name_en: str
    severity: Severity
    side: HandlingSide
    playbook: Playbook


class UnknownAlertCode(KeyError):
    """An alert code outside the catalogue (protocol.md "Alert codes")."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code

    def __str__(self) -> str:
        return f"unknown alert code {self.code!r}; known codes: {', '.join(CATALOGUE)}"


# ---------------------------------------------------------------------------------------------
# Vehicle-seal playbooks [000 附件 三]
# ---------------------------------------------------------------------------------------------

_DESTINATION_CHECK = PlaybookStep(
    key="destination_check",
    zh=(
        "通知目的地監管關員協助檢查到站貨櫃外觀及封條有無異樣，視貨物種類及風險程度是否開櫃檢查，"
        "並將查核結果備註登錄於物聯網。"
    ),
    en=(
        "Ask the destination's supervising officer to check the container exterior and seal, "
        "decide by cargo type and risk whether to open it, and record the result."
    ),
    outcomes=(
        Outcome(
            key="exterior_ok",
            zh="外觀及封條無異樣，未開櫃，查核結果已登錄",
            en="Exterior and seal fine, not opened; result recorded",
            may_close=True,
            requires=("inspection_result",),
        ),
        Outcome(
            key="opened",
            zh="開櫃檢查，查核結果已登錄",
            en="Opened and inspected; result recorded",
            may_close=True,
            requires=("inspection_result",),
        ),
    ),
)

_NOT_CLEAR = Outcome(
    key="not_clear",
    zh="非屬上述情形",
    en="Otherwise",
    next_step="destination_check",
)

# 三(一): pin fault, seal lost, seal separated, unit power removed, vehicle lost.
PLAYBOOK_A = Playbook.of(
    "A",
    PlaybookStep(
        key="assess",
        zh="檢視運行軌跡，研判異常原因，並確認封條是否順利到站解封。",
        en="Review the track, judge the cause, and check the seal unsealed normally at the destination.",
        outcomes=(
            Outcome(
                key="clear",
                zh="運行軌跡無明顯可疑或研判係屬設備、訊號不穩等問題造成，且封條順利到站解封，即可結案",
                en="Track not suspicious or equipment/signal trouble, and seal unsealed at arrival: close",
                may_close=True,
            ),
            _NOT_CLEAR,
        ),
    ),
    _DESTINATION_CHECK,
)

# 三(四): arrival late / overdue not arrived. The source differs from A in two ways: the closing
# condition has no "equipment or signal trouble" excuse, and the affidavit is demanded in the
# second branch only (together with the exterior check), not before every closure.
PLAYBOOK_B = Playbook.of(
    "B",
    PlaybookStep(
        key="assess",
        zh="檢視運行軌跡，並確認封條是否順利到站解封。",
        en="Review the track and check the seal unsealed normally at the destination.",
        outcomes=(
            Outcome(
                key="clear",
                zh="運行軌跡無明顯可疑，且封條順利到站解封，即可結案",
                en="Track not suspicious and seal unsealed at destination: close",
                may_close=True,
            ),
            _NOT_CLEAR,
        ),
    ),
    PlaybookStep(
        key="destination_check",
        zh=(
            "通知目的地監管關員，責由駕駛提供船公司與運輸公司聯合具結之切結書，並協助檢查到站貨櫃外觀"
            "及封條有無異樣，視貨物種類及風險程度判斷是否開櫃檢查，將查核結果備註登錄於物聯網。"
        ),
        en=(
            "Notify the destination's supervising officer; the driver must provide an affidavit signed "
            "jointly by the shipping and transport companies; check exterior and seal, decide by cargo "
            "type and risk whether to open, and record the result."
        ),
        outcomes=(
            Outcome(
                key="exterior_ok",
                zh="已取得切結書，外觀及封條無異樣，未開櫃，查核結果已登錄",
                en="Affidavit received, exterior and seal fine, not opened; result recorded",
                may_close=True,
                requires=("affidavit", "inspection_result"),
            ),
            Outcome(
                key="opened",
                zh="已取得切結書，開櫃檢查，查核結果已登錄",
                en="Affidavit received, opened and inspected; result recorded",
                may_close=True,
                requires=("affidavit", "inspection_result"),
            ),
        ),
    ),
)

# 三(二)
PLAYBOOK_SEAL_BROKEN = Playbook.of(
    "SEAL_BROKEN",
    PlaybookStep(
        key="open_inspect",
        zh="通知目的地監管關員開櫃檢查，並將查核結果備註登錄於物聯網。",
        en="Have the destination's supervising officer open and inspect the container; record the result.",
        outcomes=(
            Outcome(
                key="inspected",
                zh="已開櫃檢查，查核結果已登錄",
                en="Opened and inspected; result recorded",
                may_close=True,
                requires=("inspection_result",),
            ),
        ),
    ),
)

# 三(三)
PLAYBOOK_EXIT_UNSEALED = Playbook.of(
    "EXIT_UNSEALED",
    PlaybookStep(
        key="verify",
        zh="檢視封條是否有順利加封，及運行軌跡是否正常。",
        en="Check whether the seal was in fact locked and whether the track is normal.",
        outcomes=(
            Outcome(
                key="sealed_track_normal",
                zh="經檢視後封條有順利加封，且運行軌跡正常，即可結案",
                en="Seal was locked and the track is normal: close",
                may_close=True,
            ),
            Outcome(
                key="confirmed_unsealed",
                zh="確定出站未加封",
                en="Confirmed: left unsealed",
                next_step="gate_stop",
            ),
        ),
    ),
    PlaybookStep(
        key="gate_stop",
        zh="通報港區門哨協助攔阻，並通知權責或查緝關員前往港區門哨現場查核，且通知出站方改善出站流程。",
        en=(
            "Ask the port gate to stop the truck, send the responsible or anti-smuggling officer to the "
            "gate to check, and tell the origin to fix its exit process."
        ),
        outcomes=(
            Outcome(
                key="checked_at_gate",
                zh="門哨已攔阻，關員已現場查核並登錄結果，已通知出站方改善",
                en="Stopped at the gate, checked on site, origin notified",
                may_close=True,
                requires=("gate_stop_confirmed", "inspection_result", "origin_notified"),
            ),
        ),
    ),
)

# 三(五)
PLAYBOOK_LOW_BATTERY = Playbook.of(
    "LOW_BATTERY",
    PlaybookStep(
        key="notify_charge",
        zh="到站後通知業者或駕駛充電。",
        en="After arrival, tell the operator or the driver to charge the seal.",
        outcomes=(
            Outcome(
                key="notified",
                zh="已通知業者或駕駛充電",
                en="Operator or driver notified",
                may_close=True,
                requires=("charge_notice",),
            ),
        ),
    ),
)

# 三(六)
PLAYBOOK_GATE_NO_INSPECTION = Playbook.of(
    "GATE_NO_INSPECTION",
    PlaybookStep(
        key="gate_process",
        zh="同現行門哨異常處理方式（程式MMS815）。",
        en="Handle as the existing gate-anomaly process (program MMS815).",
        outcomes=(
            Outcome(
                key="handled",
                zh="已依門哨異常處理方式（MMS815）辦理",
                en="Handled in the gate-anomaly process (MMS815)",
                may_close=True,
                requires=("mms815_record",),
            ),
        ),
    ),
)

# 002 lists 偏移路線 and 異常停留 without their own SOP text; handled like A, with the reason for the
# deviation or stop recorded. FAQ [003]: designated routes follow 運輸工具進出口通關管理辦法 §30, and
# when an accident or other emergency blocks the route customs handles it flexibly.
PLAYBOOK_ROUTE_DEVIATION = Playbook.of(
    "ROUTE_DEVIATION",
    PlaybookStep(
        key="assess",
        zh=(
            "檢視運行軌跡及偏離規定路線原因（如遇車禍或其他突發狀況致規定路線無法通行，視情況彈性處理），"
            "並確認封條是否順利到站解封。"
        ),
        en=(
            "Review the track and why the truck left the designated route (accidents or closures are "
            "handled flexibly), and check the seal unsealed normally at the destination."
        ),
        outcomes=(
            Outcome(
                key="clear",
                zh="偏離原因合理或運行軌跡無明顯可疑，且封條順利到站解封，即可結案",
                en="Deviation explained or track not suspicious, and seal unsealed at destination: close",
                may_close=True,
                requires=("explanation",),
            ),
            _NOT_CLEAR,
        ),
    ),
    _DESTINATION_CHECK,
)

PLAYBOOK_ABNORMAL_STOP = Playbook.of(
    "ABNORMAL_STOP",
    PlaybookStep(
        key="assess",
        zh=(
            "檢視運行軌跡及異常停留原因（如遇車禍、道路封閉或其他突發狀況，視情況彈性處理），"
            "並確認封條是否順利到站解封。"
        ),
        en=(
            "Review the track and why the truck stopped (accidents or closures are handled flexibly), "
            "and check the seal unsealed normally at the destination."
        ),
        outcomes=(
            Outcome(
                key="clear",
                zh="停留原因合理或運行軌跡無明顯可疑，且封條順利到站解封，即可結案",
                en="Stop explained or track not suspicious, and seal unsealed at destination: close",
                may_close=True,
                requires=("explanation",),
            ),
            _NOT_CLEAR,
        ),
    ),
    _DESTINATION_CHECK,
)

# ---------------------------------------------------------------------------------------------
# Passive and e-paper seal playbooks [001 附件一 一]; screens ES1xx (passive) / EPS1xx (e-paper)
# ---------------------------------------------------------------------------------------------

# (一)
PLAYBOOK_S2 = Playbook.of(
    "S2",
    PlaybookStep(
        key="find_cause",
        zh=(
            "出站監管關員查詢異常發生原因，將出站影像儲存後，於（ES107／EPS107）監控管理查詢異常案件畫面，"
            "點選處理次數欄開啟異常原因查詢輸入查詢結果後，辦理備註登錄。"
        ),
        en="Exit officer finds the cause, saves the exit images and enters the finding in ES107/EPS107.",
        outcomes=(
            Outcome(
                key="recorded",
                zh="已儲存出站影像並登錄查詢結果",
                en="Exit images saved, finding recorded",
                may_close=True,
                requires=("exit_images_saved", "query_result"),
            ),
        ),
    ),
)

# (二)
PLAYBOOK_S3 = Playbook.of(
    "S3",
    PlaybookStep(
        key="confirm_late",
        zh="進站監管關員查明是否確為逾時。",
        en="Entry officer confirms whether the entry was in fact late.",
        outcomes=(
            Outcome(
                key="not_late",
                zh="查明非屬逾時，於ES107／EPS107登錄查詢結果，辦理備註登錄",
                en="Not late; finding recorded in ES107/EPS107",
                may_close=True,
                requires=("query_result",),
            ),
            Outcome(
                key="late",
                zh="確為逾時",
                en="Late",
                next_step="late_entry_procedure",
            ),
        ),
    ),
    PlaybookStep(
        key="late_entry_procedure",
        zh=(
            "比照「貨棧及貨櫃集散站業者實施自主管理作業手冊」貳、進口作業項目一、進口貨櫃進站儲存規定之"
            "逾時進站處理程序辦理，並於ES107／EPS107登錄查詢結果，辦理備註登錄。"
        ),
        en=(
            "Follow the late-entry procedure of the yard self-management manual (II, import item 1) "
            "and record the finding in ES107/EPS107."
        ),
        outcomes=(
            Outcome(
                key="done",
                zh="已依逾時進站處理程序辦理並登錄查詢結果",
                en="Late-entry procedure done, finding recorded",
                may_close=True,
                requires=("late_entry_procedure", "query_result"),
            ),
        ),
    ),
)

# (三) — passive e-seals only; the e-paper annex has no S4.
PLAYBOOK_S4 = Playbook.of(
    "S4",
    PlaybookStep(
        key="review_operator",
        zh="進站監管關員審查作業人員是否屬該處權責人員。",
        en="Entry officer checks whether the person who read the seal is authorised for this station.",
        outcomes=(
            Outcome(
                key="belongs",
                zh="屬該處權責人員，請業者於物聯網系統新增該員之所屬卸存地點代碼，於ES107登錄結果，辦理結案",
                en="Belongs to the station: operator adds the station code to the person; record and close",
                may_close=True,
                requires=("station_code_added", "query_result"),
            ),
            Outcome(
                key="not_belongs",
                zh="非屬該處權責人員",
                en="Not authorised for the station",
                next_step="pull_images",
            ),
        ),
    ),
    PlaybookStep(
        key="pull_images",
        zh="調閱影像紀錄，於ES107登錄查詢結果，辦理備註登錄。",
        en="Pull the image records and record the finding in ES107.",
        outcomes=(
            Outcome(
                key="recorded",
                zh="已調閱影像紀錄並登錄查詢結果",
                en="Images reviewed, finding recorded",
                may_close=True,
                requires=("images_reviewed", "query_result"),
            ),
        ),
    ),
)

# (四) — the escalation step falls due 12 h after the alert (see escalation.py).
PLAYBOOK_S7 = Playbook.of(
    "S7",
    PlaybookStep(
        key="check_entered",
        zh="進站監管關員查明貨櫃是否已進站，以及是否逾時。",
        en="Entry officer checks whether the container has entered, and whether it was late.",
        outcomes=(
            Outcome(
                key="entered",
                zh="已進站，辦理逾時進站查證程序",
                en="Entered: carry out the late-entry verification",
                may_close=True,
                requires=("late_entry_procedure",),
            ),
            Outcome(
                key="not_entered",
                zh="未進站，通知收櫃人員注意進站",
                en="Not entered: tell the receiving staff to watch for it",
                next_step="await_entry",
            ),
        ),
    ),
    PlaybookStep(
        key="await_entry",
        zh="通知收櫃人員注意進站，進站時應辦理逾時進站查證程序。",
        en="Receiving staff watch for the container; on entry carry out the late-entry verification.",
        outcomes=(
            Outcome(
                key="entered",
                zh="已進站，辦理逾時進站查證程序",
                en="Entered: late-entry verification done",
                may_close=True,
                requires=("late_entry_procedure",),
            ),
            Outcome(
                key="still_not_entered",
                zh="逾異常發生12小時後，仍未進站",
                en="Still not entered 12 hours after the alert",
                next_step="escalate",
            ),
        ),
    ),
    PlaybookStep(
        key="escalate",
        zh=(
            "逾異常發生12小時後，仍未進站者，請起運地提供運送單及出站影像資料，聯繫拖車公司查明，"
            "倘無法確認貨物流向，通報警政機關協尋。"
        ),
        en=(
            "12 hours after the alert and still not entered: get the CN and exit images from the origin, "
            "call the trucking company; if the cargo cannot be located, report to the police."
        ),
        due_after=S7_ESCALATION_AFTER,
        outcomes=(
            Outcome(
                key="located",
                zh="經拖車公司查明貨物流向",
                en="Cargo located through the trucking company",
                may_close=True,
                requires=("cn_and_exit_images", "trucking_company_contacted"),
            ),
            Outcome(
                key="reported_to_police",
                zh="無法確認貨物流向，已通報警政機關協尋",
                en="Cargo not located; reported to the police",
                may_close=True,
                requires=("cn_and_exit_images", "trucking_company_contacted", "police_report_no"),
            ),
        ),
    ),
)

# (五)
PLAYBOOK_S8 = Playbook.of(
    "S8",
    PlaybookStep(
        key="find_cause",
        zh="進站監管關員查明未到店讀取原因，並確認封條是否仍可讀取。",
        en="Entry officer finds why there was no arrival read and whether the seal can still be read.",
        outcomes=(
            Outcome(
                key="readable",
                zh="仍可讀取封條，補作進站讀取作業",
                en="Seal readable: do the arrival read now",
                may_close=True,
                requires=("arrival_read_done",),
            ),
            Outcome(
                key="unreadable",
                zh="無法讀取封條",
                en="Seal cannot be read",
                next_step="upload_images",
            ),
        ),
    ),
    PlaybookStep(
        key="upload_images",
        zh="於（ES104／EPS104）收櫃異常處理上載進站影像資料，再於ES107／EPS107辦理備註登錄。",
        en="Upload the entry images in ES104/EPS104, then record in ES107/EPS107.",
        outcomes=(
            Outcome(
                key="uploaded",
                zh="已上載進站影像資料並辦理備註登錄",
                en="Entry images uploaded, finding recorded",
                may_close=True,
                requires=("entry_images_uploaded", "query_result"),
            ),
        ),
    ),
)

PLAYBOOKS: Mapping[str, Playbook] = MappingProxyType(
    {
        p.key: p
        for p in (
            PLAYBOOK_A,
            PLAYBOOK_B,
            PLAYBOOK_SEAL_BROKEN,
            PLAYBOOK_EXIT_UNSEALED,
            PLAYBOOK_LOW_BATTERY,
            PLAYBOOK_GATE_NO_INSPECTION,
            PLAYBOOK_ROUTE_DEVIATION,
            PLAYBOOK_ABNORMAL_STOP,
            PLAYBOOK_S2,
            PLAYBOOK_S3,
            PLAYBOOK_S4,
            PLAYBOOK_S7,
            PLAYBOOK_S8,
        )
    }
)

_V, _P = Family.VEHICLE, Family.PASSIVE
_HIGH, _MED, _LOW = Severity.HIGH, Severity.MEDIUM, Severity.LOW
_ORIGIN, _DEST, _JMC = HandlingSide.ORIGIN, HandlingSide.DESTINATION, HandlingSide.JMC

_KINDS = (
    # The bolt sensor is the seal's integrity: a fault may be a tampering attempt.
    AlertKind("SEAL_PIN_FAULT", _V, "封條異常（插銷異常）", "Seal pin fault", _HIGH, _JMC, PLAYBOOK_A),
    # Mostly coverage gaps; the vehicle unit usually still reports, so the cargo is not blind.
    AlertKind("SEAL_LOST", _V, "封條失聯", "Seal lost contact", _MED, _JMC, PLAYBOOK_A),
    # Seal and truck drifting apart suggests the seal (or container) left the truck. The SOP adds
    # the gloss "(封條與車機GPS相距位置異常)" to the name; it is an explanation, not part of it.
    AlertKind("SEAL_SEPARATED", _V, "封條連續脫離", "Seal separated from unit", _HIGH, _JMC, PLAYBOOK_A),
    # Pulling the unit's power is a deliberate act that blinds the tracking.
    AlertKind("UNIT_POWER_REMOVED", _V, "車機拔除電源", "Unit power removed", _HIGH, _JMC, PLAYBOOK_A),
    # Mostly coverage gaps; the seal's own LTE uplink may still report.
    AlertKind("VEHICLE_LOST", _V, "車輛失聯", "Vehicle lost contact", _MED, _JMC, PLAYBOOK_A),
    # Physical evidence of opening: the container must be opened and inspected.
    AlertKind("SEAL_BROKEN", _V, "封條破壞", "Seal broken", _HIGH, _DEST, PLAYBOOK_SEAL_BROKEN),
    # Unsealed cargo on the road; the gate can only stop it in the next minutes.
    AlertKind("EXIT_UNSEALED", _V, "出站未加封", "Left unsealed", _HIGH, _ORIGIN, PLAYBOOK_EXIT_UNSEALED),
    # The track still shows where the truck is; closed from the track or with an affidavit.
    AlertKind("ARRIVAL_LATE", _V, "到站逾時", "Arrived late", _MED, _JMC, PLAYBOOK_B),
    AlertKind("OVERDUE_NOT_ARRIVED", _V, "逾時未到站", "Overdue, not arrived", _MED, _JMC, PLAYBOOK_B),
    # Maintenance only: charge after arrival.
    AlertKind("SEAL_LOW_BATTERY", _V, "封條低電量", "Seal battery low", _LOW, _JMC, PLAYBOOK_LOW_BATTERY),
    # 002 calls it 逃避儀檢 (evading inspection); exit side, only catchable at the gate right now.
    AlertKind(
        "GATE_NO_INSPECTION",
        _V,
        "出哨未儀檢",
        "Left gate uninspected",
        _HIGH,
        _ORIGIN,
        PLAYBOOK_GATE_NO_INSPECTION,
    ),
    # Often accidents or closures, which the FAQ says are handled flexibly.
    AlertKind("ROUTE_DEVIATION", _V, "偏移路線", "Route deviation", _MED, _JMC, PLAYBOOK_ROUTE_DEVIATION),
    AlertKind("ABNORMAL_STOP", _V, "異常停留", "Abnormal stop", _MED, _JMC, PLAYBOOK_ABNORMAL_STOP),
    # Exit anomaly: seal is on but the exit was not recorded; origin saves the images.
    AlertKind("S2", _P, "出站未讀取", "Not read at exit", _MED, _ORIGIN, PLAYBOOK_S2),
    # The container has arrived; only the timing is in question.
    AlertKind("S3", _P, "逾時進站", "Late entry", _MED, _DEST, PLAYBOOK_S3),
    # Usually a registration gap (person lacks the station code); images settle the rest.
    AlertKind("S4", _P, "進站讀取人員不符", "Entry read by unauthorised person", _MED, _DEST, PLAYBOOK_S4),
    # No live track on passive seals: the cargo's whereabouts are unknown and police may be needed.
    AlertKind("S7", _P, "逾時未進站", "Overdue, not entered", _HIGH, _DEST, PLAYBOOK_S7),
    # The truck passed the destination gate; the arrival read is missing.
    AlertKind("S8", _P, "未到店讀取", "Not read at arrival", _MED, _DEST, PLAYBOOK_S8),
)

CATALOGUE: Mapping[str, AlertKind] = MappingProxyType({k.code: k for k in _KINDS})


def alert_kind(code: str) -> AlertKind:
    """The catalogue entry for ``code``; raises :class:`UnknownAlertCode` (a KeyError) otherwise."""
    try:
        return CATALOGUE[code]
    except KeyError:
        raise UnknownAlertCode(code) from None
