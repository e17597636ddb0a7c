"""The real entry point, in its own process: sign in through the dialog, get the composed window, quit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from controlroom.domain.roles import Role
from controlroom.services.local_broker import LocalBroker
from controlroom.storage.database import open_database
from tests.support.factories import PASSWORD, make_user
from tests.support.mosquitto import broker_fixture

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def db_with_users(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path}/app.db"
    database = open_database(url)
    make_user(database, "admin", Role.ADMINISTRATOR)  # else the first run asks for the administrator
    make_user(database, "duty1", Role.DUTY_OFFICER)
    database.dispose()
    return url


@pytest.fixture
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalBroker]:
    yield from broker_fixture(tmp_path_factory)


def _drive(tmp_path: Path, *args: str) -> dict[str, str]:
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"), "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-m", "tests.app.gui_driver", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    seen: dict[str, str] = json.loads(result.stdout.strip().splitlines()[-1])
    return seen


def test_sign_in_opens_the_window_as_a_client_of_the_shared_database(
    tmp_path: Path, db_with_users: str
) -> None:
    seen = _drive(tmp_path, db_with_users, "admin", PASSWORD)
    assert seen == {
        "windows": "1",
        "title": "聯合管理中心 — 貨櫃全程監控",
        "user": "使用者：admin（系統管理員）",
        "feed": "▲ 資料來源異常：未收到中央接收服務的新資料",  # nothing ingests in this test
        "code": "0",
    }


def test_with_a_broker_the_workstation_runs_its_own_ingest(
    tmp_path: Path, db_with_users: str, broker: LocalBroker
) -> None:
    seen = _drive(tmp_path, db_with_users, "duty1", PASSWORD, broker.url)
    assert (seen["windows"], seen["user"], seen["feed"], seen["code"]) == (
        "1",
        "使用者：duty1（值勤關員）",
        "● 資料來源已連線",
        "0",
    )
