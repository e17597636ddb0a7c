"""Handlers for the vehicle units (the trackers on the trucks): telemetry is stored in bulk at the end
of the batch and drives the trip's progress and the fix rules (UNIT_POWER_REMOVED, ROUTE_DEVIATION,
ABNORMAL_STOP, arrival); unit events record pairing, driver logins and power loss."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from controlroom.feed import messages as fm
from controlroom.models import Trip
from controlroom.models.enums import TripState
from controlroom.rules import decisions, trips
from controlroom.rules.streaks import run_around
from controlroom.services.ingest.batch import MAX_GAP, Fix, fix_ts, iso, utc
from controlroom.services.ingest.pairing import PairingRules
from controlroom.services.ingest.trip_updates import active_at, set_state


class UnitHandlers(PairingRules):
    """Unit telemetry and unit events."""

    def telemetry(self, m: fm.UnitTelemetry) -> None:
        ts = utc(m.ts)
        trip = self._trip_for_unit(m.unit_id, ts, m.plate)
        row = {
            "unit_id": m.unit_id,
            "trip_id": trip.id if trip else None,
            "ts": ts,
            "received_at": self.received_at,
            "lat": m.lat,
            "lon": m.lon,
            "speed_kmh": m.speed_kmh,
            "heading_deg": m.heading_deg,
            "fix": m.fix,
            "power": m.power,
        }
        self.batch.track(m.unit_id, ts)  # load the stored neighbours before adding this one
        self.batch.pending_positions.append(row)
        fix = Fix(ts, m.lat, m.lon, m.speed_kmh, m.power, m.heading_deg)
        self.batch.add_fix(m.unit_id, fix)
        if m.driver_id is not None:
            self._driver(m.driver_id)
        if trip is None:
            return
        self._seen_unit(trip, ts)
        self.settle_unlock(trip, final=False)
        if trip.last_fix_at is None or ts >= trip.last_fix_at:
            trip.last_fix_at, trip.last_lat, trip.last_lon = ts, m.lat, m.lon
            if trip.state not in (TripState.COMPLETED, TripState.CANCELLED):
                self.batch.moved[trip.id] = (trip.id, m.lat, m.lon, m.heading_deg, ts)
        if not active_at(trip, ts) or m.fix == "none":
            return
        self._fix_rules(trip, fix)

    def _seen_unit(self, trip: Trip, ts: datetime) -> None:
        if trip.last_unit_at is None or ts > trip.last_unit_at:
            trip.last_unit_at = ts

    def _fix_rules(self, trip: Trip, fix: Fix) -> None:
        assert trip.unit_id is not None
        if trip.state is TripState.SEALED and not self.ref.inside(trip.origin, fix.lat, fix.lon):
            set_state(self.batch, trip, trips.after_exit(trip.state))
        if self.ref.inside(trip.destination, fix.lat, fix.lon):
            self._arrive(trip, fix.ts)
        track = self.batch.track(trip.unit_id, fix.ts)
        index = track.index(fix)
        run = run_around(
            track, index, lambda f: active_at(trip, f.ts) and decisions.unit_power_removed(f.power), fix_ts
        )
        if run is not None:
            self._episode(trip, "UNIT_POWER_REMOVED", run.start, run.end, run.start, {"source": "telemetry"})
        self._route_deviation(trip, track, index)
        self._abnormal_stop(trip, track, index)
        self._separation_near(trip, fix.ts)

    def _in_window(self, trip: Trip, fix: Fix) -> bool:
        return active_at(trip, fix.ts) and (trip.arrived_at is None or fix.ts < trip.arrived_at)

    def _route_deviation(self, trip: Trip, track: list[Fix], index: int) -> None:
        route = self.ref.routes.get(trip.route_id) if trip.route_id else None
        if route is None:
            return

        def off(f: Fix) -> bool:
            return (
                self._in_window(trip, f)
                and not route.in_corridor(f.lat, f.lon)
                and not self.ref.in_station(f.lat, f.lon)
            )

        run = run_around(track, index, off, fix_ts, MAX_GAP)
        if run is None or not decisions.route_deviation(len(run), self.th.route_deviation_fixes):
            return
        at = run.items[self.th.route_deviation_fixes].ts
        detail = {
            "fixes_off_route": len(run),
            "max_distance_m": round(max(route.distance_m(f.lat, f.lon) for f in run.items)),
            "route_id": route.route_id,
        }
        self._episode(
            trip, "ROUTE_DEVIATION", run.start, run.end, at, detail, thresholds=("route_deviation_fixes",)
        )

    def _abnormal_stop(self, trip: Trip, track: list[Fix], index: int) -> None:
        def stopped(f: Fix) -> bool:
            return (
                self._in_window(trip, f)
                and f.speed_kmh < self.th.abnormal_stop_speed_kmh
                and not self.ref.in_station(f.lat, f.lon)
            )

        run = run_around(track, index, stopped, fix_ts, MAX_GAP)
        if run is None or not decisions.abnormal_stop(run.end - run.start, self.th.abnormal_stop):
            return
        at = next(f.ts for f in run.items if f.ts - run.start >= self.th.abnormal_stop)
        detail = {"stopped_since": iso(run.start), "lat": run.items[0].lat, "lon": run.items[0].lon}
        self._episode(
            trip,
            "ABNORMAL_STOP",
            run.start,
            run.end,
            at,
            detail,
            thresholds=("abnormal_stop_speed_kmh", "abnormal_stop_minutes"),
        )

    def unit_event(self, m: fm.UnitEvent) -> None:
        ts = utc(m.ts)
        detail: dict[str, Any] = {}
        if m.event == "driver_login":
            detail["driver"] = self._driver(m.driver_id)
        if m.seal_id is not None:
            detail["seal_id"] = m.seal_id
        trip: Trip | None = None
        if m.event == "seal_paired" and m.seal_id is not None:
            trip = self._trip_for_seal(m.seal_id, ts)
            if trip is not None:
                trip.unit_id = m.unit_id
        if trip is None:
            trip = self._trip_for_unit(m.unit_id, ts, None)
        self._store_device_event("unit", m.unit_id, trip, m.seq, ts, m.event, detail)
        if trip is None:
            return
        self._seen_unit(trip, ts)
        if m.event == "power_removed" and active_at(trip, ts):
            self._event_episode(trip, "UNIT_POWER_REMOVED", ts, {"source": "event"})
