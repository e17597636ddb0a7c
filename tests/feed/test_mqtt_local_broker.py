"""The private mosquitto: persistence across restarts, leftovers, and a clear error when it is missing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from controlroom.services import local_broker
from controlroom.services.local_broker import LocalBroker, MosquittoNotInstalledError, start_local_broker


def test_missing_mosquitto_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(local_broker.shutil, "which", lambda _name: None)
    monkeypatch.setattr(local_broker, "_SEARCH", ())
    with pytest.raises(MosquittoNotInstalledError, match="scripts/setup"):
        local_broker.find_mosquitto()


def test_a_leftover_broker_on_the_same_directory_is_stopped(tmp_path: Path) -> None:
    first = start_local_broker(tmp_path)
    orphan = first.process
    assert orphan is not None
    first.process = None  # its owner "died" without stopping it
    second = LocalBroker(tmp_path, local_broker.free_port(), first.executable)
    try:
        second.start()
        assert orphan.wait(5) is not None
        assert second.running
    finally:
        second.stop()
        if orphan.poll() is None:
            orphan.kill()
        orphan.wait()
        if orphan.stderr is not None:
            orphan.stderr.close()
    assert not second.pid_path.exists()


def test_conf_keeps_root_from_dropping_privileges(tmp_path: Path) -> None:
    broker = LocalBroker(tmp_path, 1883, "mosquitto")
    broker._write_conf()
    conf = broker.conf_path.read_text()
    assert "listener 1883 127.0.0.1" in conf and "persistence true" in conf
    assert ("user root" in conf) == (os.name == "posix" and os.geteuid() == 0)
