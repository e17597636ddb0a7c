"""Handlers for the vehicle seals: status reports (SEAL_PIN_FAULT, SEAL_BROKEN, SEAL_LOW_BATTERY as
streaks over the stored reports, the seal's state, separation from the unit) and seal events (the same
faults as device events, and the unlock that ends a trip or breaks the seal)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select

from controlroom.feed import messages as fm
from controlroom.models import SealStatusReport, Trip
from controlroom.rules import decisions
from controlroom.rules.streaks import run_around
from controlroom.services.ingest.batch import TRACK_WINDOW, iso, row_ts, utc
from controlroom.services.ingest.pairing import PairingRules
from controlroom.services.ingest.trip_updates import active_at, set_rule_state


class SealHandlers(PairingRules):
    """Seal status reports and seal events."""

    def seal_status(self, m: fm.SealStatus) -> None:
        ts = utc(m.ts)
        trip = self._trip_for_seal(m.seal_id, ts)
        self.session.add(
            SealStatusReport(
                seal_no=m.seal_id,
                trip_id=trip.id if trip else None,
                ts=ts,
                received_at=self.received_at,
                state=m.state,
                pin=m.pin,
                tamper=m.tamper,
                battery_pct=m.battery_pct,
                lat=m.lat,
                lon=m.lon,
                unit_id=m.unit_id,
                link=m.link,
            )
        )
        if trip is None:
            return
        if m.unit_id is not None and trip.unit_id is None:
            trip.unit_id = m.unit_id
        self._seen_seal(trip, ts)
        state = trip.rule_state or {}
        state_at = state.get("seal_state_at")
        if state_at is None or ts >= datetime.fromisoformat(state_at):
            trip.seal_state = m.state
            set_rule_state(trip, "seal_state_at", iso(ts))
        if m.lat is not None:
            self.settle_unlock(trip, final=False)
        if not active_at(trip, ts):
            return
        report = {"pin": m.pin, "tamper": m.tamper, "battery_pct": m.battery_pct, "state": m.state}
        self._seal_episodes(trip, ts, report)
        if m.lat is not None:
            self._separation_near(trip, ts)

    def _seal_episodes(self, trip: Trip, ts: datetime, report: dict[str, Any]) -> None:
        """Pin fault, tamper and low battery over the seal's reports around ``ts``, in ts order."""
        self.session.flush()
        rows = self.session.execute(
            select(
                SealStatusReport.ts,
                SealStatusReport.pin,
                SealStatusReport.tamper,
                SealStatusReport.battery_pct,
            )
            .where(
                SealStatusReport.seal_no == trip.seal_no,
                SealStatusReport.ts.between(ts - TRACK_WINDOW, ts + TRACK_WINDOW),
            )
            .order_by(SealStatusReport.ts)
        ).all()
        index = next(i for i, row in enumerate(rows) if row[0] == ts)
        low = self.th.low_battery_pct
        rules: tuple[tuple[str, Callable[[Any], bool], tuple[str, ...]], ...] = (
            ("SEAL_PIN_FAULT", lambda r: decisions.seal_pin_fault(r[1]), ()),
            ("SEAL_BROKEN", lambda r: decisions.seal_broken(r[2]), ()),
            ("SEAL_LOW_BATTERY", lambda r: decisions.seal_low_battery(r[3], low), ("low_battery_pct",)),
        )
        for code, shows, thresholds in rules:

            def counts(row: Any, shows: Callable[[Any], bool] = shows) -> bool:
                return active_at(trip, row[0]) and shows(row)

            run = run_around(rows, index, counts, row_ts)
            if run is not None:
                self._episode(trip, code, run.start, run.end, run.start, report, thresholds=thresholds)

    def _seen_seal(self, trip: Trip, ts: datetime) -> None:
        if trip.last_seal_at is None or ts > trip.last_seal_at:
            trip.last_seal_at = ts

    def seal_event(self, m: fm.SealEvent) -> None:
        ts = utc(m.ts)
        trip = self._trip_for_seal(m.seal_id, ts)
        detail: dict[str, Any] = {"method": m.method} if m.method else {}
        self._store_device_event("seal", m.seal_id, trip, m.seq, ts, m.event, detail)
        if trip is None:
            return
        self._seen_seal(trip, ts)
        if not active_at(trip, ts):
            return
        event = {"event": m.event, **detail}
        if m.event == "pin_fault":
            self._event_episode(trip, "SEAL_PIN_FAULT", ts, event)
        elif m.event == "tamper":
            self._event_episode(trip, "SEAL_BROKEN", ts, event)
        elif m.event == "low_battery":
            self._event_episode(trip, "SEAL_LOW_BATTERY", ts, event, thresholds=("low_battery_pct",))
        elif m.event == "unlocked":
            self._unlocked(trip, ts, m.method or "")
