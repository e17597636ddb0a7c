"""Replay a recorded feed (JSON Lines) through the live ingest pipeline on a manual clock.

Each line is ``{"at": RFC 3339, "topic": str, "payload": object | str}``: ``at`` is when the message was
delivered; a string payload is the raw bytes as received, UTF-8 encoded (so malformed JSON can be
replayed); an object is serialised with ``json.dumps``. For bytes that are not UTF-8 at all a line may
carry ``"payload_b64"`` (base64 of the exact bytes) in place of ``payload``.

Before each message the clock is set to its ``at`` and due timers fire, so clock rules fire in order;
at the end the clock advances in 30-second steps to ``until``, firing timers at their due time.

A scenario may have a sidecar ``NAME.json`` next to ``NAME.jsonl`` with its description, expected
alerts and set-up (operators and the stations they may act for, which the feed does not carry);
:func:`apply_setup` loads that set-up, and the ``replay`` command applies it when the sidecar exists.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from controlroom.feed.raw import RawMessage
from controlroom.feed.topics import DEFAULT_ROOT
from controlroom.models import Operator, OperatorStation
from controlroom.rules.clock import ManualClock
from controlroom.services.ingest import IngestEvent, Ingestor, IngestStats
from controlroom.storage.database import Database

__all__ = [
    "STEP",
    "ReplayError",
    "ReplayLine",
    "apply_setup",
    "load_sidecar",
    "parse_lines",
    "read_lines",
    "replay",
    "replay_file",
]

logger = logging.getLogger(__name__)

STEP = timedelta(seconds=30)


class ReplayError(ValueError):
    """A line of the replay file itself is malformed (not a feed message: those are dead-lettered)."""


@dataclass(frozen=True)
class ReplayLine:
    at: datetime
    topic: str
    payload: bytes


def _parse_at(value: object, where: str) -> datetime:
    if not isinstance(value, str):
        raise ReplayError(f"{where}: 'at' must be an RFC 3339 string")
    try:
        at = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ReplayError(f"{where}: 'at' is not an RFC 3339 date-time") from None
    if at.tzinfo is None:
        raise ReplayError(f"{where}: 'at' needs a UTC offset")
    return at


def parse_lines(lines: Iterable[str], source: str = "<replay>") -> list[ReplayLine]:
    result: list[ReplayLine] = []
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        where = f"{source}:{number}"
        try:
            row = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ReplayError(f"{where}: not JSON ({exc.msg})") from None
        if not isinstance(row, dict) or not isinstance(row.get("topic"), str):
            raise ReplayError(f"{where}: expected an object with 'at', 'topic' and 'payload'")
        at = _parse_at(row.get("at"), where)
        if "payload_b64" in row:
            payload = base64.b64decode(row["payload_b64"])
        elif isinstance(row.get("payload"), str):
            payload = row["payload"].encode("utf-8")
        elif "payload" in row:
            payload = json.dumps(row["payload"], ensure_ascii=False).encode("utf-8")
        else:
            raise ReplayError(f"{where}: 'payload' is missing")
        result.append(ReplayLine(at, row["topic"], payload))
    return result


def read_lines(path: Path) -> list[ReplayLine]:
    with path.open(encoding="utf-8") as handle:
        return parse_lines(handle, str(path))


def load_sidecar(path: Path) -> dict[str, Any] | None:
    """The scenario's sidecar ``NAME.json`` next to ``NAME.jsonl``, if there is one."""
    sidecar = path.with_suffix(".json")
    if not sidecar.is_file():
        return None
    with sidecar.open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def apply_setup(session: Session, setup: dict[str, Any]) -> None:
    """Load a scenario's set-up: ``{"operators": [{"operator_id", "name"?, "stations": [...]}]}``.

    Existing operators keep their rows; missing station grants are added.
    """
    for row in setup.get("operators", []):
        operator = session.get(Operator, row["operator_id"])
        if operator is None:
            operator = Operator(operator_id=row["operator_id"], name=row.get("name", ""))
            session.add(operator)
            session.flush()
        for station in row.get("stations", []):
            if session.get(OperatorStation, (operator.operator_id, station)) is None:
                session.add(OperatorStation(operator_id=operator.operator_id, station=station))
    session.flush()


def _advance(ingestor: Ingestor, clock: ManualClock, to: datetime, total: IngestStats) -> None:
    """Move the clock to ``to`` in 30-second steps, ticking whenever a timer is due."""
    due = ingestor.next_due()
    while clock.now() < to:
        clock.set(min(clock.now() + STEP, to))
        if due is not None and due <= clock.now():
            total.add(ingestor.tick().stats)
            due = ingestor.next_due()


def replay(
    database: Database,
    lines: Sequence[ReplayLine],
    *,
    until: datetime | None = None,
    topic_root: str = DEFAULT_ROOT,
    on_event: Any = None,
) -> IngestStats:
    """Feed ``lines`` through a fresh Ingestor on a manual clock; returns the summed counters.

    Messages delivered at the same ``at`` form one batch. Between deliveries the clock moves in
    30-second steps so that every timer fires at (the step just after) its due time.
    """
    total = IngestStats()
    if not lines and until is None:
        return total
    start = lines[0].at if lines else until
    assert start is not None
    clock = ManualClock(start)
    events: list[IngestEvent] = []
    ingestor = Ingestor(database, clock, topic_root=topic_root, on_event=on_event or events.append)
    index = 0
    while index < len(lines):
        at = lines[index].at
        batch: list[RawMessage] = []
        while index < len(lines) and lines[index].at == at:
            line = lines[index]
            batch.append(RawMessage(line.topic, line.payload, line.at))
            index += 1
        if at > clock.now():
            _advance(ingestor, clock, at, total)
        due = ingestor.next_due()
        if due is not None and due <= clock.now():
            total.add(ingestor.tick().stats)
        total.add(ingestor.process_batch(batch).stats)
    if until is not None:
        _advance(ingestor, clock, until, total)
    logger.info(
        "replay: %d accepted, %d rejected, %d duplicates, %d alerts",
        total.accepted,
        total.rejected,
        total.duplicates,
        total.alerts,
    )
    return total


def replay_file(database: Database, path: Path, *, until: datetime | None = None) -> IngestStats:
    """Replay a JSONL file, applying its sidecar's set-up first when there is one."""
    sidecar = load_sidecar(path)
    if sidecar and sidecar.get("setup"):
        with database.transaction() as session:
            apply_setup(session, sidecar["setup"])
    return replay(database, read_lines(path), until=until)
