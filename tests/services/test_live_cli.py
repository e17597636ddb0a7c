"""`controlroom ingest` as a process: runs headless until SIGTERM, then reports what it ingested."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from controlroom.services.local_broker import LocalBroker
from tests.support.mosquitto import broker_fixture, publish


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalBroker]:
    yield from broker_fixture(tmp_path_factory)


def test_ingest_command_runs_until_sigterm(broker: LocalBroker, tmp_path: Path) -> None:
    command = [sys.executable, "-m", "controlroom", "ingest", "--broker", broker.url]
    command += [
        "--db",
        f"sqlite:///{tmp_path / 'x.db'}",
        "--client-id",
        "t-cli-ingest",
        "--status-every",
        "0.2",
    ]
    env = os.environ | {"PYTHONWARNINGS": "error"}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    lines: queue.Queue[str] = queue.Queue()
    assert process.stderr is not None
    reader = threading.Thread(target=lambda: [lines.put(line) for line in process.stderr], daemon=True)  # type: ignore[union-attr]
    reader.start()
    try:
        seen: list[str] = []
        while not any(line.startswith("feed ok") for line in seen):
            seen.append(lines.get(timeout=30))
        payload = {"cn_no": "CN1", "action": "cancel", "ts": "2026-11-22T08:00:00+08:00"}
        publish(broker.url, [("iot/v1/cn/CN1", payload), ("iot/v1/cn/CN2", "not json")])
        while not any(" 2 received" in line for line in seen):
            seen.append(lines.get(timeout=30))
        process.send_signal(signal.SIGTERM)
        out, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0
    report = json.loads(out)
    assert report["processed"] == 2 and report["rejected"] >= 1 and report["failures"] == 0
