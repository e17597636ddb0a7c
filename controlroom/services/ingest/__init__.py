"""Ingest: feed messages in, stored observations, trips and alerts out; the same for live, replay and tests.

`Ingestor.process_batch` validates every message (controlroom.feed.messages), refuses the invalid ones
into the dead-letter store with no other state change, drops duplicates (their dedupe keys are stored,
so this holds across restarts), stores each observation under its own ``ts``, moves the trips through
their state machine (controlroom.rules.trips) and raises alerts (controlroom.rules.decisions). A batch
is one transaction; each message runs in its own savepoint, so a bug in one message's handling
dead-letters that message ("internal_error") and keeps the others. `Ingestor.tick` fires the clock
rules (lost contact, overdue, S7, S8) at ``clock.now()``.

Late and out-of-order data: everything is judged in ``ts`` order from what is stored (streaks are
recomputed over the stored fixes and reports around the new one), silence is judged against the newest
``ts``, and nothing is ever un-raised because of late data. All rule state lives in the database (the
trips table and the stored reports), so a new Ingestor on the same database continues a trip.

``raised_at`` of an alert is the instant its condition became true: the observation's ``ts`` for
message rules, the due time (newest ts + 5 min, the deadline, the gate passage + 30 min) for clock
rules; so the same data gives the same alerts whatever the delivery order or tick rate. When the
product noticed is kept in the facts as ``detected_at``.

Dead-letter reason codes: those of `parse_message` (unknown_topic, oversize, encoding, json, not_object,
schema, topic_mismatch), unknown_station, and for valid messages about something this database does not
know: unknown_cn (sealing or cancel of a CN never received), cn_cancelled (sealing of a cancelled CN),
unknown_gate, unknown_route; internal_error for a bug (logged with its traceback).

Driver IDs are personal data: they are stored only in the drivers table and never logged.

The package, by what each module does:

- `pipeline`: the `Ingestor` (batch transaction, savepoint per message, ticks); `message_log`: the
  dedupe record and the dead letters; `batch`: what one batch works with.
- `message_rules`: the dispatch of a valid message to the handlers of its topic kind: `handlers_cn`,
  `handlers_gate`, `handlers_passive`, `handlers_unit`, `handlers_seal`, over `message_handler` (what
  they share) and `pairing` (seal against unit: unlock and separation).
- `clock_rules`: lost contact, overdue, S7, S8; `alerts`: raising alerts and their facts;
  `trip_updates`: trip state and rule memory; `reference`: the cached reference data.
- `events`: the events for the GUI and the counters.
"""

from __future__ import annotations

from controlroom.services.ingest.events import (
    AlertOccurred,
    AlertRaised,
    BatchResult,
    IngestEvent,
    IngestStats,
    PositionsMoved,
    TripChanged,
)
from controlroom.services.ingest.pipeline import Ingestor

__all__ = [
    "AlertOccurred",
    "AlertRaised",
    "BatchResult",
    "IngestEvent",
    "IngestStats",
    "Ingestor",
    "PositionsMoved",
    "TripChanged",
]
