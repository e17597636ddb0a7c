"""The demo's embedded feed: trucks and alerts at once, and a live alert from the fleet within 60 s."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from controlroom.demo import DemoFeed, DemoOptions
from controlroom.models import Alert, Trip
from controlroom.models.enums import TripState
from controlroom.services.ingest import AlertRaised, IngestEvent
from controlroom.services.local_broker import LocalBroker
from controlroom.storage.database import Database, open_database
from tests.support.mosquitto import broker_fixture


@pytest.fixture
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalBroker]:
    yield from broker_fixture(tmp_path_factory)


@pytest.fixture
def demo_db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(f"sqlite:///{tmp_path}/demo.db")
    yield database
    database.dispose()


def test_demo_shows_history_at_once_and_a_live_alert_within_a_minute(
    demo_db: Database, broker: LocalBroker
) -> None:
    live_alert = threading.Event()
    raised: list[AlertRaised] = []

    def on_event(event: IngestEvent) -> None:
        if isinstance(event, AlertRaised):
            raised.append(event)
            live_alert.set()

    feed = DemoFeed(demo_db, DemoOptions(broker_url=broker.url), on_event=on_event)
    started = time.monotonic()
    try:
        feed.start()
        with demo_db.transaction() as session:
            moving = session.scalar(
                select(func.count()).select_from(Trip).where(Trip.state == TripState.IN_TRANSIT)
            )
            assert (moving or 0) >= 5, "the replayed history should leave trucks on the road"
        assert live_alert.wait(60 - (time.monotonic() - started)), "no live alert within 60 s of start"
        snapshot = feed.health_snapshot()
        assert snapshot is not None and snapshot.connected and snapshot.messages_total > 0
        with demo_db.transaction() as session:
            stored = session.get(Alert, raised[0].alert_id)
            assert stored is not None and stored.code == raised[0].code
    finally:
        feed.stop()
