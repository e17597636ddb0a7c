"""The `Ingestor`: one transaction per batch, one savepoint per message, and the clock ticks.

Each message is parsed and validated, checked against the known stations and the dedupe record, then
handed to `MessageRules` inside its own savepoint; what a message refuses or breaks is undone and
dead-lettered without touching the others. Telemetry is inserted in bulk at the end of the batch, and
the events reach ``on_event`` only after the commit. See the package docstring for the guarantees.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from controlroom.feed.messages import Rejection, dedupe_key, parse_message, referenced_stations
from controlroom.feed.raw import RawMessage
from controlroom.feed.topics import DEFAULT_ROOT
from controlroom.models import PositionReport
from controlroom.rules.clock import Clock
from controlroom.services.ingest.batch import Batch, utc
from controlroom.services.ingest.clock_rules import ClockRules
from controlroom.services.ingest.events import BatchResult, IngestEvent, IngestStats, PositionsMoved
from controlroom.services.ingest.message_handler import Refused
from controlroom.services.ingest.message_log import dead_letter, record_processed, seen
from controlroom.services.ingest.message_rules import MessageRules
from controlroom.services.ingest.reference import ReferenceCache
from controlroom.storage.database import Database

logger = logging.getLogger(__name__)


class _Unknown:
    """Marker: the next due time has not been computed yet."""


_UNKNOWN = _Unknown()


class Ingestor:
    """Turns feed messages into stored observations, trips and alerts; see the package docstring.

    Not thread-safe: call `process_batch` and `tick` from one thread (the feed's worker). ``on_event``
    is called on that thread after the batch's transaction has committed.
    """

    def __init__(
        self,
        database: Database,
        clock: Clock,
        *,
        topic_root: str = DEFAULT_ROOT,
        on_event: Callable[[IngestEvent], None] | None = None,
    ) -> None:
        self._database = database
        self._clock = clock
        self._root = topic_root
        self._on_event = on_event
        self._reference = ReferenceCache()
        self._due: datetime | _Unknown | None = _UNKNOWN

    # ---- public API -------------------------------------------------------------------------

    def process_batch(self, messages: Sequence[RawMessage]) -> BatchResult:
        """Process ``messages`` in one transaction; returns counters and the events for the GUI."""
        if not messages:
            return BatchResult(IngestStats(), ())
        with self._database.transaction() as session:
            batch = self._begin(session)
            for raw in messages:
                self._process_one(batch, raw)
            self._flush_positions(batch)
            self._due = ClockRules(batch).next_due()
        return self._finish(batch)

    def tick(self) -> BatchResult:
        """Fire the clock rules that are due at ``clock.now()``."""
        with self._database.transaction() as session:
            batch = self._begin(session)
            rules = ClockRules(batch)
            rules.run()
            self._due = rules.next_due()
        return self._finish(batch)

    def next_due(self) -> datetime | None:
        """The earliest instant at which a clock rule could fire on the stored trips (None: nothing
        pending). A tick before it changes nothing; replay uses it to skip idle steps. Known after
        this Ingestor's last batch or tick; otherwise read from the database."""
        if self._due is _UNKNOWN:
            with self._database.transaction() as session:
                batch = Batch(session, self._reference.get(session), utc(self._clock.now()))
                self._due = ClockRules(batch).next_due()
        assert not isinstance(self._due, _Unknown)
        return self._due

    # ---- batch plumbing ---------------------------------------------------------------------

    def _begin(self, session: Session) -> Batch:
        connection = session.connection()
        if connection.dialect.name == "sqlite":
            # pysqlite starts its transaction lazily at the first write, so a SAVEPOINT issued first would
            # become the outer transaction and its RELEASE would commit: start the transaction now.
            dbapi = connection.connection.dbapi_connection
            if dbapi is not None and not getattr(dbapi, "in_transaction", True):
                connection.exec_driver_sql("BEGIN")
        return Batch(session, self._reference.get(session), utc(self._clock.now()))

    def _finish(self, batch: Batch) -> BatchResult:
        if batch.moved:
            batch.events.append(PositionsMoved(tuple(batch.moved.values())))
        result = BatchResult(batch.stats, tuple(batch.events))
        if self._on_event is not None:
            for event in result.events:
                self._on_event(event)
        return result

    def _flush_positions(self, batch: Batch) -> None:
        if batch.pending_positions:
            batch.session.execute(insert(PositionReport), batch.pending_positions)
            batch.pending_positions.clear()

    def _process_one(self, batch: Batch, raw: RawMessage) -> None:
        parsed = parse_message(raw.topic, raw.payload, root=self._root)
        if isinstance(parsed, Rejection):
            dead_letter(batch, raw, parsed.code, parsed.detail)
            return
        unknown = [code for code in referenced_stations(parsed) if code not in batch.ref.fences]
        if unknown:
            dead_letter(batch, raw, "unknown_station", f"unknown station code(s): {', '.join(unknown)}")
            return
        key = dedupe_key(parsed)
        if seen(batch.session, key):
            batch.stats.duplicates += 1
            return
        mark = batch.mark()
        try:
            with batch.session.begin_nested():
                MessageRules(batch, raw.received_at).handle(parsed)
                record_processed(batch.session, key, raw.received_at)
                batch.session.flush()
        except Refused as refused:
            batch.forget_since(mark)
            dead_letter(batch, raw, refused.code, refused.detail)
            return
        except IntegrityError:
            batch.forget_since(mark)
            if seen(batch.session, key):  # another ingestor stored the same message meanwhile
                batch.stats.duplicates += 1
                return
            logger.exception("ingest: storing a message on %s failed; it is dead-lettered", raw.topic)
            dead_letter(batch, raw, "internal_error", "storing the message failed (see the log)")
            return
        except Exception:
            logger.exception("ingest: handling a message on %s failed; it is dead-lettered", raw.topic)
            batch.forget_since(mark)
            dead_letter(batch, raw, "internal_error", "handling the message failed (see the log)")
            return
        batch.stats.accepted += 1
