"""Alert bookkeeping: one open alert per (code, trip), repeats are occurrences.

Raises an alert with the facts its playbook needs (observed and detected times, thresholds, a track
excerpt, images, ``unsealed_normally``), links it to the alert that caused it, moves an occurrence
earlier when late data shows it began earlier, and updates ``unsealed_normally`` when a trip ends.
Whether a rule fires is decided elsewhere (controlroom.rules.decisions); this only records it.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import select

from controlroom.domain.catalogue import alert_kind
from controlroom.models import Alert, AlertOccurrence, Trip
from controlroom.models.enums import AlertStatus, SealFamily, TripState
from controlroom.rules import trips
from controlroom.services.ingest.batch import Batch, iso, utc
from controlroom.services.ingest.events import AlertOccurred, AlertRaised

logger = logging.getLogger(__name__)

_TRACK_EXCERPT = 5


class AlertBook:
    """The alerts of one batch: raise, add occurrences, backdate, and the facts they carry."""

    def __init__(self, batch: Batch) -> None:
        self.batch = batch
        self.session = batch.session

    def open_alert(self, code: str, trip_id: int) -> Alert | None:
        return self.session.scalar(
            select(Alert)
            .where(Alert.trip_id == trip_id, Alert.code == code, Alert.status != AlertStatus.CLOSED)
            .order_by(Alert.id.desc())
            .limit(1)
        )

    def raise_(
        self,
        trip: Trip,
        code: str,
        at: datetime,
        detail: dict[str, Any] | None = None,
        *,
        thresholds: tuple[str, ...] = (),
        caused_by: int | None = None,
        extra_facts: dict[str, Any] | None = None,
    ) -> Alert:
        """Raise ``code`` for ``trip`` at ``at``, or add an occurrence to the open one."""
        at = utc(at)
        detail = detail or {}
        existing = self.open_alert(code, trip.id)
        if existing is not None:
            existing.occurrences += 1
            existing.last_occurrence_at = max(existing.last_occurrence_at, at)
            existing.raised_at = min(existing.raised_at, at)
            self.session.add(AlertOccurrence(alert_id=existing.id, at=at, detail=detail))
            self.session.flush()
            self.batch.stats.alerts += 1
            self.batch.events.append(AlertOccurred(existing.id, code, trip.id, existing.occurrences, at))
            return existing
        kind = alert_kind(code)
        facts = self._facts(trip, code, at, detail, thresholds)
        if extra_facts:
            facts.update(extra_facts)
        alert = Alert(
            code=code,
            family=kind.family.value,
            severity=kind.severity.value,
            side=kind.side.value,
            status=AlertStatus.UNACKNOWLEDGED,
            trip_id=trip.id,
            cn_no=trip.cn_no,
            container_no=trip.container_no,
            plate=trip.plate,
            seal_no=trip.seal_no,
            unit_id=trip.unit_id,
            origin=trip.origin,
            destination=trip.destination,
            raised_at=at,
            last_occurrence_at=at,
            occurrences=1,
            facts=facts,
            caused_by_id=caused_by,
        )
        self.session.add(alert)
        self.session.flush()
        self.session.add(AlertOccurrence(alert_id=alert.id, at=at, detail=detail))
        self.batch.stats.alerts += 1
        self.batch.events.append(AlertRaised(alert.id, code, trip.id, alert.severity, at))
        logger.info("alert %s raised for trip %s (CN %s)", code, trip.id, trip.cn_no)
        return alert

    def backdate(self, trip: Trip, code: str, start: datetime, end: datetime, at: datetime) -> None:
        """Late data shows that the occurrence in ``[start, end]`` began at ``at``: move it earlier."""
        alert = self.open_alert(code, trip.id)
        if alert is None:
            return
        occurrence = self.session.scalar(
            select(AlertOccurrence)
            .where(AlertOccurrence.alert_id == alert.id, AlertOccurrence.at.between(start, end))
            .order_by(AlertOccurrence.at)
            .limit(1)
        )
        at = utc(at)
        if occurrence is None or occurrence.at <= at:
            return
        occurrence.at = at
        if at < alert.raised_at:
            alert.raised_at = at
            alert.facts = {**alert.facts, "observed_at": iso(at)}

    def _facts(
        self, trip: Trip, code: str, at: datetime, detail: dict[str, Any], thresholds: tuple[str, ...]
    ) -> dict[str, Any]:
        kind = alert_kind(code)
        exit_image = trip.sealing_photo_id or trip.exit_photo_id
        return {
            "observed_at": iso(at),
            "detected_at": iso(self.batch.now),
            "handling_side": kind.side.value,
            "thresholds": self.batch.ref.thresholds.as_facts(*thresholds),
            "track": self._track_excerpt(trip, at),
            "unsealed_normally": unsealed_normally(trip),
            "exit_image": exit_image,
            "entry_image": trip.arrival_photo_id,
            "exit_image_present": exit_image is not None,
            "entry_image_present": trip.arrival_photo_id is not None,
            "deadline": iso(trip.deadline),
            "detail": detail,
        }

    def _track_excerpt(self, trip: Trip, at: datetime) -> list[dict[str, Any]]:
        if trip.unit_id is None:
            return []
        fixes = self.batch.track(trip.unit_id, at)
        if not fixes:
            return []
        index = min(range(len(fixes)), key=lambda i: abs((fixes[i].ts - at).total_seconds()))
        lo = max(0, index - _TRACK_EXCERPT // 2)
        return [
            {"ts": iso(f.ts), "lat": f.lat, "lon": f.lon, "speed_kmh": f.speed_kmh}
            for f in fixes[lo : lo + _TRACK_EXCERPT]
        ]

    def update_unsealed_normally(self, trip: Trip) -> None:
        """The trip has ended: tell every alert of it whether the seal unsealed normally (playbook A)."""
        value = unsealed_normally(trip)
        for alert in self.session.scalars(select(Alert).where(Alert.trip_id == trip.id)):
            if alert.facts.get("unsealed_normally") != value:
                entry = trip.arrival_photo_id
                alert.facts = {**alert.facts, "unsealed_normally": value, "entry_image": entry}


def unsealed_normally(trip: Trip) -> bool | None:
    """None while the trip runs; afterwards whether its seal unlocked normally inside the destination."""
    if trip.family is not SealFamily.VEHICLE or trip.state is not TripState.COMPLETED:
        return None
    return trip.unseal_method in trips.NORMAL_UNSEAL_METHODS
