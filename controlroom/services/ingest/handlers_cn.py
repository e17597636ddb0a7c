"""Handlers for the customs yard's messages: CN notes (new, replace, cancel, each kept as a revision)
and the sealing confirmation that starts a vehicle-sealed trip."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from controlroom.feed import messages as fm
from controlroom.models import CNNote, CNRevision, Trip
from controlroom.models.enums import CNAction, CNStatus, SealType, TripState
from controlroom.rules import trips
from controlroom.services.ingest.batch import iso, utc
from controlroom.services.ingest.events import TripChanged
from controlroom.services.ingest.message_handler import MessageHandler, Refused
from controlroom.services.ingest.trip_updates import set_state, start_trip

logger = logging.getLogger(__name__)


class CNHandlers(MessageHandler):
    """CN notes and sealing."""

    def cn_note(self, m: fm.CNNote) -> None:
        """New, replace or cancel. A ``new`` for a CN already held is handled as a replace, a replace of
        a CN never received as a new (the yard's first message was lost), a cancel of an unknown CN is
        dead-lettered. Every change is kept as a revision; refused ones with the reason."""
        note = self.session.get(CNNote, m.cn_no)
        if note is None:
            if m.action == "cancel":
                raise Refused("unknown_cn", "cancel of a CN that was never received")
            self._new_cn(m)
            return
        refusal = trips.cn_change_refusal(
            "replace" if m.action == "new" else m.action,
            note.vehicle_seal_confirmed,
            note.status is CNStatus.CANCELLED,
        )
        trip = self._trip_for_cn(m.cn_no)
        note.revision += 1
        fields = self._cn_fields(m)
        self.session.add(
            CNRevision(
                cn_no=m.cn_no,
                revision=note.revision,
                action=CNAction(m.action),
                ts=m.ts,
                received_at=self.received_at,
                accepted=refusal is None,
                refusal=refusal,
                fields=fields,
            )
        )
        if refusal is not None:
            logger.info("CN %s: %s refused: %s", m.cn_no, m.action, refusal)
            return
        if m.action == "cancel":
            note.status = CNStatus.CANCELLED
            if trip is not None:
                set_state(self.batch, trip, trips.after_cancel(trip.state))
            return
        self._apply_cn(note, m)
        if trip is not None and trip.state is not TripState.COMPLETED:
            self._apply_trip(trip, note)

    def _cn_fields(self, m: fm.CNNote) -> dict[str, Any]:
        raw = m.model_dump(mode="python", exclude_none=True, exclude={"driver_id"})
        data = {k: iso(v) if isinstance(v, datetime) else v for k, v in raw.items()}
        data["driver_id_present"] = m.driver_id is not None
        return data

    def _check_route(self, route_id: str | None) -> None:
        if route_id is not None and route_id not in self.ref.routes:
            raise Refused("unknown_route", "route_id: not a known designated route")

    def _new_cn(self, m: fm.CNNote) -> None:
        self._check_route(m.route_id)
        assert m.container_no and m.plate and m.origin and m.destination and m.seal_type and m.seal_no
        assert m.tool_type is not None
        note = CNNote(cn_no=m.cn_no, revision=1, status=CNStatus.ACTIVE)
        self._apply_cn(note, m)
        self.session.add(note)
        self.session.flush()
        self.session.add(
            CNRevision(
                cn_no=m.cn_no,
                revision=1,
                action=CNAction(m.action),
                ts=m.ts,
                received_at=self.received_at,
                accepted=True,
                fields=self._cn_fields(m),
            )
        )
        trip = Trip(cn_no=m.cn_no, state=TripState.PLANNED, rule_state={})
        self._apply_trip(trip, note)
        self.session.add(trip)
        self.session.flush()
        self.batch.events.append(TripChanged(trip.id, trip.cn_no, trip.state.value))

    def _apply_cn(self, note: CNNote, m: fm.CNNote) -> None:
        self._check_route(m.route_id)
        assert m.container_no and m.plate and m.origin and m.destination and m.seal_type and m.seal_no
        assert m.tool_type is not None
        note.container_no = m.container_no
        note.plate = m.plate
        note.driver_id = self._driver(m.driver_id)
        note.origin = m.origin
        note.destination = m.destination
        note.seal_type = SealType(m.seal_type)
        note.seal_no = m.seal_no
        note.tool_type = m.tool_type
        note.deadline = m.deadline
        note.route_id = m.route_id

    def _apply_trip(self, trip: Trip, note: CNNote) -> None:
        trip.family = trips.family_of(note.seal_type)
        trip.container_no = note.container_no
        trip.plate = note.plate
        trip.seal_no = note.seal_no
        trip.origin = note.origin
        trip.destination = note.destination
        trip.route_id = note.route_id
        minutes = self.ref.route_minutes.get(note.route_id) if note.route_id else None
        trip.deadline = trips.deadline_for(note.deadline, trip.active_from, minutes)

    def sealing(self, m: fm.Sealing) -> None:
        note = self.session.get(CNNote, m.cn_no)
        trip = self._trip_for_cn(m.cn_no)
        if note is None or trip is None:
            raise Refused("unknown_cn", "sealing of a CN that was never received")
        if note.status is CNStatus.CANCELLED:
            raise Refused("cn_cancelled", "sealing of a cancelled CN")
        ts = utc(m.ts)
        trip.sealed_at = ts if trip.sealed_at is None else min(trip.sealed_at, ts)
        trip.sealing_photo_id = m.photo_id
        if note.seal_type is SealType.VEHICLE:
            note.vehicle_seal_confirmed = True
            start_trip(self.batch, trip, ts)
            set_state(self.batch, trip, trips.after_sealing(trip.state))
