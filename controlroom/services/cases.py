"""Case handling by the SOP: acknowledge, shelve, walk the playbook, gather evidence, sign off, close.

Every method is one transaction that writes the change, a handling action and an audit entry
together, and returns only after the commit: what the screen reports as done is on disk. Two
workstations acting on one case are told so (CaseConflict) instead of overwriting each other,
through the version columns of Alert and Case.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from controlroom.domain.catalogue import alert_kind
from controlroom.domain.identifiers import mask_driver_id
from controlroom.domain.roles import Role, SignOffLevel, can_sign
from controlroom.domain.signoff import Evidence, missing_for_signoff, required_level
from controlroom.models import (
    Alert,
    Attachment,
    Case,
    CNNote,
    ContactWindow,
    Driver,
    HandlingAction,
    SignOff,
    Station,
)
from controlroom.models.enums import AlertStatus, CaseStatus, SignOffDecision
from controlroom.rules.clock import Clock
from controlroom.storage import audit, users
from controlroom.storage.database import Database

logger = logging.getLogger(__name__)
T = TypeVar("T")

MAX_SHELVE = timedelta(hours=24)
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
ALLOWED_MEDIA = ("image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf")
CLOSING_ROLES = (
    Role.DUTY_OFFICER,
    Role.SECTION_CHIEF,
    Role.DIVISION_CHIEF,
    Role.UNIT_HEAD,
    Role.ADMINISTRATOR,
)


class CaseConflict(RuntimeError):
    """Another workstation changed the alert or case since this one read it."""


class CaseRuleError(ValueError):
    """The SOP does not allow this action now; `code` lets the screen explain it in the user's language."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Actor:
    username: str
    role: Role


@dataclass(frozen=True)
class CaseView:
    """Everything the case screen shows, read in one transaction; plain data, safe to pass to the GUI.

    ``alert`` holds the alert's identifying fields and its ``facts``; the driver ID is already
    masked. ``step_due_at`` is when the current step falls due (S7's escalation), if it has a
    deadline, and ``step_due`` whether that moment has passed.
    """

    case_id: int
    version: int
    status: CaseStatus
    alert: dict[str, Any]
    driver_masked: str | None
    current_step: str | None
    step_due_at: datetime | None
    step_due: bool
    evidence: Evidence
    level: SignOffLevel
    required_level: SignOffLevel | None
    missing_for_signoff: tuple[str, ...]
    assignee: str | None
    opened_at: datetime
    closed_at: datetime | None
    signoffs: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[dict[str, Any]] = field(default_factory=list)
    timeline: list[dict[str, Any]] = field(default_factory=list)
    contacts: list[dict[str, Any]] = field(default_factory=list)
    records: dict[str, str] = field(default_factory=dict)


