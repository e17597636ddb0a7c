"""The Qt-free inbox: the evented list, filters, sorting, counts, flood grouping and the database reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from controlroom.domain.roles import Role
from controlroom.domain.signoff import Evidence
from controlroom.models.enums import AlertStatus, SignOffDecision
from controlroom.rules.clock import ManualClock
from controlroom.services.cases import Actor, CaseService
from controlroom.services.inbox import (
    AlertList,
    AlertListEvent,
    Assignment,
    HistoryQuery,
    InboxFilter,
    InboxService,
    SortKey,
    filter_rows,
    flood_active,
    flood_groups,
    sort_rows,
    state_counts,
)
from controlroom.storage.database import Database
from tests.inbox.support import add_alert, row
from tests.support.factories import PASSWORD, make_user

T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
OFFICER = Actor("duty1", Role.DUTY_OFFICER)


def test_alert_list_keeps_newest_first_and_tells_listeners_before_and_after() -> None:
    alerts = AlertList([row(1, raised_at=T0), row(2, raised_at=T0 + timedelta(minutes=1))])
    events: list[tuple[AlertListEvent, int, int, int]] = []
    alerts.subscribe(lambda event, first, last: events.append((event, first, last, len(alerts))))
    assert [r.id for r in alerts] == [2, 1]

    assert alerts.add_or_update([row(3, raised_at=T0 + timedelta(minutes=5))]) == [3]
    assert [r.id for r in alerts] == [3, 2, 1]
    assert events == [(AlertListEvent.INSERTING, 0, 0, 2), (AlertListEvent.INSERTED, 0, 0, 3)]

    events.clear()  # a late, out-of-order alert lands where its original time puts it
    alerts.add_or_update([row(4, raised_at=T0 + timedelta(seconds=30))])
    assert [r.id for r in alerts] == [3, 2, 4, 1]
    assert events[0][:3] == (AlertListEvent.INSERTING, 2, 2)

    events.clear()
    alerts.add_or_update([row(2, raised_at=T0 + timedelta(minutes=1), occurrences=5)])
    assert events == [(AlertListEvent.CHANGED, 1, 1, 4)]
    assert alerts.get(2) is not None and alerts.get(2).occurrences == 5  # type: ignore[union-attr]
    assert alerts.add_or_update([row(2, raised_at=T0 + timedelta(minutes=1), occurrences=5)]) == []
    assert len(events) == 1  # an unchanged row says nothing

    events.clear()
    assert alerts.remove(3)
    assert not alerts.remove(3)
    assert [r.id for r in alerts] == [2, 4, 1]
    assert alerts.index_of(1) == 2
    assert [e[0] for e in events] == [AlertListEvent.REMOVING, AlertListEvent.REMOVED]


def test_filters_search_sort_and_counts() -> None:
    rows = [
        row(1, "SEAL_BROKEN", T0, plate="KLA1234", assignee="duty1"),
        row(
            2,
            "S7",
            T0 + timedelta(minutes=1),
            origin="KLC101",
            destination="KLY201",
            origin_house="keelung",
            destination_house="keelung",
            status=AlertStatus.SHELVED,
        ),
        row(3, "SEAL_LOW_BATTERY", T0 + timedelta(minutes=2), container_no="CSQU3054383"),
        row(4, "S8", T0 + timedelta(minutes=3), status=AlertStatus.CLOSED, assignee="duty2"),
    ]
    ids = lambda query: [r.id for r in filter_rows(rows, query)]  # noqa: E731
    assert ids(InboxFilter()) == [1, 2, 3, 4]
    assert ids(InboxFilter(states=frozenset({AlertStatus.SHELVED}))) == [2]
    assert ids(InboxFilter(codes=frozenset({"S7", "S8"}))) == [2, 4]
    assert ids(InboxFilter(family="passive")) == [2, 4]
    assert ids(InboxFilter(customs_house="keelung")) == [2]
    assert ids(InboxFilter(station="KHC102")) == [1, 3, 4]
    assert ids(InboxFilter(assignment=Assignment.MINE, username="duty1")) == [1]
    assert ids(InboxFilter(assignment=Assignment.UNASSIGNED)) == [2, 3]
    assert ids(InboxFilter(text="kla-1234")) == [1]  # officers type plates with the dash
    assert ids(InboxFilter(text="3054383")) == [3]
    assert ids(InboxFilter(text="CN00000002")) == [2]
    assert ids(InboxFilter(text="VS000004", states=frozenset({AlertStatus.CLOSED}))) == [4]

    assert [r.id for r in sort_rows(rows, SortKey.SEVERITY)] == [2, 1, 4, 3]  # high, newest first
    assert [r.id for r in sort_rows(rows, SortKey.RAISED, descending=True)] == [4, 3, 2, 1]
    assert [r.id for r in sort_rows(rows, SortKey.ASSIGNEE)] == [2, 3, 1, 4]
    counts = state_counts(rows)
    assert counts[AlertStatus.UNACKNOWLEDGED] == 2 and counts[AlertStatus.SHELVED] == 1
    assert counts[AlertStatus.CLOSED] == 1 and counts[AlertStatus.IN_HANDLING] == 0


def test_a_flood_of_twelve_alerts_from_two_causes_shows_two_groups() -> None:
    """A vehicle unit loses power (its seal's and vehicle's loss of contact follow), and a gate
    reader fails so every truck through it raises the same alert."""
    at = lambda minute: T0 + timedelta(minutes=minute)  # noqa: E731
    rows = [row(100, "UNIT_POWER_REMOVED", at(0))]
    rows += [
        row(100 + i, "SEAL_LOST" if i % 2 else "VEHICLE_LOST", at(i * 0.5), caused_by=100)
        for i in range(1, 6)
    ]
    rows += [
        row(
            200 + i, "S2", at(3 + i), origin="KLC101", destination=f"KLY20{i % 2 + 1}", origin_house="keelung"
        )
        for i in range(6)
    ]
    assert len(rows) == 12
    assert flood_active(rows, at(9.5))
    assert not flood_active(rows[:10], at(9.5))
    assert not flood_active(rows, at(30))  # the window has moved on

    groups = flood_groups(rows)
    assert [(g.kind, g.count) for g in groups] == [("cause", 6), ("code_station", 6)]
    assert groups[0].head.id == 100 and groups[0].severity == "high"
    assert groups[1].head.code == "S2" and groups[1].head.station == "KLC101"
    assert groups[0].unacknowledged == 6


def test_flood_grouping_follows_cause_chains_and_falls_back_to_origin() -> None:
    rows = [
        row(1, "UNIT_POWER_REMOVED", T0),
        row(2, "VEHICLE_LOST", T0, caused_by=1),
        row(3, "SEAL_LOST", T0, caused_by=2),  # a chain: 3 → 2 → 1
        row(4, "SEAL_LOST", T0, caused_by=99),  # its cause is not in view: its own group
        row(5, "SEAL_LOST", T0, caused_by=99),
        row(6, "ROUTE_DEVIATION", T0, origin="TPC101"),
        row(7, "ABNORMAL_STOP", T0, origin="TPC101"),
        row(8, "S8", T0, origin="TCC101", destination="TCB201"),
    ]
    groups = {g.key: g for g in flood_groups(rows)}
    assert sorted(groups) == ["cause:1", "cause:99", "origin:TPC101", "single:8"]
    assert [r.id for r in groups["cause:1"].members] == [3, 2, 1]
    assert groups["cause:99"].count == 2
    assert groups["origin:TPC101"].codes == ("ABNORMAL_STOP", "ROUTE_DEVIATION")


@pytest.mark.parametrize("database", ["sqlite", "postgresql"], indirect=True)
def test_loading_open_and_recently_closed_and_history_search(database: Database) -> None:
    clock = ManualClock(T0 + timedelta(days=3))
    make_user(database, "duty1", Role.DUTY_OFFICER)
    make_user(database, "chief1", Role.SECTION_CHIEF)
    inbox, cases = InboxService(database, clock), CaseService(database, clock)
    old_closed = add_alert(database, "SEAL_LOST", T0, n=1)
    recent_closed = add_alert(database, "SEAL_LOST", T0 + timedelta(days=2, hours=12), n=2)
    for alert_id in (old_closed, recent_closed):
        case_id = cases.open_case(alert_id, OFFICER)
        cases.record_outcome(case_id, OFFICER, "assess", "clear")
        cases.set_evidence(case_id, OFFICER, Evidence(system_images=True))
        cases.request_signoff(case_id, OFFICER)
        cases.sign(case_id, "chief1", PASSWORD, SignOffDecision.APPROVED)
        cases.close(case_id, OFFICER)
    open_ids = [
        add_alert(database, "S7", T0 + timedelta(hours=i), n=10 + i, origin="KLC101", destination="KLY201")
        for i in range(5)
    ]
    loaded = inbox.load_open()
    assert sorted(r.id for r in loaded) == sorted([recent_closed, *open_ids])
    first = next(r for r in loaded if r.id == open_ids[0])
    assert (first.origin_house, first.destination_house, first.name_zh) == (
        "keelung",
        "keelung",
        "逾時未進站",
    )

    page = inbox.history(HistoryQuery(limit=2))
    assert page.total == 7 and [r.id for r in page.rows] == [recent_closed, open_ids[4]]
    page = inbox.history(HistoryQuery(limit=2, offset=6))
    assert [r.id for r in page.rows] == [old_closed]
    house = inbox.history(HistoryQuery(filter=InboxFilter(customs_house="kaohsiung")))
    assert sorted(r.id for r in house.rows) == [old_closed, recent_closed]
    closed = inbox.history(
        HistoryQuery(
            filter=InboxFilter(states=frozenset({AlertStatus.CLOSED})), sort=SortKey.RAISED, descending=False
        )
    )
    assert [r.id for r in closed.rows] == [old_closed, recent_closed]
    by_plate = inbox.history(HistoryQuery(filter=InboxFilter(text="kl-00012")))
    assert [r.id for r in by_plate.rows] == [open_ids[2]] and by_plate.total == 1
    mine = inbox.history(HistoryQuery(filter=InboxFilter(assignment=Assignment.MINE, username="duty1")))
    assert mine.total == 2
    window = inbox.history(
        HistoryQuery(since=T0 + timedelta(hours=1), until=T0 + timedelta(hours=3), count_total=False)
    )
    assert [r.id for r in window.rows] == [open_ids[2], open_ids[1]] and window.total is None
    assert [r.id for r in inbox.rows([open_ids[0], 999_999])] == [open_ids[0]]
