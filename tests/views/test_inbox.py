"""The inbox panel with real widgets on a real database: live rows, filters, alarm actions, floods."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt, QTimer
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from controlroom.domain.roles import Role
from controlroom.models import Alert
from controlroom.models.enums import AlertStatus
from controlroom.rules.clock import ManualClock
from controlroom.services.cases import Actor, CaseService
from controlroom.services.inbox import AlertList, InboxService
from controlroom.storage.database import Database, open_database
from controlroom.views.inbox import InboxModel, InboxPanel
from controlroom.views.inbox.dialogs import AcknowledgeDialog, ShelveDialog
from controlroom.views.inbox.model import ROW_ROLE, Col
from controlroom.views.tasks import TaskRunner
from tests.inbox.support import add_alert, row
from tests.support.factories import make_user

pytestmark = pytest.mark.gui
T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # 09:00 in Taipei
OFFICER = Actor("duty1", Role.DUTY_OFFICER)
SQLITE = pytest.mark.parametrize("database", ["sqlite"], indirect=True)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0 + timedelta(minutes=20))


@pytest.fixture
def panel(qtbot: QtBot, database: Database, tasks: TaskRunner, clock: ManualClock) -> Iterator[InboxPanel]:
    make_user(database, "duty1", Role.DUTY_OFFICER)
    widget = InboxPanel(
        tasks, InboxService(database, clock), CaseService(database, clock), OFFICER, unshelve_every_ms=50
    )
    qtbot.addWidget(widget)
    widget.resize(1400, 700)
    yield widget
    widget.shutdown()


def _load(qtbot: QtBot, panel: InboxPanel) -> None:
    panel.load()
    qtbot.waitUntil(lambda: panel.idle)


def _ids(panel: InboxPanel) -> list[int]:
    return [panel.proxy.index(r, 0).data(ROW_ROLE).id for r in range(panel.proxy.rowCount())]


def _status(database: Database, alert_id: int) -> Alert:
    with database.transaction() as session:
        alert = session.scalar(select(Alert).where(Alert.id == alert_id))
        assert alert is not None
        return alert


def test_the_model_passes_the_qt_model_tester_through_live_changes(qtmodeltester: object) -> None:
    alerts = AlertList([row(i, raised_at=T0 + timedelta(minutes=i)) for i in range(1, 6)])
    model = InboxModel(alerts, lambda: T0 + timedelta(hours=1))
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    alerts.add_or_update([row(9, "SEAL_BROKEN", T0 + timedelta(minutes=30))])
    alerts.add_or_update([row(2, raised_at=T0 + timedelta(minutes=2), occurrences=4)])
    alerts.remove(3)
    model.set_flash(frozenset({9}), True)
    model.tick()
    alerts.replace_all([row(1, raised_at=T0)])
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.rowCount() == 1
    assert model.index(0, Col.COUNT).data() == "×1"


@SQLITE
def test_live_alerts_appear_at_the_top_with_filters_search_and_counts(
    qtbot: QtBot, database: Database, panel: InboxPanel
) -> None:
    first = add_alert(database, "SEAL_LOST", T0, n=1)
    second = add_alert(database, "S7", T0 + timedelta(minutes=1), n=2, origin="KLC101", destination="KLY201")
    _load(qtbot, panel)
    assert _ids(panel) == [second, first]
    assert panel.proxy.index(0, Col.TIME).data() == "09:01:00"  # Asia/Taipei, today
    panel.model.tick()
    assert panel.proxy.index(0, Col.ALERT).data() == "S7 逾時未進站"
    assert panel.proxy.index(0, Col.ROUTE).data() == "KLC101 → KLY201"
    assert panel.proxy.index(0, Col.AGE).data() == "19 min"

    newest = add_alert(database, "SEAL_BROKEN", T0 + timedelta(minutes=15), n=3, plate="KLA1234")
    panel.refresh_alerts([newest])  # what the lead wires to the ingest events
    qtbot.waitUntil(lambda: len(_ids(panel)) == 3)
    assert _ids(panel)[0] == newest
    qtbot.waitUntil(lambda: panel.count_labels[AlertStatus.UNACKNOWLEDGED].text() == "Unacknowledged 3")

    qtbot.keyClicks(panel.search, "kla-12")
    assert _ids(panel) == [newest]
    panel.search.clear()
    panel.house_filter.setCurrentIndex(panel.house_filter.findData("keelung"))
    assert _ids(panel) == [second]
    panel.house_filter.setCurrentIndex(0)
    panel.family_filter.setCurrentIndex(panel.family_filter.findData("vehicle"))
    assert _ids(panel) == [newest, first]
    panel.family_filter.setCurrentIndex(0)
    panel.code_filter.setCurrentIndex(panel.code_filter.findData("SEAL_LOST"))
    assert _ids(panel) == [first]
    panel.code_filter.setCurrentIndex(0)
    panel.station_filter.setCurrentIndex(panel.station_filter.findData("KLY201"))
    assert _ids(panel) == [second]
    panel.station_filter.setCurrentIndex(0)

    # occurrences fold into the row: the same alert again only moves its count
    panel.add_or_update([row(first, "SEAL_LOST", T0, occurrences=3, cn_no="CN202611200001")])
    assert len(_ids(panel)) == 3
    assert panel.proxy.index(2, Col.COUNT).data() == "×3"

    panel.table.sortByColumn(Col.SEVERITY, Qt.SortOrder.AscendingOrder)
    assert _ids(panel)[0] in (newest, second)  # high first


@SQLITE
def test_acknowledge_with_a_note_through_the_dialog_and_the_high_alarm_stops(
    qtbot: QtBot, database: Database, panel: InboxPanel
) -> None:
    _load(qtbot, panel)
    broken = add_alert(database, "SEAL_BROKEN", T0 + timedelta(minutes=10), n=7)
    panel.refresh_alerts([broken])
    qtbot.waitUntil(lambda: broken in panel.announcer.pending)
    assert panel.announcer.sound_count >= 1  # the beep fallback offscreen
    assert panel.silence_button.isEnabled()
    qtbot.waitUntil(
        lambda: panel.model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is not None, timeout=2000
    )
    panel.silence_button.click()
    assert panel.announcer.silenced and not panel.silence_button.isEnabled()
    assert broken in panel.announcer.pending  # silenced, still flashing until acknowledged

    assert panel.select_alert(broken)

    def fill() -> None:
        dialog = next(d for d in panel.findChildren(AcknowledgeDialog) if d.isVisible())
        dialog.note.setText("已致電高雄關監管關員")
        dialog.ok.click()

    QTimer.singleShot(0, fill)
    panel.ack_button.click()
    qtbot.waitUntil(lambda: panel.status.text() == "Acknowledged — saved.")
    alert = _status(database, broken)
    assert (alert.status, alert.acknowledged_by, alert.ack_note) == (
        AlertStatus.ACKNOWLEDGED,
        "duty1",
        "已致電高雄關監管關員",
    )
    assert panel.alerts.get(broken).status is AlertStatus.ACKNOWLEDGED  # type: ignore[union-attr]
    assert not panel.announcer.pending


@SQLITE
def test_shelved_alert_returns_unacknowledged_when_its_time_runs_out(
    qtbot: QtBot, database: Database, panel: InboxPanel, clock: ManualClock
) -> None:
    alert_id = add_alert(database, "GATE_NO_INSPECTION", T0, n=4)
    _load(qtbot, panel)
    assert alert_id in panel.announcer.pending  # unacknowledged high alerts announce from the start
    assert panel.select_alert(alert_id)

    def fill() -> None:
        dialog = next(d for d in panel.findChildren(ShelveDialog) if d.isVisible())
        assert not dialog.ok.isEnabled()  # a reason is required
        dialog.duration.setCurrentIndex(0)  # 15 minutes
        dialog.reason.setPlainText("門哨儀檢系統維修中，已電話確認")
        assert dialog.ok.isEnabled()
        dialog.ok.click()

    QTimer.singleShot(0, fill)
    panel.shelve_button.click()
    qtbot.waitUntil(lambda: panel.status.text() == "Shelved — saved.")
    assert _status(database, alert_id).status is AlertStatus.SHELVED
    assert panel.proxy.index(0, Col.STATE).data() == "Shelved until 09:35:00"
    assert not panel.announcer.pending

    clock.advance(timedelta(minutes=14))
    qtbot.wait(200)  # the unshelve timer runs and finds nothing due
    assert panel.alerts.get(alert_id).status is AlertStatus.SHELVED  # type: ignore[union-attr]
    clock.advance(timedelta(minutes=1))
    qtbot.waitUntil(lambda: panel.alerts.get(alert_id).status is AlertStatus.UNACKNOWLEDGED)  # type: ignore[union-attr]
    assert alert_id in panel.announcer.pending  # back, and announced again
    assert panel.proxy.index(0, Col.STATE).data() == "Unacknowledged"


@SQLITE
def test_a_flood_is_shown_grouped_by_cause(
    qtbot: QtBot, database: Database, panel: InboxPanel, clock: ManualClock
) -> None:
    power = add_alert(database, "UNIT_POWER_REMOVED", T0 + timedelta(minutes=11), n=1, unit_id="U0001")
    for i in range(5):
        add_alert(
            database,
            "SEAL_LOST" if i % 2 else "VEHICLE_LOST",
            T0 + timedelta(minutes=12 + i),
            n=1,
            caused_by_id=power,
        )
    for i in range(6):
        add_alert(
            database, "S2", T0 + timedelta(minutes=12 + i), n=20 + i, origin="KLC101", destination="KLY201"
        )
    _load(qtbot, panel)
    qtbot.waitUntil(lambda: panel.flood_banner.isVisible() or not panel.flood_banner.isHidden())
    assert "12 alerts in 10 minutes — 2 causes" in panel.flood_banner.text()
    panel.group_toggle.click()
    assert panel.stack.currentWidget() is panel.tree
    assert panel.tree.topLevelItemCount() == 2
    top = panel.tree.topLevelItem(0)
    assert top is not None and top.text(1) == "6" and top.text(0).startswith("Cause: UNIT_POWER_REMOVED")

    panel.tree.setCurrentItem(panel.tree.topLevelItem(1))  # acknowledge the whole S2 group at once
    assert len(panel.selected_ids()) == 6
    panel.acknowledge(panel.selected_ids(), "站方讀取器故障")
    qtbot.waitUntil(lambda: panel.idle and panel.status.text() == "Acknowledged — saved.")
    assert sum(r.status is AlertStatus.ACKNOWLEDGED for r in panel.alerts) == 6
    panel.group_toggle.click()
    assert panel.stack.currentWidget() is panel.table


@SQLITE
def test_an_alert_changed_on_another_workstation_is_reported_and_reloaded(
    qtbot: QtBot, database: Database, panel: InboxPanel, clock: ManualClock
) -> None:
    alert_id = add_alert(database, "SEAL_LOST", T0, n=5)
    _load(qtbot, panel)
    url = database.engine.url.render_as_string(hide_password=False)
    other = open_database(url, upgrade=False, seed=False)
    try:
        CaseService(other, clock).acknowledge(alert_id, Actor("duty2", Role.DUTY_OFFICER), "我先處理")
    finally:
        other.dispose()
    panel.acknowledge([alert_id], "")
    qtbot.waitUntil(lambda: panel.status.text() == "Changed on another workstation — reloaded.")
    qtbot.waitUntil(lambda: panel.alerts.get(alert_id).status is AlertStatus.ACKNOWLEDGED)  # type: ignore[union-attr]


def test_wall_mode_scales_the_type(qtbot: QtBot, tasks: TaskRunner, tmp_path: object) -> None:
    db = open_database(f"sqlite:///{tmp_path}/wall.db")
    try:
        clock = ManualClock(T0)
        normal = InboxPanel(tasks, InboxService(db, clock), CaseService(db, clock), OFFICER, sound=False)
        wall = InboxPanel(tasks, InboxService(db, clock), CaseService(db, clock), OFFICER, wall_scale=2.0)
        for widget in (normal, wall):
            qtbot.addWidget(widget)
        assert wall.font().pointSizeF() == pytest.approx(normal.font().pointSizeF() * 2)
        assert (
            wall.table.verticalHeader().defaultSectionSize()
            > normal.table.verticalHeader().defaultSectionSize()
        )
        for widget in (normal, wall):
            widget.shutdown()
    finally:
        db.dispose()
