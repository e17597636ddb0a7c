"""Render the inbox under an alert flood and a case at its sign-off step, in Traditional Chinese.

The images go to a temporary directory; with ``CONTROLROOM_SCREENSHOTS=docs/screenshots`` they are
written there for the documentation (inbox_flood.png, case_signoff.png).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from controlroom.domain.roles import Role, SignOffLevel
from controlroom.domain.signoff import Evidence
from controlroom.rules.clock import ManualClock
from controlroom.services.cases import Actor, CaseService
from controlroom.services.inbox import InboxService
from controlroom.storage.database import Database
from controlroom.views.cases.panel import CasePanel
from controlroom.views.cases.signoff import SignOffQueue
from controlroom.views.i18n import Translations
from controlroom.views.inbox import InboxPanel
from controlroom.views.tasks import TaskRunner
from controlroom.views.theme import apply_theme
from tests.inbox.support import add_alert
from tests.support.factories import make_user

pytestmark = [pytest.mark.gui, pytest.mark.parametrize("database", ["sqlite"], indirect=True)]
T0 = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)  # 14:00 Taipei
OFFICER = Actor("duty1", Role.DUTY_OFFICER)
TRACK = [
    {"ts": f"2026-11-23T05:{10 + 4 * i:02d}:00Z", "lat": 22.612 - i * 0.004, "lon": 120.286 + i * 0.0035}
    for i in range(9)
]


@pytest.fixture
def styled(qapp: QApplication) -> Iterator[QApplication]:
    """The application theme and Chinese, restored afterwards so other tests see the defaults."""
    style, font, palette = qapp.style().name(), qapp.font(), qapp.palette()
    apply_theme(qapp)  # type: ignore[arg-type]
    translations = Translations(qapp)
    assert translations.switch("zh_TW")
    yield qapp
    translations.switch("en")
    qapp.setStyle(style)
    qapp.setFont(font)
    qapp.setPalette(palette)


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    target = os.environ.get("CONTROLROOM_SCREENSHOTS")
    path = Path(target) if target else tmp_path
    path.mkdir(parents=True, exist_ok=True)
    return path


def _stack(images: list[QImage], path: Path) -> QImage:
    width = max(i.width() for i in images)
    height = sum(i.height() for i in images) + 8 * (len(images) - 1)
    out = QImage(width, height, QImage.Format.Format_RGB32)
    out.fill(0x9AA0A6)
    painter = QPainter(out)
    y = 0
    for image in images:
        painter.drawImage(0, y, image)
        y += image.height() + 8
    painter.end()
    assert out.save(str(path))
    return out


def _flood(database: Database) -> None:
    at = lambda minutes: T0 + timedelta(minutes=minutes)  # noqa: E731
    truck = {"unit_id": "U0101", "origin": "KHC101", "destination": "KHY201", "plate": "KLA3021"}
    power = add_alert(database, "UNIT_POWER_REMOVED", at(1), n=101, container_no="TGHU3054383", **truck)
    for i, code in enumerate(["SEAL_LOST", "VEHICLE_LOST", "SEAL_SEPARATED", "SEAL_LOST", "VEHICLE_LOST"]):
        add_alert(database, code, at(1.5 + i), n=101, caused_by_id=power, container_no="TGHU3054383", **truck)
    for i in range(11):  # a reader at Keelung's west terminal is down: every exit goes unread
        add_alert(database, "S2", at(0.5 + i * 0.8), n=200 + i, origin="KLC101",
                  destination=("KLY201", "KLY202")[i % 2], plate=f"KLB{1100 + i}")  # fmt: skip
    for i in range(7):  # trucks late into one Taichung yard
        add_alert(database, "ARRIVAL_LATE", at(2 + i), n=300 + i, origin="TCC101", destination="TCY301")
    add_alert(database, "SEAL_BROKEN", at(7.5), n=400, origin="KHC102", destination="KHB301", plate="KLC8811")
    add_alert(
        database, "EXIT_UNSEALED", at(8.2), n=401, origin="TPC101", destination="TPY201", plate="RAB5566"
    )
    add_alert(database, "SEAL_LOW_BATTERY", at(-40), n=402, origin="KHC103", destination="KHC104")
    add_alert(database, "ROUTE_DEVIATION", at(5.5), n=403, origin="KLC102", destination="KLY202")
    add_alert(database, "S7", at(-120), n=404, origin="TPB301", destination="TPY201")
    add_alert(database, "S4", at(6.1), n=405, origin="TCB201", destination="TCC101")


def test_inbox_under_a_flood(
    qtbot: QtBot, database: Database, tasks: TaskRunner, styled: QApplication, out_dir: Path
) -> None:
    make_user(database, "duty1", Role.DUTY_OFFICER)
    _flood(database)
    clock = ManualClock(T0 + timedelta(minutes=9))
    panel = InboxPanel(
        tasks,
        InboxService(database, clock),
        CaseService(database, clock),
        OFFICER,
        wall_scale=1.25,
        sound=False,
    )
    qtbot.addWidget(panel)
    panel.resize(1900, 900)
    panel.show()
    panel.load()
    qtbot.waitUntil(lambda: panel.idle and panel.alerts.rows() != [])
    qtbot.waitUntil(lambda: not panel.flood_banner.isHidden())
    assert len(panel.alerts) == 30
    qtbot.wait(200)
    table = panel.grab().toImage()
    panel.group_toggle.click()
    panel.tree.expandItem(panel.tree.topLevelItem(0))
    panel.resize(1900, 620)
    qtbot.wait(200)
    grouped = panel.grab().toImage()
    assert panel.tree.topLevelItemCount() == 9  # 30 alerts: three shared causes and six single alerts
    _stack([table, grouped], out_dir / "inbox_flood.png")
    panel.shutdown()


def test_case_at_the_sign_off_step(
    qtbot: QtBot, database: Database, tasks: TaskRunner, styled: QApplication, out_dir: Path
) -> None:
    make_user(database, "duty1", Role.DUTY_OFFICER)
    clock = ManualClock(T0 + timedelta(minutes=50))
    cases = CaseService(database, clock)
    alert_id = add_alert(
        database, "OVERDUE_NOT_ARRIVED", T0, n=501, origin="KHC101", destination="KHY201", plate="KLA3021",
        facts={"track": TRACK, "unsealed_normally": True, "images_present": False,
               "seal_states": [{"ts": "2026-11-23T05:08:00Z", "state": "locked"},
                               {"ts": "2026-11-23T05:47:00Z", "state": "unlocked"}]},
    )  # fmt: skip
    case_id = cases.open_case(alert_id, OFFICER)
    cases.record_outcome(case_id, OFFICER, "assess", "not_clear", note="軌跡於中林路停留 18 分鐘")
    cases.add_note(case_id, OFFICER, "已致電高雄關監管關員協助檢查，駕駛稱因塞車延誤")
    cases.record_outcome(
        case_id, OFFICER, "destination_check", "exterior_ok",
        {"affidavit": "切結書 KH-2026-117（長榮海運、順安通運）",
         "inspection_result": "外觀及封條無異樣，未開櫃"},
    )  # fmt: skip
    cases.set_evidence(case_id, OFFICER, Evidence(cctv_captured=True))
    cases.request_signoff(case_id, OFFICER)

    host = QWidget()
    qtbot.addWidget(host)
    panel = CasePanel(tasks, cases, OFFICER, clock, wall_scale=1.15, parent=host)
    queue = SignOffQueue(tasks, cases, SignOffLevel.DIVISION_CHIEF, parent=host)
    host.resize(1900, 1200)
    panel.setGeometry(0, 0, 1900, 1000)
    queue.setGeometry(0, 1000, 1900, 200)
    host.show()
    panel.load(case_id)
    queue.reload()
    qtbot.waitUntil(lambda: panel.idle and queue.idle and panel.view is not None)
    queue.select_case(case_id)
    qtbot.wait(200)
    image = _stack([host.grab().toImage()], out_dir / "case_signoff.png")
    assert image.width() == 1900
    assert panel.case_state.text() == "待陳核"
    panel.shutdown()
