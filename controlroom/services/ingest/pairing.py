"""Rules that pair a vehicle seal with its unit: where the seal was when it unlocked (and so whether
the unlock ended the trip or broke the seal), and SEAL_SEPARATED when the seal's fixes drift away from
the unit's track.

Both the unit's and the seal's messages lead here, in whatever order the devices deliver them, and the
clock rules settle an unlock that waited too long for a fix.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import Row, func, select

from controlroom.models import SealStatusReport, Trip
from controlroom.rules import decisions, trips
from controlroom.rules.geometry import haversine_m
from controlroom.rules.streaks import run_around
from controlroom.services.ingest.batch import MAX_GAP, TRACK_WINDOW, Fix, iso, row_ts
from controlroom.services.ingest.message_handler import MessageHandler
from controlroom.services.ingest.trip_updates import active_at, set_rule_state, set_state

# A seal fix is compared with the unit fix nearest in time, if one is this close.
PAIRING_WINDOW = timedelta(seconds=120)
_EXACT_FIX = timedelta(seconds=15)
# An unlock is placed by a fix this close in time; without one the decision waits (at most PAIRING_WINDOW).
_UNLOCK_PRECISION = timedelta(seconds=30)


class PairingRules(MessageHandler):
    """Unlock settlement and seal separation."""

    def _separation_near(self, trip: Trip, ts: datetime) -> None:
        """SEAL_SEPARATED over the seal reports with a fix around ``ts``, in ts order.

        Each seal fix is compared with the unit's position at the report's ``ts`` (see
        :func:`_unit_position`); reports without a seal fix, or while the unit's track is too sparse to
        tell where it was, cannot be judged and are left out of the sequence. Re-run when a unit
        fix arrives too, so the delivery order does not matter.
        """
        if trip.unit_id is None:
            return
        self.session.flush()
        nearby = self.session.scalar(
            select(func.count(SealStatusReport.id)).where(
                SealStatusReport.seal_no == trip.seal_no,
                SealStatusReport.lat.is_not(None),
                SealStatusReport.ts.between(ts - PAIRING_WINDOW, ts + PAIRING_WINDOW),
            )
        )
        if not nearby:
            return
        reports = self._seal_fixes(trip, ts - TRACK_WINDOW, ts + TRACK_WINDOW)
        track = self.batch.track(trip.unit_id, ts)
        judged: list[tuple[datetime, float]] = []
        for r_ts, lat, lon in reports:
            if lat is None or lon is None or not active_at(trip, r_ts):
                continue
            unit_at = _unit_position(track, r_ts)
            if unit_at is None:
                continue
            judged.append((r_ts, haversine_m(lat, lon, *unit_at)))
        limit = self.th.seal_separation_m
        needed = self.th.seal_separation_reports
        for i, (r_ts, _distance) in enumerate(judged):
            if abs(r_ts - ts) > PAIRING_WINDOW:
                continue
            run = run_around(judged, i, lambda j: j[1] > limit, row_ts, MAX_GAP)
            if run is None or not decisions.seal_separated(len(run), needed):
                continue
            self._episode(
                trip,
                "SEAL_SEPARATED",
                run.start,
                run.end,
                run.items[needed - 1][0],
                {"distances_m": [round(d) for _t, d in run.items]},
                thresholds=("seal_separation_m", "seal_separation_reports"),
            )

    def _unlocked(self, trip: Trip, ts: datetime, method: str) -> None:
        """The seal unlocked: inside the destination's geofence the trip is over, elsewhere the seal is
        broken. Where it was is judged from a unit or seal fix within 30 s of the unlock; devices
        deliver late and out of order, so when no such fix is known yet the decision waits for one,
        at most two minutes of the clock (then the best position known decides, see `Ingestor.tick`)."""
        if (trip.rule_state or {}).get("pending_unlock"):
            self.settle_unlock(trip, final=True)  # an earlier unlock still undecided
        set_rule_state(trip, "pending_unlock", {"ts": iso(ts), "method": method})
        self.settle_unlock(trip, final=False)

    def settle_unlock(self, trip: Trip, *, final: bool) -> None:
        pending = (trip.rule_state or {}).get("pending_unlock")
        if not pending:
            return
        ts = datetime.fromisoformat(pending["ts"])
        method: str = pending["method"]
        where = self._position_at(trip, ts, _UNLOCK_PRECISION)
        if where is None and not final:
            return
        if where is None:
            where = self._position_at(trip, ts, PAIRING_WINDOW)
        if where is None and trip.last_lat is not None and trip.last_lon is not None:
            where = (trip.last_lat, trip.last_lon)
        set_rule_state(trip, "pending_unlock", None)
        inside = where is not None and self.ref.inside(trip.destination, *where)
        if decisions.unlock_breaks_seal(inside):
            position = list(where) if where else None
            self._event_episode(
                trip, "SEAL_BROKEN", ts, {"event": "unlocked", "method": method, "position": position}
            )
            return
        self._arrive(trip, ts)
        trip.unsealed_at = ts
        trip.unseal_method = method
        trip.completed_at = ts
        set_state(self.batch, trip, trips.after_unseal(trip.state, inside))
        self.alerts.update_unsealed_normally(trip)

    def _position_at(self, trip: Trip, ts: datetime, within: timedelta) -> tuple[float, float] | None:
        """Where the seal was at ``ts``: the unit fix or the seal's own fix nearest in time, if one is
        ``within`` of it."""
        candidates: list[tuple[timedelta, float, float]] = []
        if trip.unit_id is not None:
            nearest = _nearest(self.batch.track(trip.unit_id, ts), ts, within)
            if nearest is not None:
                candidates.append((abs(nearest.ts - ts), nearest.lat, nearest.lon))
        self.session.flush()
        for r_ts, lat, lon in self._seal_fixes(trip, ts - within, ts + within):
            if lat is not None and lon is not None:
                candidates.append((abs(r_ts - ts), float(lat), float(lon)))
        if not candidates:
            return None
        _delta, lat, lon = min(candidates)
        return lat, lon

    def _seal_fixes(
        self, trip: Trip, lo: datetime, hi: datetime
    ) -> Sequence[Row[datetime, float | None, float | None]]:
        """The stored seal reports of ``trip`` with a fix, ``(ts, lat, lon)`` in ts order."""
        return self.session.execute(
            select(SealStatusReport.ts, SealStatusReport.lat, SealStatusReport.lon)
            .where(
                SealStatusReport.seal_no == trip.seal_no,
                SealStatusReport.lat.is_not(None),
                SealStatusReport.ts.between(lo, hi),
            )
            .order_by(SealStatusReport.ts)
        ).all()


def _unit_position(track: list[Fix], ts: datetime) -> tuple[float, float] | None:
    """The unit's position at ``ts``: a fix within 15 s, else interpolated between the fixes just before
    and just after, if both are within two minutes; None when the track is too sparse to tell."""
    exact = _nearest(track, ts, _EXACT_FIX)
    if exact is not None:
        return exact.lat, exact.lon
    before = next((f for f in reversed(track) if f.ts <= ts), None)
    after = next((f for f in track if f.ts >= ts), None)
    if before is None or after is None or after.ts - before.ts > 2 * PAIRING_WINDOW:
        return None
    if ts - before.ts > PAIRING_WINDOW or after.ts - ts > PAIRING_WINDOW:
        return None
    share = (ts - before.ts) / (after.ts - before.ts)
    return before.lat + (after.lat - before.lat) * share, before.lon + (after.lon - before.lon) * share


def _nearest(track: list[Fix], ts: datetime, within: timedelta = PAIRING_WINDOW) -> Fix | None:
    best: Fix | None = None
    for fix in track:
        if abs(fix.ts - ts) <= within and (best is None or abs(fix.ts - ts) < abs(best.ts - ts)):
            best = fix
    return best
