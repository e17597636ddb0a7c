"""The real main window on a replayed fleet: the offline map, moving markers, lock-on search, language."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from controlroom.app import Shell
from controlroom.services.ingest import PositionsMoved
from controlroom.services.replay import ReplayLine, apply_setup, replay
from controlroom.settings import Settings
from controlroom.simulator.scenario import SimulationConfig, generate, scenario_setup
from controlroom.simulator.world import load_world
from controlroom.storage.database import Database, open_database
from controlroom.views.i18n import Translations

pytestmark = pytest.mark.gui
TAIPEI = ZoneInfo("Asia/Taipei")


@pytest.fixture
def fleet_db(tmp_path: Path) -> Iterator[Database]:
    """Twenty minutes of a small simulated fleet, replayed up to now."""
    database = open_database(f"sqlite:///{tmp_path}/fleet.db")
    now = datetime.now(TAIPEI).replace(microsecond=0)
    world = load_world()
    config = SimulationConfig(
        trucks=6,
        seed=5,
        fault_rate=0.0,
        start=now - timedelta(minutes=20),
        max_route_minutes=60,
        stagger_s=120,
    )
    with database.transaction() as session:
        apply_setup(session, scenario_setup(world))
    messages = [m for m in generate(config, world) if m.at < now]
    replay(database, [ReplayLine(m.at, m.topic, m.payload_bytes()) for m in messages], until=now)
    yield database
    database.dispose()


@pytest.fixture
def shell(qtbot: QtBot, qapp: QApplication, fleet_db: Database, tmp_path: Path) -> Iterator[Shell]:
    qapp.setOrganizationName("controlroom-tests")
    translations = Translations(qapp)
    translations.switch("zh_TW")
    settings = Settings(db_url=str(fleet_db.engine.url))
    user = {"username": "duty1", "display_name": "陳值勤", "role": "duty_officer"}
    shell = Shell(qapp, settings, fleet_db, translations, user, demo=False)
    shell.start()
    with qtbot.waitSignal(shell.window.panels.map.loaded, timeout=30_000):
        pass
    yield shell
    shell.stop()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    translations.switch("en")


def _js(qtbot: QtBot, shell: Shell, script: str) -> Any:
    results: list[object] = []
    shell.window.panels.map.run_js(script, results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=5_000)
    assert isinstance(results[0], str)
    return json.loads(results[0])


def test_map_is_offline_and_trucks_appear_and_move(qtbot: QtBot, shell: Shell) -> None:
    window = shell.window
    assert window.panels.map.blocked_requests == []
    trucks = [t for t in shell.fleet.trucks() if t.lat is not None]
    assert len(trucks) >= 3
    window.repaint_fleet()
    qtbot.waitUntil(lambda: len(_js(qtbot, shell, "fleet.positions()")) == len(trucks), timeout=10_000)

    moved = trucks[0]
    assert moved.lat is not None and moved.lon is not None and moved.last_fix_at is not None
    target = [round(moved.lat + 0.002, 6), round(moved.lon + 0.002, 6)]
    window.on_events(
        [
            PositionsMoved(
                ((moved.trip_id, target[0], target[1], 45.0, moved.last_fix_at + timedelta(seconds=10)),)
            )
        ]
    )
    window.repaint_fleet()
    qtbot.waitUntil(
        lambda: _js(qtbot, shell, "fleet.positions()")[str(moved.trip_id)] == target, timeout=10_000
    )


@pytest.mark.parametrize("field", ["cn_no", "plate", "container_no"])
def test_lock_on_by_cn_plate_or_container(qtbot: QtBot, shell: Shell, field: str) -> None:
    window = shell.window
    window.repaint_fleet()
    truck = sorted((t for t in shell.fleet.trucks() if t.lat is not None), key=lambda t: t.trip_id)[-1]
    typed = {
        "cn_no": truck.cn_no,
        "plate": f"{truck.plate[:3]}-{truck.plate[3:]}".lower(),
        "container_no": truck.container_no,
    }[field]
    panel = window.panels.trips
    window.focus_search()
    qtbot.keyClicks(panel.search, typed)
    with qtbot.waitSignal(panel.trip_selected, timeout=5_000) as selected:
        qtbot.keyClick(panel.search, "\r")
    assert selected.args == [truck.trip_id]
    assert panel.proxy.rowCount() == 1
    assert window.panels.map.followed == truck.trip_id
    qtbot.waitUntil(lambda: panel.fields["cn_no"].text() == truck.cn_no, timeout=5_000)
    assert panel.fields["plate"].text() == truck.plate
    assert panel.fields["container_no"].text() == truck.container_no
    assert panel.slider.isEnabled()


def test_language_switch_changes_visible_labels(qtbot: QtBot, shell: Shell) -> None:
    assert shell.window.windowTitle() == "聯合管理中心 — 貨櫃全程監控"
    assert shell.window.docks["trips"].windowTitle() == "車輛動態"
    shell.switch_language("en")
    qtbot.waitUntil(lambda: shell.window.panels.map.is_ready, timeout=30_000)
    assert shell.window.windowTitle() == "Joint Management Center — Container Monitoring"
    assert shell.window.docks["trips"].windowTitle() == "Trips"
    assert shell.window.user_label.text().startswith("User: 陳值勤")


def test_status_bar_and_stations_in_chinese(qtbot: QtBot, shell: Shell) -> None:
    window = shell.window
    assert window.user_label.text() == "使用者：陳值勤（值勤關員）"
    qtbot.waitUntil(lambda: window.clock.text().startswith("臺北時間 "), timeout=3_000)
    assert window.feed_status.state.text() == "■ 資料來源：未啟動"  # no feed configured in this test
    model = window.stations.model()
    qtbot.waitUntil(lambda: model.rowCount() >= 16, timeout=5_000)
    houses = {model.index(r, 3).data() for r in range(model.rowCount())}
    assert houses == {"基隆關", "臺北關", "臺中關", "高雄關"}
    assert model.headerData(1, Qt.Orientation.Horizontal) == "站點名稱"