class CaseService:
    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    # -- plumbing ---------------------------------------------------------------------------

    @contextmanager
    def _tx(self) -> Iterator[Session]:
        try:
            with self._database.transaction() as session:
                yield session
        except StaleDataError as error:
            raise CaseConflict("changed by another workstation; reload and try again") from error

    def _do(self, work: Callable[[Session], T]) -> T:
        with self._tx() as session:
            return work(session)

    @staticmethod
    def _alert(session: Session, alert_id: int, expected_version: int | None) -> Alert:
        alert = session.get(Alert, alert_id)
        if alert is None:
            raise CaseRuleError("no_alert", f"alert {alert_id} does not exist")
        if expected_version is not None and alert.version != expected_version:
            raise CaseConflict(f"alert {alert_id} was changed by another workstation")
        return alert

    @staticmethod
    def _case(session: Session, case_id: int, expected_version: int | None) -> Case:
        case = session.get(Case, case_id)
        if case is None:
            raise CaseRuleError("no_case", f"case {case_id} does not exist")
        if expected_version is not None and case.version != expected_version:
            raise CaseConflict(f"case {case_id} was changed by another workstation")
        return case

    def _record(
        self,
        session: Session,
        case: Case,
        actor: Actor,
        kind: str,
        *,
        note: str = "",
        step_key: str | None = None,
        outcome_key: str | None = None,
        data: dict[str, Any] | None = None,
    ) -> None:
        now = self._clock.now()
        session.add(
            HandlingAction(
                case_id=case.id,
                at=now,
                actor=actor.username,
                kind=kind,
                step_key=step_key,
                outcome_key=outcome_key,
                note=note,
                data=data or {},
            )
        )
        detail = {"kind": kind, "step": step_key, "outcome": outcome_key, "note": note, **(data or {})}
        audit.append(
            session,
            actor=actor.username,
            action=f"case.{kind}",
            entity=f"case:{case.id}",
            detail=detail,
            at=now,
        )

    # -- alarm handling (ISA-18.2) --------------------------------------------------------------

    def acknowledge(
        self, alert_id: int, actor: Actor, note: str = "", expected_version: int | None = None
    ) -> None:
        def work(session: Session) -> None:
            alert = self._alert(session, alert_id, expected_version)
            if alert.status not in (AlertStatus.UNACKNOWLEDGED, AlertStatus.SHELVED):
                raise CaseRuleError(
                    "already_acknowledged", f"alert {alert_id} is already {alert.status.value}"
                )
            now = self._clock.now()
            alert.status = AlertStatus.ACKNOWLEDGED
            alert.acknowledged_by, alert.acknowledged_at, alert.ack_note = actor.username, now, note or None
            alert.shelved_until = alert.shelve_reason = None
            audit.append(
                session,
                actor=actor.username,
                action="alert.acknowledge",
                entity=f"alert:{alert_id}",
                detail={"note": note},
                at=now,
            )

        self._do(work)

    def shelve(
        self,
        alert_id: int,
        actor: Actor,
        duration: timedelta,
        reason: str,
        expected_version: int | None = None,
    ) -> None:
        """Silence a chattering alert for a while; it returns unacknowledged when the time runs out."""
        if not reason.strip():
            raise CaseRuleError("reason_required", "shelving needs a reason")
        if not timedelta(0) < duration <= MAX_SHELVE:
            raise CaseRuleError("bad_duration", "an alert can be shelved for at most 24 hours")

        def work(session: Session) -> None:
            alert = self._alert(session, alert_id, expected_version)
            if alert.status not in (AlertStatus.UNACKNOWLEDGED, AlertStatus.ACKNOWLEDGED):
                raise CaseRuleError("not_shelvable", f"alert {alert_id} is {alert.status.value}")
            now = self._clock.now()
            alert.status, alert.shelved_until, alert.shelve_reason = (
                AlertStatus.SHELVED,
                now + duration,
                reason,
            )
            audit.append(
                session,
                actor=actor.username,
                action="alert.shelve",
                entity=f"alert:{alert_id}",
                detail={"until": (now + duration).isoformat(), "reason": reason},
                at=now,
            )

        self._do(work)

    def unshelve_due(self) -> list[int]:
        """Return shelved alerts whose time ran out to the unacknowledged state (called every tick)."""

        def work(session: Session) -> list[int]:
            now = self._clock.now()
            due = session.scalars(
                select(Alert).where(Alert.status == AlertStatus.SHELVED, Alert.shelved_until <= now)
            ).all()
            for alert in due:
                alert.status, alert.shelved_until = AlertStatus.UNACKNOWLEDGED, None
                alert.acknowledged_by = alert.acknowledged_at = None
                audit.append(
                    session, actor="system", action="alert.unshelve", entity=f"alert:{alert.id}", at=now
                )
            return [a.id for a in due]

        return self._do(work)

    # -- the case and its playbook ------------------------------------------------------------------

    def open_case(self, alert_id: int, actor: Actor) -> int:
        """The case of an alert, opened on first use; reopening an open case just returns it."""

        def work(session: Session) -> int:
            alert = self._alert(session, alert_id, None)
            existing = session.scalar(select(Case).where(Case.alert_id == alert_id))
            if existing is not None:
                return existing.id
            if alert.status is AlertStatus.CLOSED:
                raise CaseRuleError("closed", f"alert {alert_id} is closed")
            playbook = alert_kind(alert.code).playbook
            case = Case(
                alert_id=alert_id,
                opened_at=self._clock.now(),
                opened_by=actor.username,
                assignee=actor.username,
                current_step=playbook.first_step,
                system_images=bool(alert.facts.get("images_present")),
            )
            session.add(case)
            if alert.status in (AlertStatus.UNACKNOWLEDGED, AlertStatus.SHELVED):
                alert.acknowledged_by, alert.acknowledged_at = actor.username, self._clock.now()
            alert.status, alert.assignee = AlertStatus.IN_HANDLING, actor.username
            session.flush()
            self._record(session, case, actor, "open", data={"alert": alert_id, "code": alert.code})
            return case.id

        return self._do(work)

    def record_outcome(
        self,
        case_id: int,
        actor: Actor,
        step_key: str,
        outcome_key: str,
        records: dict[str, str] | None = None,
        note: str = "",
        expected_version: int | None = None,
    ) -> None:
        """Record how the current playbook step turned out, with the records the SOP requires for it."""
        records = {k: v.strip() for k, v in (records or {}).items() if v and v.strip()}

        def work(session: Session) -> None:
            case = self._case(session, case_id, expected_version)
            self._require_handling(case)
            if case.current_step != step_key:
                raise CaseRuleError(
                    "wrong_step", f"the current step is {case.current_step!r}, not {step_key!r}"
                )
            alert = session.get(Alert, case.alert_id)
            assert alert is not None
            outcome = alert_kind(alert.code).playbook.outcome(step_key, outcome_key)
            missing = [r for r in outcome.requires if r not in records]
            if missing:
                raise CaseRuleError("records_missing", "missing records: " + ", ".join(missing))
            case.current_step = outcome.next_step
            self._record(
                session,
                case,
                actor,
                "outcome",
                note=note,
                step_key=step_key,
                outcome_key=outcome_key,
                data={"records": records},
            )

        self._do(work)

    def add_note(self, case_id: int, actor: Actor, text: str) -> None:
        if not text.strip():
            raise CaseRuleError("empty_note", "the note is empty")
        self._do(
            lambda session: self._record(
                session, self._case(session, case_id, None), actor, "note", note=text.strip()
            )
        )

    def add_attachment(
        self, case_id: int, actor: Actor, filename: str, media_type: str, content: bytes
    ) -> int:
        if media_type not in ALLOWED_MEDIA:
            raise CaseRuleError("bad_media", f"{media_type} is not an image or PDF")
        if not content or len(content) > MAX_ATTACHMENT_BYTES:
            raise CaseRuleError("bad_size", "attachments must be between 1 byte and 20 MB")
        digest = hashlib.sha256(content).hexdigest()

        def work(session: Session) -> int:
            case = self._case(session, case_id, None)
            attachment = Attachment(
                case_id=case.id,
                filename=filename,
                media_type=media_type,
                sha256=digest,
                content=content,
                added_by=actor.username,
                added_at=self._clock.now(),
            )
            session.add(attachment)
            session.flush()
            self._record(
                session,
                case,
                actor,
                "attachment",
                note=filename,
                data={"attachment": attachment.id, "sha256": digest, "bytes": len(content)},
            )
            return attachment.id

        return self._do(work)

    def set_evidence(
        self, case_id: int, actor: Actor, evidence: Evidence, expected_version: int | None = None
    ) -> None:
        def work(session: Session) -> None:
            case = self._case(session, case_id, expected_version)
            self._require_handling(case)
            case.system_images, case.cctv_captured = evidence.system_images, evidence.cctv_captured
            case.cargo_traced = evidence.cargo_traced
            self._record(
                session,
                case,
                actor,
                "evidence",
                data={
                    "system_images": evidence.system_images,
                    "cctv_captured": evidence.cctv_captured,
                    "cargo_traced": evidence.cargo_traced,
                    "level": required_level(evidence).name,
                },
            )

        self._do(work)

    # -- sign-off and closure -------------------------------------------------------------------

    def request_signoff(
        self, case_id: int, actor: Actor, expected_version: int | None = None
    ) -> SignOffLevel:
        """Send a handled case to the sign-off queue of the level its evidence calls for."""

        def work(session: Session) -> SignOffLevel:
            case = self._case(session, case_id, expected_version)
            self._require_handling(case)
            if case.current_step is not None:
                raise CaseRuleError("playbook_open", f"the playbook step {case.current_step!r} is not done")
            evidence = Evidence(case.system_images, case.cctv_captured, case.cargo_traced)
            missing = missing_for_signoff(evidence)
            if missing:
                raise CaseRuleError("evidence_missing", "missing: " + ", ".join(missing))
            level = required_level(evidence)
            case.required_level, case.status = int(level), CaseStatus.AWAITING_SIGNOFF
            self._alert_of(session, case).status = AlertStatus.AWAITING_SIGNOFF
            self._record(session, case, actor, "request_signoff", data={"level": level.name})
            return level

        return self._do(work)

    def sign(
        self,
        case_id: int,
        username: str,
        password: str,
        decision: SignOffDecision,
        reason: str = "",
        expected_version: int | None = None,
    ) -> None:
        """Approve or return a case. The signer re-enters the password; the role must reach the level."""
        if decision is SignOffDecision.RETURNED and not reason.strip():
            raise CaseRuleError("reason_required", "a returned case needs a reason")

        def work(session: Session) -> None:
            user = users.authenticate(session, username, password)
            if user is None:
                raise CaseRuleError("bad_credentials", "wrong username or password")
            case = self._case(session, case_id, expected_version)
            if case.status is not CaseStatus.AWAITING_SIGNOFF or case.required_level is None:
                raise CaseRuleError("not_awaiting", f"case {case_id} is not awaiting sign-off")
            level = SignOffLevel(case.required_level)
            if not can_sign(user.role, level):
                raise CaseRuleError(
                    "insufficient_role", f"{user.role.value} cannot sign at level {level.name}"
                )
            actor = Actor(user.username, user.role)
            session.add(
                SignOff(
                    case_id=case.id,
                    level=int(level),
                    signer=user.username,
                    signer_role=user.role.value,
                    at=self._clock.now(),
                    decision=decision,
                    reason=reason.strip(),
                )
            )
            alert = self._alert_of(session, case)
            if decision is SignOffDecision.APPROVED:
                case.status = CaseStatus.SIGNED_OFF
            else:
                case.status, alert.status = CaseStatus.RETURNED, AlertStatus.IN_HANDLING
            self._record(
                session,
                case,
                actor,
                f"signoff_{decision.value}",
                note=reason.strip(),
                data={"level": level.name},
            )

        self._do(work)

    def close(self, case_id: int, actor: Actor, expected_version: int | None = None) -> None:
        """The monitoring center closes a signed-off case."""
        if actor.role not in CLOSING_ROLES:
            raise CaseRuleError("insufficient_role", f"{actor.role.value} cannot close cases")

        def work(session: Session) -> None:
            case = self._case(session, case_id, expected_version)
            if case.status is not CaseStatus.SIGNED_OFF:
                raise CaseRuleError("not_signed", f"case {case_id} is not signed off")
            now = self._clock.now()
            case.status, case.closed_at, case.closed_by = CaseStatus.CLOSED, now, actor.username
            self._alert_of(session, case).status = AlertStatus.CLOSED
            self._record(session, case, actor, "close")

        self._do(work)

    @staticmethod
    def _alert_of(session: Session, case: Case) -> Alert:
        alert = session.get(Alert, case.alert_id)
        assert alert is not None
        return alert

    @staticmethod
    def _require_handling(case: Case) -> None:
        if case.status not in (CaseStatus.OPEN, CaseStatus.RETURNED):
            raise CaseRuleError("not_in_handling", f"case {case.id} is {case.status.value}")

    # -- reading --------------------------------------------------------------------------------

    def timeline(self, case_id: int) -> list[dict[str, Any]]:
        return self._do(lambda session: self.timeline_in(session, case_id))

    @staticmethod
    def timeline_in(session: Session, case_id: int) -> list[dict[str, Any]]:
        actions = session.scalars(
            select(HandlingAction).where(HandlingAction.case_id == case_id).order_by(HandlingAction.id)
        )
        return [
            {
                "at": a.at,
                "actor": a.actor,
                "kind": a.kind,
                "step": a.step_key,
                "outcome": a.outcome_key,
                "note": a.note,
                "data": a.data,
            }
            for a in actions
        ]

    def due_steps(self) -> list[tuple[int, str, datetime]]:
        """Open cases whose current step has come due (S7's 12-hour escalation): (case, step, due at)."""

        def work(session: Session) -> list[tuple[int, str, datetime]]:
            now, due = self._clock.now(), []
            rows = session.execute(
                select(Case.id, Case.current_step, Alert.code, Alert.raised_at)
                .join(Alert, Alert.id == Case.alert_id)
                .where(
                    Case.status.in_((CaseStatus.OPEN, CaseStatus.RETURNED)), Case.current_step.is_not(None)
                )
            )
            for case_id, step_key, code, raised_at in rows:
                if step_key is None:  # excluded by the query; narrows the type
                    continue
                after = alert_kind(code).playbook.step(step_key).due_after
                if after is not None and now >= raised_at + after:
                    due.append((case_id, step_key, raised_at + after))
            return due

        return self._do(work)

    def case_for_alert(self, alert_id: int) -> int | None:
        """The case of an alert, if one was opened."""
        return self._do(lambda session: session.scalar(select(Case.id).where(Case.alert_id == alert_id)))

    def case_view(self, case_id: int) -> CaseView:
        """The whole case as the screen shows it, read in one transaction."""

        def work(session: Session) -> CaseView:
            case = self._case(session, case_id, None)
            alert = self._alert_of(session, case)
            kind = alert_kind(alert.code)
            houses = {
                code: house for code, house in session.execute(select(Station.code, Station.customs_house))
            }
            origin_house = houses.get(alert.origin or "")
            destination_house = houses.get(alert.destination or "")
            evidence = Evidence(case.system_images, case.cctv_captured, case.cargo_traced)
            due_at = None
            if case.current_step is not None:
                after = kind.playbook.step(case.current_step).due_after
                due_at = alert.raised_at + after if after is not None else None
            timeline = self.timeline_in(session, case.id)
            records: dict[str, str] = {}
            for entry in timeline:
                if entry["kind"] == "outcome":
                    records.update(entry["data"].get("records", {}))
            return CaseView(
                case_id=case.id,
                version=case.version,
                status=case.status,
                alert={
                    "id": alert.id,
                    "version": alert.version,
                    "code": alert.code,
                    "name_zh": kind.name_zh,
                    "name_en": kind.name_en,
                    "severity": alert.severity,
                    "family": alert.family,
                    "side": alert.side,
                    "status": alert.status,
                    "cn_no": alert.cn_no,
                    "container_no": alert.container_no,
                    "plate": alert.plate,
                    "seal_no": alert.seal_no,
                    "origin": alert.origin,
                    "destination": alert.destination,
                    "origin_house": origin_house.value if origin_house else None,
                    "destination_house": destination_house.value if destination_house else None,
                    "raised_at": alert.raised_at,
                    "occurrences": alert.occurrences,
                    "facts": dict(alert.facts),
                },
                driver_masked=self._driver_masked(session, alert),
                current_step=case.current_step,
                step_due_at=due_at,
                step_due=due_at is not None and self._clock.now() >= due_at,
                evidence=evidence,
                level=required_level(evidence),
                required_level=SignOffLevel(case.required_level) if case.required_level else None,
                missing_for_signoff=missing_for_signoff(evidence),
                assignee=case.assignee,
                opened_at=case.opened_at,
                closed_at=case.closed_at,
                signoffs=[
                    {
                        "at": s.at,
                        "level": SignOffLevel(s.level),
                        "signer": s.signer,
                        "signer_role": s.signer_role,
                        "decision": s.decision,
                        "reason": s.reason,
                    }
                    for s in session.scalars(
                        select(SignOff).where(SignOff.case_id == case.id).order_by(SignOff.id)
                    )
                ],
                attachments=[
                    {
                        "id": a_id,
                        "filename": filename,
                        "media_type": media_type,
                        "sha256": sha256,
                        "added_by": added_by,
                        "added_at": added_at,
                    }
                    for a_id, filename, media_type, sha256, added_by, added_at in session.execute(
                        select(
                            Attachment.id,
                            Attachment.filename,
                            Attachment.media_type,
                            Attachment.sha256,
                            Attachment.added_by,
                            Attachment.added_at,
                        )
                        .where(Attachment.case_id == case.id)
                        .order_by(Attachment.id)
                    )
                ],
                timeline=timeline,
                contacts=self._contacts(
                    session, [h.value for h in (origin_house, destination_house) if h is not None]
                ),
                records=records,
            )

        return self._do(work)

    @staticmethod
    def _driver_masked(session: Session, alert: Alert) -> str | None:
        if alert.cn_no is None:
            return None
        national_id = session.scalar(
            select(Driver.national_id)
            .join(CNNote, CNNote.driver_id == Driver.id)
            .where(CNNote.cn_no == alert.cn_no)
        )
        return mask_driver_id(national_id) if national_id else None

    @staticmethod
    def _contacts(session: Session, houses: list[str]) -> list[dict[str, Any]]:
        wanted = [*dict.fromkeys(houses), "national"]
        windows = session.scalars(
            select(ContactWindow).where(ContactWindow.customs_house.in_(wanted)).order_by(ContactWindow.id)
        ).all()
        windows = sorted(windows, key=lambda w: wanted.index(w.customs_house))
        return [
            {
                "customs_house": w.customs_house,
                "unit_zh": w.unit_zh,
                "unit_en": w.unit_en,
                "role_zh": w.role_zh,
                "phone": w.phone,
                "hours_zh": w.hours_zh,
            }
            for w in windows
        ]

    def signoff_summaries(self, level: SignOffLevel) -> list[dict[str, Any]]:
        """The sign-off queue of one level with what a supervisor needs to pick a case."""

        def work(session: Session) -> list[dict[str, Any]]:
            query = (
                select(Case, Alert)
                .join(Alert, Alert.id == Case.alert_id)
                .where(Case.status == CaseStatus.AWAITING_SIGNOFF, Case.required_level == int(level))
                .order_by(Case.opened_at, Case.id)
            )
            return [
                {
                    "case_id": case.id,
                    "version": case.version,
                    "opened_at": case.opened_at,
                    "assignee": case.assignee,
                    "code": alert.code,
                    "name_zh": alert_kind(alert.code).name_zh,
                    "cn_no": alert.cn_no,
                    "container_no": alert.container_no,
                    "plate": alert.plate,
                    "severity": alert.severity,
                    "raised_at": alert.raised_at,
                }
                for case, alert in session.execute(query)
            ]

        return self._do(work)

    def signoff_queue(self, level: SignOffLevel) -> list[int]:
        def work(session: Session) -> list[int]:
            query = (
                select(Case.id)
                .where(Case.status == CaseStatus.AWAITING_SIGNOFF, Case.required_level == int(level))
                .order_by(Case.opened_at)
            )
            return list(session.scalars(query))

        return self._do(work)
