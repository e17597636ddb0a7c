"""Append-only audit log whose entries are hash-chained, and the check that finds the first broken link.

Each entry's hash covers its own fields and the previous entry's hash, so editing an entry breaks its
own hash, and deleting one breaks the sequence and the next entry's `prev_hash`. Database triggers
(see the migrations) refuse UPDATE and DELETE; the chain catches what is done around them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from controlroom.models import AuditEntry

__all__ = ["AuditEntry", "ChainReport", "append", "canonical_json", "entry_hash", "verify"]

GENESIS = "0" * 64


def canonical_json(detail: dict[str, Any]) -> str:
    return json.dumps(detail, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def entry_hash(seq: int, at: datetime, actor: str, action: str, entity: str, detail: str, prev: str) -> str:
    stamp = at.astimezone(UTC).isoformat(timespec="microseconds")
    material = "\x1f".join((str(seq), stamp, actor, action, entity, detail, prev))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def append(
    session: Session,
    *,
    actor: str,
    action: str,
    entity: str,
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEntry:
    """Add an entry in the caller's transaction, so the action and its audit commit together."""
    if session.get_bind().dialect.name == "postgresql":
        # Serialise appenders across workstations; released at commit or rollback.
        session.execute(text("SELECT pg_advisory_xact_lock(7316001)"))
    head = session.execute(
        select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
    ).first()
    seq, prev = (head[0] + 1, head[1]) if head else (1, GENESIS)
    when = (at or datetime.now(UTC)).astimezone(UTC)
    body = canonical_json(detail or {})
    entry = AuditEntry(
        seq=seq,
        at=when,
        actor=actor,
        action=action,
        entity=entity,
        detail=body,
        prev_hash=prev,
        hash=entry_hash(seq, when, actor, action, entity, body, prev),
    )
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    entries: int
    broken_at: int | None = None  # the first seq whose link does not hold
    reason: str = ""


def verify(session: Session) -> ChainReport:
    """Walk the chain in order and report the first entry that was edited, removed or re-linked."""
    expected_seq, prev, count = 1, GENESIS, 0
    rows = session.execute(select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=1000))
    try:
        for entry in rows.scalars():
            count += 1
            if entry.seq != expected_seq:
                return ChainReport(False, count, expected_seq, f"entry {expected_seq} is missing")
            if entry.prev_hash != prev:
                return ChainReport(False, count, entry.seq, "does not link to the previous entry")
            recomputed = entry_hash(
                entry.seq, entry.at, entry.actor, entry.action, entry.entity, entry.detail, entry.prev_hash
            )
            if recomputed != entry.hash:
                return ChainReport(False, count, entry.seq, "content does not match its hash (edited)")
            expected_seq, prev = entry.seq + 1, entry.hash
    finally:
        rows.close()  # a streamed result holds a server-side cursor on PostgreSQL
    return ChainReport(True, count)


def count_entries(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEntry)) or 0
